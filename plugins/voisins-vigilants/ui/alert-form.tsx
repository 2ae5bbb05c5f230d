// Raising an alert: emergency numbers first, then what happened, where, when,
// the photo step, and the limits (per hour, duplicates merged) in plain words.
import { useState } from 'react';
import { Link } from 'react-router';
import { Form } from 'react-aria-components';
import { useMutation, useQuery } from 'urql';
import {
  Button,
  Checkbox,
  ErrorSummary,
  Loading,
  Notice,
  Page,
  RadioGroup,
  TextArea,
  TextField,
  csrfHeaders,
  graphql,
  useForm,
  useI18n,
  type AlertSeverity,
  type FormErrorItem,
} from '@vigie/admin-ui/shell';

const FormDocument = graphql(`
  query NeighbourAlertForm($locale: NeighbourAlertLocale) {
    neighbourAlertForm(locale: $locale) {
      title
      warning
      alertsPerHour
      alertsLeftThisHour
      mergeWindowMinutes
      policeEmergencyNumber
      europeanEmergencyNumber
      policeMunicipale {
        label
        phone
        hours
      }
      categories {
        id
        slug
        label
        defaultSeverity
      }
      photo {
        maxBytes
        acceptedTypes
        uploadUrl
        help
      }
    }
  }
`);
const RaiseDocument = graphql(`
  mutation RaiseNeighbourAlert($input: NeighbourAlertInput!) {
    raiseNeighbourAlert(input: $input) {
      merged
      alert {
        id
        ref
        status
        severity
      }
    }
  }
`);

export function EmergencyNumbers(p: {
  police?: { label: string; phone?: string | null; hours?: string | null } | null;
}) {
  const { t } = useI18n();
  return (
    <section className="emergency" aria-labelledby="emergency-title">
      <h2 id="emergency-title">{t('vv.alert.emergencyTitle')}</h2>
      <ul>
        <li>
          <a href="tel:17">{t('vv.alert.call17')}</a>
        </li>
        {p.police?.phone ? (
          <li>
            <a href={`tel:${p.police.phone.replace(/\s/g, '')}`}>
              {t('vv.alert.callPolice', { label: p.police.label, phone: p.police.phone })}
            </a>
          </li>
        ) : null}
        <li>
          <a href="tel:112">{t('vv.alert.call112')}</a>
        </li>
      </ul>
      {p.police?.hours ? <p>{t('vv.alert.policeHours', { hours: p.police.hours })}</p> : null}
    </section>
  );
}

