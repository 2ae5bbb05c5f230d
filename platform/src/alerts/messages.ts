// What an alert says on each channel, French first, English for residents who
// chose it. The content does not depend on the recipient (no name, no
// address), so one rendering per alert, language and purpose serves every
// recipient: mjml costs milliseconds, and a city-wide alert has 50,000 emails.
import { fitSms } from '../notifications/index.js';
import { renderNotificationEmail, type RenderedEmail } from '../notifications/index.js';
import type { PushPayload, Severity } from '../notifications/index.js';

export type Locale = 'fr' | 'en';
export type Purpose = 'alert' | 'escalation';

export interface AlertContent {
  alertId: string;
  communeName: string;
  severity: Severity;
  categoryFr: string;
  categoryEn: string;
  text: string;
  /** The alert's page on the commune's portal. */
  link: string;
  preferencesUrl: string;
  purpose: Purpose;
  /** Minutes without acknowledgement, for escalations. */
  escalatedAfterMinutes?: number;
  /** A follow-up of an earlier alert (`text` is the staff's words, without a heading). */
  followUp?: 'update' | 'end';
}

/** What a follow-up says it is, in the recipient's language. */
export const FOLLOW_UP_HEAD = {
  fr: { update: "Suite de l'alerte : ", end: "Fin d'alerte : " },
  en: { update: 'Follow-up to the alert: ', end: 'End of alert: ' },
} as const;

/** The alert's words as a recipient reads them: a follow-up's heading first. */
export function textOf(c: AlertContent, locale: Locale): string {
  return c.followUp ? `${FOLLOW_UP_HEAD[locale][c.followUp]}${c.text}` : c.text;
}

const SEVERITY = {
  fr: { info: 'Info', important: 'Alerte', urgent: 'URGENT' },
  en: { info: 'Info', important: 'Alert', urgent: 'URGENT' },
} as const;

function category(c: AlertContent, locale: Locale): string {
  return locale === 'en' ? c.categoryEn : c.categoryFr;
}

function escalationLine(c: AlertContent, locale: Locale): string {
  const m = Math.max(1, Math.round(c.escalatedAfterMinutes ?? 0));
  return locale === 'en'
    ? `ESCALATION: urgent alert not acknowledged after ${m} min.`
    : `ESCALADE : alerte urgente non prise en charge depuis ${m} min.`;
}

/** At most two GSM-7 segments; the link to the full alert always survives a cut. */
export function alertSms(c: AlertContent, locale: Locale): { text: string; segments: number } {
  const esc = c.purpose === 'escalation' ? `${escalationLine(c, locale)} ` : '';
  const head = `Vigie ${c.communeName} - ${SEVERITY[locale][c.severity]} - ${esc}${category(c, locale)} : ${textOf(c, locale).replace(/\s+/g, ' ').trim()}`;
  const whole = fitSms(`${head} ${c.link}`);
  const fitted = whole.truncated ? fitSms(head, c.link) : whole;
  return { text: fitted.text, segments: fitted.segments };
}

export function alertInApp(c: AlertContent, locale: Locale): { title: string; body: string } {
  const prefix = c.purpose === 'escalation' ? (locale === 'en' ? 'Escalation – ' : 'Escalade – ') : '';
  return {
    title: `${prefix}${SEVERITY[locale][c.severity]} : ${category(c, locale)}`,
    body: textOf(c, locale),
  };
}

/** A web push: the in-app words, the commune's name on top (a lock screen shows no portal), the link to open. */
export function alertPush(c: AlertContent, locale: Locale): PushPayload {
  const inApp = alertInApp(c, locale);
  const text = textOf(c, locale);
  const body = text.length > 240 ? `${text.slice(0, 239)}…` : text;
  return {
    title: `${c.communeName} – ${inApp.title}`,
    body,
    alertId: c.alertId,
    url: c.link,
    severity: c.severity,
  };
}

const emailCache = new Map<string, Promise<RenderedEmail & { subject: string }>>();

export function alertEmail(c: AlertContent, locale: Locale): Promise<RenderedEmail & { subject: string }> {
  const key = `${c.alertId}:${locale}:${c.purpose}`;
  let hit = emailCache.get(key);
  if (!hit) {
    hit = renderAlertEmail(c, locale);
    // A failed render must not stay cached.
    hit.catch(() => emailCache.delete(key));
    if (emailCache.size >= 500) emailCache.delete(emailCache.keys().next().value!);
    emailCache.set(key, hit);
  }
  return hit;
}

async function renderAlertEmail(
  c: AlertContent,
  locale: Locale,
): Promise<RenderedEmail & { subject: string }> {
  const cat = category(c, locale);
  const subject = `${c.purpose === 'escalation' ? (locale === 'en' ? '[ESCALATION] ' : '[ESCALADE] ') : ''}${SEVERITY[locale][c.severity]} – ${cat} – ${c.communeName}`;
  const paragraphs =
    c.purpose === 'escalation' ? [escalationLine(c, locale), textOf(c, locale)] : [textOf(c, locale)];
  const rendered = await renderNotificationEmail({
    locale,
    communeName: c.communeName,
    heading: cat,
    paragraphs,
    severity: c.severity,
    action: { label: locale === 'en' ? 'See the alert' : "Voir l'alerte", url: c.link },
    preferencesUrl: c.preferencesUrl,
  });
  return { ...rendered, subject };
}

export interface DigestItem {
  categoryFr: string;
  categoryEn: string;
  text: string;
  link: string;
}

export function digestSms(
  communeName: string,
  items: DigestItem[],
  locale: Locale,
  inboxUrl: string,
): { text: string; segments: number } {
  const n = items.length;
  const text =
    locale === 'en'
      ? `Vigie ${communeName} - ${n} information message(s) since yesterday: ${inboxUrl}`
      : `Vigie ${communeName} - ${n} information(s) depuis hier : ${inboxUrl}`;
  const fitted = fitSms(text);
  return { text: fitted.text, segments: fitted.segments };
}

