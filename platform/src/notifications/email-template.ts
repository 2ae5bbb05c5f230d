// Notification emails: one responsive layout (mjml) with a plain-text twin,
// French first, English available. Everything that comes from people (alert
// texts, names) is escaped: a resident's alert must never inject markup into
// a neighbour's mailbox.
import type { Severity } from './ports.js';
import { loadOnce } from '../lib/load-once.js';

export type EmailLocale = 'fr' | 'en';

export interface NotificationEmailInput {
  locale: EmailLocale;
  communeName: string;
  /** Title line of the message, e.g. the alert's category. */
  heading: string;
  paragraphs: string[];
  severity?: Severity;
  action?: { label: string; url: string };
  /** Link to the resident's notification preferences. */
  preferencesUrl?: string;
}

export interface RenderedEmail {
  html: string;
  text: string;
}

const STRINGS = {
  fr: {
    severity: { info: 'Information', important: 'Alerte importante', urgent: 'Alerte urgente' },
    danger: 'En cas de danger immédiat, appelez le 17.',
    why: (c: string) => `Vous recevez ce message parce que vous êtes inscrit(e) au réseau Vigie de ${c}.`,
    prefs: 'Gérer mes préférences de notification',
  },
  en: {
    severity: { info: 'Information', important: 'Important alert', urgent: 'Urgent alert' },
    danger: 'In immediate danger, call 17.',
    why: (c: string) => `You receive this message because you joined the Vigie network of ${c}.`,
    prefs: 'Manage my notification preferences',
  },
} as const;

const COLOURS: Record<Severity, string> = { info: '#1d4ed8', important: '#b45309', urgent: '#b91c1c' };

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function safeUrl(url: string): string {
  const u = new URL(url);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('Email links must be http(s)');
  return escapeHtml(u.toString());
}

function mjmlSource(i: NotificationEmailInput): string {
  const t = STRINGS[i.locale];
  const severity = i.severity ?? 'info';
  const paragraphs = i.paragraphs
    .map(
      (p) =>
        `<mj-text font-size="16px" line-height="24px">${escapeHtml(p).replace(/\n/g, '<br />')}</mj-text>`,
    )
    .join('\n');
  const action = i.action
    ? `<mj-button href="${safeUrl(i.action.url)}" background-color="${COLOURS[severity]}" font-size="16px">${escapeHtml(i.action.label)}</mj-button>`
    : '';
  const prefs = i.preferencesUrl
    ? `<mj-text font-size="12px" color="#6b7280"><a href="${safeUrl(i.preferencesUrl)}" style="color:#6b7280">${t.prefs}</a></mj-text>`
    : '';
  return `<mjml lang="${i.locale}">
  <mj-head>
    <mj-title>${escapeHtml(i.heading)}</mj-title>
    <mj-attributes><mj-all font-family="Helvetica, Arial, sans-serif" /></mj-attributes>
  </mj-head>
  <mj-body background-color="#f3f4f6">
    <mj-section background-color="${COLOURS[severity]}" padding="12px">
      <mj-column><mj-text color="#ffffff" font-size="14px" font-weight="bold">${escapeHtml(i.communeName)} · ${t.severity[severity]}</mj-text></mj-column>
    </mj-section>
    <mj-section background-color="#ffffff" padding="16px">
      <mj-column>
        <mj-text font-size="22px" font-weight="bold" line-height="28px">${escapeHtml(i.heading)}</mj-text>
        ${paragraphs}
        ${action}
        <mj-text font-size="14px" font-weight="bold">${t.danger}</mj-text>
      </mj-column>
    </mj-section>
    <mj-section padding="8px">
      <mj-column>
        <mj-text font-size="12px" color="#6b7280">${escapeHtml(t.why(i.communeName))}</mj-text>
        ${prefs}
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
}

function textPart(i: NotificationEmailInput): string {
  const t = STRINGS[i.locale];
  const lines = [
    `${i.communeName} · ${t.severity[i.severity ?? 'info']}`,
    '',
    i.heading,
    '',
    ...i.paragraphs.flatMap((p) => [p, '']),
  ];
  if (i.action) lines.push(`${i.action.label} : ${i.action.url}`, '');
  lines.push(t.danger, '', '--', t.why(i.communeName));
  if (i.preferencesUrl) lines.push(`${t.prefs} : ${i.preferencesUrl}`);
  return lines.join('\n');
}

const mjml = loadOnce(async () => (await import('mjml')).default);

export async function renderNotificationEmail(i: NotificationEmailInput): Promise<RenderedEmail> {
  // Loaded on the first email: mjml and its parsers weigh about 40 MB of memory,
  // which `vigie api` (it renders no email, the worker does) would carry for nothing.
  const mjml2html = await mjml();
  const out = await mjml2html(mjmlSource(i), { validationLevel: 'strict', keepComments: false });
  return { html: out.html, text: textPart(i) };
}