export default function RaiseAlertPage() {
  const { t, locale } = useI18n();
  const [{ data }, reload] = useQuery({
    query: FormDocument,
    variables: { locale },
    requestPolicy: 'network-only',
  });
  const [{ fetching }, raise] = useMutation(RaiseDocument);
  const [done, setDone] = useState<{ ref: string; merged: boolean; id: string } | null>(null);
  const [uploading, setUploading] = useState(false);
  const f = useForm({
    category: '',
    severity: '' as '' | AlertSeverity,
    what: '',
    place: '',
    seenAt: '',
    vehicle: '',
    plate: '',
    called17: false,
    photo: null as File | null,
  });
  const form = data?.neighbourAlertForm;
  if (!form) return <Loading />;

  if (done) {
    return (
      <Page title={t('vv.alert.sentTitle')}>
        <Notice kind="success" role="status">
          <p>
            {done.merged
              ? t('vv.alert.merged', { ref: done.ref, minutes: form.mergeWindowMinutes })
              : t('vv.alert.sent', { ref: done.ref })}
          </p>
        </Notice>
        <div className="btn-row">
          <Link className="btn" to={`/alertes/${done.id}`}>
            {t('vv.alert.follow')}
          </Link>
          <Link to="/alertes">{t('vv.menu.myAlerts')}</Link>
        </div>
      </Page>
    );
  }

  const category = form.categories.find((c) => c.slug === f.values.category);
  const severity = f.values.severity || category?.defaultSeverity || 'important';
  const limitReached = form.alertsLeftThisHour <= 0;
  const limitMessage = t('error.NEIGHBOUR_ALERT_RATE_LIMITED', { perHour: form.alertsPerHour });

  const uploadPhoto = async (file: File): Promise<string | null> => {
    const body = new FormData();
    body.append('file', file);
    const res = await fetch(form.photo.uploadUrl, {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: csrfHeaders(),
    });
    const j = (await res.json().catch(() => ({}))) as { photoKey?: string; code?: string; message?: string };
    if (!res.ok || !j.photoKey) {
      f.setErrors([{ field: 'photo', message: j.message ?? t('error.NETWORK') }]);
      return null;
    }
    return j.photoKey;
  };

  const submit = async () => {
    const v = f.values;
    const errs: FormErrorItem[] = [];
    if (!v.category) errs.push({ field: 'category', message: t('vv.alert.categoryMissing') });
    if (v.what.trim().length < 3) errs.push({ field: 'what', message: t('vv.alert.whatMissing') });
    if (v.place.trim().length < 2) errs.push({ field: 'place', message: t('vv.alert.placeMissing') });
    if (severity === 'urgent' && !v.called17)
      errs.push({ field: 'called17', message: t('vv.alert.called17Missing') });
    if (v.photo && !form.photo.acceptedTypes.includes(v.photo.type))
      errs.push({ field: 'photo', message: t('vv.alert.photoType') });
    if (v.photo && v.photo.size > form.photo.maxBytes)
      errs.push({
        field: 'photo',
        message: t('vv.alert.photoSize', { mb: Math.round(form.photo.maxBytes / 1048576) }),
      });
    f.setErrors(errs);
    if (errs.length) return;
    let photoKey: string | null = null;
    if (v.photo) {
      setUploading(true);
      photoKey = await uploadPhoto(v.photo);
      setUploading(false);
      if (!photoKey) return;
    }
    const r = await raise({
      input: {
        category: v.category,
        severity,
        what: v.what.trim(),
        place: v.place.trim(),
        seenAt: v.seenAt ? new Date(v.seenAt).toISOString() : null,
        vehicle: v.vehicle.trim() || null,
        plate: v.plate.trim() || null,
        called17: v.called17,
        photoKey,
      },
    });
    if (
      f.serverError(r.error, {
        NEIGHBOUR_ALERT_CALL_17_REQUIRED: 'called17',
        'ALERT_TEXT*': 'what',
      })
    ) {
      reload({ requestPolicy: 'network-only' });
      return;
    }
    const out = r.data!.raiseNeighbourAlert;
    setDone({ ref: out.alert.ref, merged: out.merged, id: out.alert.id });
  };

  return (
    <Page title={t('vv.alert.title')}>
      <EmergencyNumbers police={form.policeMunicipale} />
      <Notice kind="warning">
        <p>{form.warning}</p>
      </Notice>
      <p>
        {t('vv.alert.limits', {
          perHour: form.alertsPerHour,
          left: form.alertsLeftThisHour,
          minutes: form.mergeWindowMinutes,
        })}
      </p>
      {/* Said once: when the server has just refused, the error summary already says it. */}
      {limitReached && !f.errors.some((e) => e.message === limitMessage) ? (
        <Notice kind="error" role="alert">
          <p>{limitMessage}</p>
        </Notice>
      ) : null}
      <ErrorSummary title={t('form.errorsTitle')} errors={f.errors} />
      <Form
        validationBehavior="aria"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p className="meta">{t('form.requiredHint')}</p>
        <RadioGroup
          name="category"
          label={t('vv.alert.category')}
          value={f.values.category}
          onChange={f.set('category')}
          error={f.fieldError('category')}
          required
          options={form.categories.map((c) => ({ value: c.slug, label: c.label }))}
        />
        <RadioGroup
          name="severity"
          label={t('vv.alert.severity')}
          hint={t('vv.alert.severityHint')}
          value={severity}
          onChange={(v) => f.set('severity')(v as AlertSeverity)}
          options={(['urgent', 'important', 'info'] as const).map((s) => ({
            value: s,
            label: t(`vv.severity.${s}`),
          }))}
        />
        {severity === 'urgent' ? (
          <div className="field" id="field-called17">
            <Checkbox isSelected={f.values.called17} onChange={f.set('called17')}>
              {t('vv.alert.called17')}
            </Checkbox>
            {f.fieldError('called17') ? <p className="field-error">{f.fieldError('called17')}</p> : null}
          </div>
        ) : null}
        <TextArea
          name="what"
          label={t('vv.alert.what')}
          hint={t('vv.alert.whatHint')}
          value={f.values.what}
          onChange={f.set('what')}
          error={f.fieldError('what')}
          maxLength={1000}
          required
        />
        <TextField
          name="place"
          label={t('vv.alert.place')}
          hint={t('vv.alert.placeHint')}
          value={f.values.place}
          onChange={f.set('place')}
          error={f.fieldError('place')}
          maxLength={200}
          required
        />
        <TextField
          name="seenAt"
          type="datetime-local"
          label={t('vv.alert.seenAt')}
          hint={t('vv.alert.seenAtHint')}
          value={f.values.seenAt}
          onChange={f.set('seenAt')}
          error={f.fieldError('seenAt')}
        />
        <TextField
          name="vehicle"
          label={t('vv.alert.vehicle')}
          hint={t('vv.alert.vehicleHint')}
          value={f.values.vehicle}
          onChange={f.set('vehicle')}
          maxLength={120}
        />
        <TextField
          name="plate"
          label={t('vv.alert.plate')}
          hint={t('vv.alert.plateHint')}
          value={f.values.plate}
          onChange={f.set('plate')}
          maxLength={20}
        />
        <div className="field">
          <label htmlFor="field-photo">{t('vv.alert.photo')}</label>
          <p className="hint" id="photo-hint">
            {form.photo.help}
          </p>
          <input
            id="field-photo"
            type="file"
            accept={form.photo.acceptedTypes.join(',')}
            aria-describedby="photo-hint"
            aria-invalid={f.fieldError('photo') ? true : undefined}
            onChange={(e) => f.set('photo')(e.target.files?.[0] ?? null)}
          />
          {f.fieldError('photo') ? <p className="field-error">{f.fieldError('photo')}</p> : null}
        </div>
        <Button type="submit" isDisabled={fetching || uploading || limitReached}>
          {uploading ? t('vv.alert.uploading') : t('vv.alert.submit')}
        </Button>
      </Form>
    </Page>
  );
}
