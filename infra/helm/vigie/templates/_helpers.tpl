{{- define "vigie.fullname" -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "vigie.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "vigie.selector" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "vigie.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "vigie.secretName" -}}
{{ .Values.secrets.existingSecret | default (printf "%s-secrets" (include "vigie.fullname" .)) }}
{{- end -}}

{{- define "vigie.serviceAccountName" -}}
{{ .Values.serviceAccount.name | default (include "vigie.fullname" .) }}
{{- end -}}

{{/* One variable from the Secret; optional ones may be absent from an existingSecret. */}}
{{- define "vigie.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ include "vigie.secretName" .root }}
      key: {{ .name }}
      optional: {{ .optional | default false }}
{{- end -}}

{{/* What every Vigie process reads (platform/src/config/config.ts). */}}
{{- define "vigie.commonEnv" -}}
- { name: NODE_ENV, value: production }
- { name: HOST, value: "0.0.0.0" }
- { name: PORT, value: "8080" }
- { name: LOG_LEVEL, value: {{ .Values.config.logLevel | quote }} }
- { name: VIGIE_PUBLIC_URL, value: {{ .Values.config.publicUrl | quote }} }
- { name: VIGIE_BASE_DOMAIN, value: {{ .Values.config.baseDomain | quote }} }
- { name: VIGIE_DATA_DIR, value: /tmp/vigie }
- { name: DATABASE_POOL_MAX, value: {{ .Values.config.dbPoolMax | quote }} }
- { name: TEMPORAL_ADDRESS, value: {{ .Values.config.temporal.address | quote }} }
- { name: TEMPORAL_NAMESPACE, value: {{ .Values.config.temporal.namespace | quote }} }
- { name: TEMPORAL_TASK_QUEUE, value: {{ .Values.config.temporal.taskQueue | quote }} }
- { name: AWS_REGION, value: {{ .Values.config.ses.region | quote }} }
{{- with .Values.config.ses.from }}
- { name: SES_FROM, value: {{ . | quote }} }
{{- end }}
{{- with .Values.config.ses.configurationSet }}
- { name: SES_CONFIGURATION_SET, value: {{ . | quote }} }
{{- end }}
{{- with .Values.config.tracing.endpoint }}
- { name: VIGIE_OTEL_ENDPOINT, value: {{ . | quote }} }
- { name: VIGIE_OTEL_SAMPLE_RATIO, value: {{ $.Values.config.tracing.sampleRatio | quote }} }
{{- end }}
{{ include "vigie.secretEnv" (dict "root" . "name" "VIGIE_SECRET") }}
{{ include "vigie.secretEnv" (dict "root" . "name" "VIGIE_METRICS_TOKEN" "optional" true) }}
{{ include "vigie.secretEnv" (dict "root" . "name" "TWILIO_ACCOUNT_SID" "optional" true) }}
{{ include "vigie.secretEnv" (dict "root" . "name" "TWILIO_AUTH_TOKEN" "optional" true) }}
{{ include "vigie.secretEnv" (dict "root" . "name" "TWILIO_MESSAGING_SERVICE_SID" "optional" true) }}
{{ include "vigie.secretEnv" (dict "root" . "name" "AWS_ACCESS_KEY_ID" "optional" true) }}
{{ include "vigie.secretEnv" (dict "root" . "name" "AWS_SECRET_ACCESS_KEY" "optional" true) }}
{{- with .Values.config.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The API and the worker: least-privilege roles, never the owner. */}}
{{- define "vigie.runtimeEnv" -}}
{{ include "vigie.commonEnv" . }}
{{ include "vigie.secretEnv" (dict "root" . "name" "DATABASE_APP_URL") }}
{{ include "vigie.secretEnv" (dict "root" . "name" "DATABASE_OPERATOR_URL") }}
{{- end -}}

{{- define "vigie.podSpecCommon" -}}
serviceAccountName: {{ include "vigie.serviceAccountName" . }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
volumes:
  # tsx's transform cache and VIGIE_DATA_DIR: the root file system stays read-only.
  - name: tmp
    emptyDir: { sizeLimit: 512Mi }
{{- end -}}
