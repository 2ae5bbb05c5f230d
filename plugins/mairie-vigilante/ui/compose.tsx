// Alerting down: the police or the mairie write to one or more sectors or the
// whole town. Before sending, the server previews what the alert would do:
// recipients per channel, households, and the SMS cost (segments per message,
// GSM-7 or UCS-2 with the characters that force UCS-2 and a replacement text,
// messages × segments × the commune's price, the month's budget left). Sending
// asks for confirmation with those figures.
import { Suspense, lazy, useState } from 'react';
import { Link } from 'react-router';
import { Form } from 'react-aria-components';
import { useClient, useMutation, useQuery } from 'urql';
import {
  Button,
  Checkbox,
  ConfirmDialog,
  Loading,
  ErrorSummary,
  Notice,
  Page,
  RadioGroup,
  TextArea,
  graphql,
  useErrorMessage,
  useI18n,
  useSession,
  type AlertPreviewQuery,
  type AlertSeverity,
} from '@vigie/admin-ui/shell';
import { Select } from './select.js';
import type { AreaSector } from './area.js';

// The map and its drawing tools load only when a zone is chosen.
const AreaField = lazy(() => import('./area.js'));
type PointRow = { lon: string; lat: string };
import './console.css';

const OPTIONAL_CHANNELS = ['sms', 'email', 'push', 'voice'] as const;
type OptionalChannel = (typeof OPTIONAL_CHANNELS)[number];

const ComposeContextDocument = graphql(`
  query ComposeContext {
    alertCategories {
      id
      slug
      label
      defaultSeverity
    }
    sectors {
      id
      name
      geometry
      bbox
    }
    alertTemplates {
      category
      text
    }
  }
`);

const SaveTemplateDocument = graphql(`
  mutation SaveAlertTemplate($category: String!, $text: String!) {
    saveAlertTemplate(category: $category, text: $text) {
      category
      text
    }
  }
`);

const PreviewDocument = graphql(`
  query AlertPreview($input: RaiseAlertInput!) {
    alertPreview(input: $input) {
      recipients
      households
      byChannel {
        channel
        now
        held
        skipped
      }
      sms {
        typedEncoding
        ucs2Characters
        suggestion
        encoding
        segmentsPerMessage
        messages
        segments
        budget
        segmentsUsedThisMonth
        segmentsLeft
        text
      }
      cost {
        pricePerSegment
        total
        budgetLeft
      }
    }
  }
`);

const RaiseDocument = graphql(`
  mutation ConsoleRaiseAlert($input: RaiseAlertInput!) {
    raiseAlert(input: $input) {
      id
      ref
    }
  }
`);

type Preview = AlertPreviewQuery['alertPreview'];

function euros(v: number, locale: string): string {
  return new Intl.NumberFormat(locale === 'en' ? 'en-GB' : 'fr-FR', {
    style: 'currency',
    currency: 'EUR',
  }).format(v);
}

/** The typed text with each character that forces UCS-2 marked. */
function Marked({ text, chars }: { text: string; chars: string[] }) {
  return (
    <>
      {[...text.normalize('NFC')].map((ch, i) =>
        chars.includes(ch) ? <mark key={i}>{ch}</mark> : <span key={i}>{ch}</span>,
      )}
    </>
  );
}