export async function digestEmail(
  communeName: string,
  items: DigestItem[],
  locale: Locale,
  inboxUrl: string,
  preferencesUrl: string,
): Promise<RenderedEmail & { subject: string }> {
  const heading = locale === 'en' ? 'Your daily digest' : 'Votre résumé du jour';
  const paragraphs = items.map(
    (i) => `${locale === 'en' ? i.categoryEn : i.categoryFr} : ${i.text}\n${i.link}`,
  );
  const rendered = await renderNotificationEmail({
    locale,
    communeName,
    heading,
    paragraphs,
    severity: 'info',
    action: { label: locale === 'en' ? 'Open Vigie' : 'Ouvrir Vigie', url: inboxUrl },
    preferencesUrl,
  });
  return { ...rendered, subject: `${heading} – ${communeName}` };
}

/** Answers to an SMS texted to the commune's number. Each fits one or two segments. */
export const inboundReplies = {
  acknowledged: (communeName: string, ref: string, locale: Locale) =>
    locale === 'en'
      ? `Vigie ${communeName}: your alert ${ref} was received and passed on to the police municipale. In immediate danger, call 17.`
      : `Vigie ${communeName} : votre alerte ${ref} est bien reçue et transmise à la police municipale. En cas de danger immédiat, appelez le 17.`,
  unknownNumber: (communeName: string, portal: string) =>
    `Bonjour, ce numéro n'est associé à aucun compte Vigie de ${communeName}. Pour donner l'alerte par SMS, inscrivez-vous sur ${portal} et vérifiez votre numéro de mobile. En cas d'urgence, appelez le 17.`,
  noCommunity: (communeName: string, locale: Locale) =>
    locale === 'en'
      ? `Vigie ${communeName}: your address is not validated yet, so your SMS could not become an alert. In immediate danger, call 17.`
      : `Vigie ${communeName} : votre adresse n'est pas encore validée, votre SMS n'a pas pu être transmis comme alerte. En cas de danger immédiat, appelez le 17.`,
  rateLimited: (communeName: string, locale: Locale) =>
    locale === 'en'
      ? `Vigie ${communeName}: you sent several alerts in a few minutes; this one was not recorded. In immediate danger, call 17.`
      : `Vigie ${communeName} : vous avez envoyé plusieurs alertes en quelques minutes, celle-ci n'a pas été enregistrée. En cas de danger immédiat, appelez le 17.`,
  empty: (communeName: string) =>
    `Vigie ${communeName} : votre message est vide. Décrivez ce que vous voyez, ou appelez le 17 en cas de danger immédiat.`,
  stop: (communeName: string) =>
    `Vigie ${communeName} : vous ne recevrez plus de SMS. Envoyez START pour les recevoir à nouveau.`,
  start: (communeName: string) =>
    `Vigie ${communeName} : vous recevrez à nouveau les alertes par SMS. Envoyez STOP pour ne plus les recevoir.`,
  help: (communeName: string, portal: string) =>
    `Vigie ${communeName} : envoyez votre alerte par SMS à ce numéro (compte vérifié requis). STOP pour ne plus recevoir de SMS. Infos : ${portal}. Urgence : 17.`,
  noCommune: () => `Vigie : ce numéro ne correspond à aucune commune. En cas d'urgence, appelez le 17.`,
};

const SPOKEN_SEVERITY = {
  fr: { info: 'Information', important: 'Alerte', urgent: 'Alerte urgente' },
  en: { info: 'Information', important: 'Alert', urgent: 'Urgent alert' },
} as const;

const VOICE_WORDS = {
  fr: {
    from: (commune: string) => `Message de Vigie, commune de ${commune}.`,
    repeat: 'Je répète.',
    prompt:
      'Pour confirmer que vous avez entendu ce message, appuyez sur 1. Pour ne plus recevoir d’appels de Vigie, appuyez sur 9.',
    thanks: 'Merci, votre confirmation est enregistrée. Au revoir.',
    optedOut: 'Votre numéro ne sera plus appelé par Vigie. Au revoir.',
    goodbye: 'Aucune touche reçue. Le message est aussi sur le portail de la commune. Au revoir.',
  },
  en: {
    from: (commune: string) => `A message from Vigie, for the commune of ${commune}.`,
    repeat: 'I repeat.',
    prompt: 'To confirm that you heard this message, press 1. To stop calls from Vigie, press 9.',
    thanks: 'Thank you, your confirmation is recorded. Goodbye.',
    optedOut: 'Your number will not be called by Vigie again. Goodbye.',
    goodbye: "No key was pressed. The message is also on the commune's portal. Goodbye.",
  },
} as const;

/**
 * A voice call (text-to-speech): who speaks, the severity and category, the
 * alert's words; no link (a URL read aloud helps nobody). Read twice, then
 * the prompt, by notifications' TwiML.
 */
export function alertVoice(c: AlertContent, locale: Locale) {
  const w = VOICE_WORDS[locale];
  const esc = c.purpose === 'escalation' ? `${escalationLine(c, locale)} ` : '';
  const text = textOf(c, locale).replace(/\s+/g, ' ').trim();
  const message = `${w.from(c.communeName)} ${esc}${SPOKEN_SEVERITY[locale][c.severity]} : ${category(c, locale)}. ${text}`;
  return {
    language: locale === 'en' ? ('en-GB' as const) : ('fr-FR' as const),
    message,
    repeat: w.repeat,
    prompt: w.prompt,
    thanks: w.thanks,
    optedOut: w.optedOut,
    goodbye: w.goodbye,
  };
}
