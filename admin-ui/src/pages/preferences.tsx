// Control over alerts: channels per severity, quiet hours, the daily digest of
// information messages, web push on this device, voice calls to a landline
// (for residents without a mobile), and STOP by SMS explained.
import { useEffect, useState } from 'react';
import { Form } from 'react-aria-components';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../shell/graphql.js';
import type { NotificationChannel } from '../gql/graphql.js';
import { Page, Loading } from '../shell/page.js';
import { useI18n } from '../shell/i18n.js';
import { useForm } from '../shell/forms.js';
import { Button, Checkbox, ErrorSummary, Notice, TextField } from '../ds/index.js';
import { PushDevice } from './push.js';

const PreferencesDocument = graphql(`
  query MyPreferences {
    myNotificationPreferences {
      urgent
      important
      info
      quietHoursStart
      quietHoursEnd
      digestInfo
      timezone
      voicePhone
    }
  }
`);
const UpdateDocument = graphql(`
  mutation UpdatePreferences($input: NotificationPreferencesInput!) {
    updateNotificationPreferences(input: $input) {
      urgent
      important
      info
      quietHoursStart
      quietHoursEnd
      digestInfo
      timezone
      voicePhone
    }
  }
`);

const CHANNELS: NotificationChannel[] = ['sms', 'email', 'push', 'voice', 'in_app'];
const SEVERITIES = ['urgent', 'important', 'info'] as const;

export default function PreferencesPage() {
  const { t } = useI18n();
  const [{ data }] = useQuery({ query: PreferencesDocument, requestPolicy: 'network-only' });
  const [{ fetching }, update] = useMutation(UpdateDocument);
  const [saved, setSaved] = useState(false);
  const f = useForm({
    urgent: [] as NotificationChannel[],
    important: [] as NotificationChannel[],
    info: [] as NotificationChannel[],
    quietHoursStart: '22:00',
    quietHoursEnd: '07:00',
    digestInfo: false,
    timezone: 'Europe/Paris',
    voicePhone: '',
  });
  const prefs = data?.myNotificationPreferences;
  useEffect(() => {
    if (prefs) f.setValues({ ...prefs, voicePhone: prefs.voicePhone ?? '' });
  }, [prefs]);
  if (!prefs) return <Loading />;

  const toggle = (sev: (typeof SEVERITIES)[number], ch: NotificationChannel, on: boolean) =>
    f.setValues((v) => ({ ...v, [sev]: on ? [...v[sev], ch] : v[sev].filter((c) => c !== ch) }));

  return (
    <Page title={t('prefs.title')} intro={<p>{t('prefs.intro')}</p>}>
      <ErrorSummary title={t('form.errorsTitle')} errors={f.errors} />
      {saved ? (
        <Notice kind="success" role="status">
          <p>{t('prefs.saved')}</p>
        </Notice>
      ) : null}
      <Form
        validationBehavior="aria"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          const errs = [];
          if (!/^\d{2}:\d{2}$/.test(f.values.quietHoursStart))
            errs.push({ field: 'quietHoursStart', message: t('prefs.timeInvalid') });
          if (!/^\d{2}:\d{2}$/.test(f.values.quietHoursEnd))
            errs.push({ field: 'quietHoursEnd', message: t('prefs.timeInvalid') });
          if (f.values.urgent.length === 0)
            errs.push({ field: 'urgent-sms', message: t('prefs.urgentNeedsOne') });
          const wantsVoice = SEVERITIES.some((sev) => f.values[sev].includes('voice'));
          if (wantsVoice && !f.values.voicePhone.trim())
            errs.push({ field: 'voicePhone', message: t('prefs.voiceNeedsNumber') });
          f.setErrors(errs);
          if (errs.length) return;
          const v = f.values;
          // Only the input's fields: the query's result also carries __typename.
          const input = {
            urgent: v.urgent,
            important: v.important,
            info: v.info,
            quietHoursStart: v.quietHoursStart,
            quietHoursEnd: v.quietHoursEnd,
            timezone: v.timezone,
            digestInfo: v.digestInfo,
            voicePhone: v.voicePhone.trim() || null,
          };
          void update({ input }).then((r) => {
            const onField = { VOICE_NUMBER_INVALID: 'voicePhone', VOICE_NUMBER_REQUIRED: 'voicePhone' };
            if (!f.serverError(r.error, onField)) {
              f.setErrors([]);
              setSaved(true);
            }
          });
        }}
      >
        {SEVERITIES.map((sev) => (
          <fieldset key={sev}>
            <legend>{t(`prefs.severity.${sev}`)}</legend>
            <p className="hint">{t(`prefs.severityHint.${sev}`)}</p>
            {CHANNELS.map((ch) => (
              <span key={ch} id={`field-${sev}-${ch}`}>
                <Checkbox isSelected={f.values[sev].includes(ch)} onChange={(on) => toggle(sev, ch, on)}>
                  {t(`channel.${ch}`)}
                </Checkbox>
              </span>
            ))}
          </fieldset>
        ))}
        <fieldset>
          <legend>{t('prefs.voice')}</legend>
          <p className="hint">{t('prefs.voiceHint')}</p>
          <TextField
            name="voicePhone"
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            maxLength={32}
            label={t('prefs.voicePhone')}
            hint={t('prefs.voicePhoneHint')}
            value={f.values.voicePhone}
            onChange={f.set('voicePhone')}
            error={f.fieldError('voicePhone')}
          />
        </fieldset>
        <fieldset>
          <legend>{t('prefs.quietHours')}</legend>
          <p className="hint">{t('prefs.quietHoursHint')}</p>
          <TextField
            name="quietHoursStart"
            type="time"
            label={t('prefs.quietStart')}
            value={f.values.quietHoursStart}
            onChange={f.set('quietHoursStart')}
            error={f.fieldError('quietHoursStart')}
          />
          <TextField
            name="quietHoursEnd"
            type="time"
            label={t('prefs.quietEnd')}
            value={f.values.quietHoursEnd}
            onChange={f.set('quietHoursEnd')}
            error={f.fieldError('quietHoursEnd')}
          />
        </fieldset>
        <fieldset>
          <legend>{t('prefs.digest')}</legend>
          <Checkbox isSelected={f.values.digestInfo} onChange={f.set('digestInfo')}>
            {t('prefs.digestLabel')}
          </Checkbox>
        </fieldset>
        <Button type="submit" isDisabled={fetching}>
          {t('prefs.save')}
        </Button>
      </Form>
      <PushDevice />
      <section className="card" aria-labelledby="stop-title">
        <h2 id="stop-title">{t('prefs.stopTitle')}</h2>
        <p>{t('prefs.stopText')}</p>
        <p>{t('prefs.startText')}</p>
      </section>
    </Page>
  );
}