export default function ComposePage() {
  const { t, locale } = useI18n();
  const errorMessage = useErrorMessage();
  const client = useClient();
  const { can } = useSession();
  const [{ data: context }, reloadContext] = useQuery({ query: ComposeContextDocument });
  const [, raise] = useMutation(RaiseDocument);
  const [, saveTemplate] = useMutation(SaveTemplateDocument);
  const [templateSaved, setTemplateSaved] = useState(false);
  const templateOf = (slug: string) => context?.alertTemplates.find((x) => x.category === slug)?.text;
  const [kind, setKind] = useState<'sectors' | 'commune' | 'area'>('sectors');
  const [areaRows, setAreaRows] = useState<PointRow[]>([]);
  const [area, setArea] = useState<string | null>(null);
  const [sectorIds, setSectorIds] = useState<string[]>([]);
  const [category, setCategory] = useState('');
  const [severity, setSeverity] = useState<AlertSeverity | ''>('');
  const [text, setText] = useState('');
  // Every channel by default; the in-app inbox is always on (it is the record).
  const [channels, setChannels] = useState<OptionalChannel[]>([...OPTIONAL_CHANNELS]);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [errors, setErrors] = useState<Array<{ field?: string; message: string }>>([]);
  const [confirming, setConfirming] = useState(false);
  const [sent, setSent] = useState<{ ref: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const input = () => ({
    category,
    ...(severity ? { severity } : {}),
    text: text.trim(),
    target:
      kind === 'commune'
        ? { kind: 'commune' as const }
        : kind === 'area'
          ? { kind: 'area' as const, area: area ?? '' }
          : { kind: 'sectors' as const, sectorIds },
    ...(channels.length < OPTIONAL_CHANNELS.length ? { channels: [...channels] } : {}),
  });

  const check = () => {
    const e: Array<{ field?: string; message: string }> = [];
    if (kind === 'sectors' && sectorIds.length === 0)
      e.push({ field: 'sectors', message: t('mv.compose.noSector') });
    if (kind === 'area' && !area) e.push({ field: 'area', message: t('mv.compose.noArea') });
    if (!category) e.push({ field: 'category', message: t('mv.compose.noCategory') });
    if (!text.trim()) e.push({ field: 'text', message: t('mv.compose.noText') });
    setErrors(e);
    return e.length === 0;
  };

  const runPreview = async () => {
    if (!check()) return;
    setBusy(true);
    const r = await client
      .query(PreviewDocument, { input: input() }, { requestPolicy: 'network-only' })
      .toPromise();
    setBusy(false);
    if (r.error) {
      setErrors([{ message: errorMessage(r.error) ?? '' }]);
      setPreview(null);
      return;
    }
    setPreview(r.data?.alertPreview ?? null);
  };

  const send = async () => {
    setConfirming(false);
    setBusy(true);
    const r = await raise({ input: input() });
    setBusy(false);
    if (r.error) {
      setErrors([{ message: errorMessage(r.error) ?? '' }]);
      return;
    }
    setSent({ ref: r.data!.raiseAlert.ref });
  };

  if (sent)
    return (
      <Page title={t('mv.compose.sentTitle')}>
        <Notice kind="success" role="status">
          <p>{t('mv.compose.sent', { ref: sent.ref })}</p>
        </Notice>
        <p>
          <Link to="/console">{t('mv.compose.back')}</Link>
        </p>
      </Page>
    );

  const edited = () => setPreview(null);

  return (
    <Page title={t('mv.compose.title')} intro={<p>{t('mv.compose.intro')}</p>}>
      <ErrorSummary title={t('form.errorsTitle')} errors={errors} />
      <Form
        onSubmit={(e) => {
          e.preventDefault();
          void runPreview();
        }}
        validationBehavior="aria"
      >
        <RadioGroup
          name="target"
          label={t('mv.compose.target')}
          value={kind}
          onChange={(v) => {
            setKind(v as 'sectors' | 'commune' | 'area');
            edited();
          }}
          options={[
            { value: 'sectors', label: t('mv.compose.targetSectors') },
            { value: 'commune', label: t('mv.compose.targetCommune') },
            { value: 'area', label: t('mv.compose.targetArea') },
          ]}
        />
        {kind === 'area' ? (
          <Suspense fallback={<Loading />}>
            <AreaField
              rows={areaRows}
              onChange={(rows, text) => {
                setAreaRows(rows);
                setArea(text);
                edited();
              }}
              sectors={(context?.sectors ?? []) as AreaSector[]}
              error={errors.find((e) => e.field === 'area')?.message}
            />
          </Suspense>
        ) : null}
        {kind === 'sectors' ? (
          <fieldset id="field-sectors">
            <legend>{t('mv.compose.sectors')}</legend>
            {(context?.sectors ?? []).map((s) => (
              <Checkbox
                key={s.id}
                isSelected={sectorIds.includes(s.id)}
                onChange={(on) => {
                  setSectorIds((ids) => (on ? [...ids, s.id] : ids.filter((x) => x !== s.id)));
                  edited();
                }}
              >
                {s.name}
              </Checkbox>
            ))}
          </fieldset>
        ) : null}
        <Select
          label={t('mv.compose.category')}
          value={category}
          onChange={(v) => {
            // The category's template is the starting text, unless something else was typed.
            if (!text.trim() || text === templateOf(category)) setText(templateOf(v) ?? '');
            setCategory(v);
            setTemplateSaved(false);
            edited();
          }}
          options={[
            { value: '', label: t('mv.compose.chooseCategory') },
            ...(context?.alertCategories ?? []).map((c) => ({ value: c.slug, label: c.label })),
          ]}
        />
        <RadioGroup
          name="severity"
          label={t('mv.compose.severity')}
          hint={t('mv.compose.severityHint')}
          value={severity}
          onChange={(v) => {
            setSeverity(v as AlertSeverity);
            edited();
          }}
          options={(['urgent', 'important', 'info'] as const).map((s) => ({
            value: s,
            label: t(`mv.severity.${s}`),
          }))}
        />
        <fieldset className="mv-channels">
          <legend>{t('mv.compose.channels')}</legend>
          <p className="hint">{t('mv.compose.channelsHint')}</p>
          {OPTIONAL_CHANNELS.map((ch) => (
            <Checkbox
              key={ch}
              isSelected={channels.includes(ch)}
              onChange={(on) => {
                setChannels((list) => (on ? [...list, ch] : list.filter((x) => x !== ch)));
                edited();
              }}
            >
              {t(`mv.channel.${ch}`)}
            </Checkbox>
          ))}
        </fieldset>
        <TextArea
          name="text"
          label={t('mv.compose.text')}
          hint={t('mv.compose.textHint')}
          value={text}
          onChange={(v) => {
            setText(v);
            edited();
          }}
          maxLength={1000}
          required
          error={errors.find((e) => e.field === 'text')?.message}
        />
        <div className="btn-row">
          <Button type="submit" isDisabled={busy}>
            {t('mv.compose.preview')}
          </Button>
          {can('mairie-vigilante.template.manage') && category && text.trim() ? (
            <Button
              variant="secondary"
              onPress={() =>
                void saveTemplate({ category, text }).then((r) => {
                  if (r.error) setErrors([{ message: errorMessage(r.error) ?? '' }]);
                  else {
                    setTemplateSaved(true);
                    reloadContext({ requestPolicy: 'network-only' });
                  }
                })
              }
            >
              {t('mv.compose.saveTemplate')}
            </Button>
          ) : null}
        </div>
        <p role="status" className="meta">
          {templateSaved ? t('mv.compose.templateSaved') : ''}
        </p>
      </Form>

      {preview ? (
        <section className="card" aria-labelledby="mv-preview" aria-live="polite">
          <h2 id="mv-preview">{t('mv.compose.previewTitle')}</h2>
          <p>{t('mv.compose.reach', { recipients: preview.recipients, households: preview.households })}</p>
          <div className="table-wrap">
            <table>
              <caption>{t('mv.compose.perChannel')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('mv.compose.channel')}</th>
                  <th scope="col">{t('mv.compose.now')}</th>
                  <th scope="col">{t('mv.compose.held')}</th>
                  <th scope="col">{t('mv.compose.skipped')}</th>
                </tr>
              </thead>
              <tbody>
                {preview.byChannel.map((c) => (
                  <tr key={c.channel}>
                    <th scope="row">{t(`mv.channel.${c.channel}`)}</th>
                    <td>{c.now}</td>
                    <td>{c.held}</td>
                    <td>{c.skipped}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>{t('mv.compose.smsTitle')}</h3>
          {preview.sms.ucs2Characters.length ? (
            <Notice kind="warning">
              <p>{t('mv.compose.ucs2', { chars: preview.sms.ucs2Characters.join(' ') })}</p>
              <p className="mv-marked">
                <Marked text={text} chars={preview.sms.ucs2Characters} />
              </p>
              {preview.sms.suggestion ? (
                <>
                  <p>{t('mv.compose.suggestion')}</p>
                  <p className="mv-suggestion">{preview.sms.suggestion}</p>
                  <Button
                    variant="secondary"
                    onPress={() => {
                      setText(preview.sms.suggestion!);
                      setPreview(null);
                    }}
                  >
                    {t('mv.compose.useSuggestion')}
                  </Button>
                </>
              ) : null}
            </Notice>
          ) : (
            <p>{t('mv.compose.gsm7')}</p>
          )}
          <dl className="mv-facts">
            <dt>{t('mv.compose.encoding')}</dt>
            <dd>{preview.sms.encoding}</dd>
            <dt>{t('mv.compose.segmentsPerMessage')}</dt>
            <dd>{preview.sms.segmentsPerMessage}</dd>
            <dt>{t('mv.compose.messages')}</dt>
            <dd>{preview.sms.messages}</dd>
            <dt>{t('mv.compose.segments')}</dt>
            <dd>{preview.sms.segments}</dd>
            <dt>{t('mv.compose.cost')}</dt>
            <dd data-testid="sms-cost">
              {t('mv.compose.costFormula', {
                messages: preview.sms.messages,
                segments: preview.sms.segmentsPerMessage,
                price: euros(preview.cost.pricePerSegment, locale),
                total: euros(preview.cost.total, locale),
              })}
            </dd>
            <dt>{t('mv.compose.budget')}</dt>
            <dd>
              {preview.sms.budget === null
                ? t('mv.compose.noBudget')
                : t('mv.compose.budgetLeft', {
                    left: preview.sms.segmentsLeft ?? 0,
                    budget: preview.sms.budget,
                    value: euros(preview.cost.budgetLeft ?? 0, locale),
                  })}
            </dd>
            <dt>{t('mv.compose.smsText')}</dt>
            <dd className="mv-suggestion">{preview.sms.text}</dd>
          </dl>
          <div className="btn-row">
            <Button onPress={() => setConfirming(true)} isDisabled={busy}>
              {t('mv.compose.send')}
            </Button>
          </div>
          <ConfirmDialog
            isOpen={confirming}
            title={t('mv.compose.confirmTitle')}
            confirmLabel={t('mv.compose.confirm')}
            cancelLabel={t('common.cancel')}
            onConfirm={() => void send()}
            onCancel={() => setConfirming(false)}
          >
            <p>
              {t('mv.compose.confirmText', {
                recipients: preview.recipients,
                households: preview.households,
                messages: preview.sms.messages,
                total: euros(preview.cost.total, locale),
              })}
            </p>
          </ConfirmDialog>
        </section>
      ) : null}
    </Page>
  );
}
