// What an alert would do before it is sent: the recipients per channel (the
// same recipient query and channel plan as the delivery workflow, page by
// page, with nothing written), the households reached, and the SMS it costs:
// segments per message (GSM-7 or UCS-2, the characters that force UCS-2, the
// transliterated text that would avoid them), messages × segments, and the
// month's budget left. The price per segment is the caller's to apply.
import type { Knex } from 'knex';
import type { Channel, Severity } from '../notifications/index.js';
import { countSegments, gsm7Cost, toGsm7 } from '../notifications/index.js';
import { alertSms, type AlertContent, type Locale } from './messages.js';
import { planDeliveries, recipientsPage } from './recipients.js';
import { currentSmsUsage } from './usage.js';
import type { Target } from './alerts.js';

type Trx = Knex.Transaction;

const PAGE = 500;
/** Never stored: the plan needs an alert id for its rows, which are counted and dropped. */
const NO_ALERT = '00000000-0000-0000-0000-000000000000';

export interface ChannelPreview {
  channel: Channel;
  /** Sent at once. */
  now: number;
  /** Held for quiet hours or the daily digest. */
  held: number;
  /** Not sent: opted out, or the SMS budget is spent. */
  skipped: number;
}

export interface AlertPreview {
  recipients: number;
  households: number;
  byChannel: ChannelPreview[];
  sms: {
    /** Of the text as typed. */
    typedEncoding: 'GSM-7' | 'UCS-2';
    /** The characters of the typed text outside GSM-7 (each once, in order). */
    ucs2Characters: string[];
    /** The text with those characters replaced where a GSM-7 spelling exists; null when nothing to replace. */
    suggestion: string | null;
    /** Of the SMS as sent (the platform transliterates and fits it into two segments at most). */
    encoding: 'GSM-7' | 'UCS-2';
    segmentsPerMessage: number;
    messages: number;
    segments: number;
    budget: number | null;
    segmentsUsedThisMonth: number;
    segmentsLeft: number | null;
    /** The SMS as the French-speaking recipients will read it. */
    text: string;
  };
}

export function ucs2Characters(text: string): string[] {
  const out: string[] = [];
  for (const ch of text.normalize('NFC')) if (gsm7Cost(ch) === undefined && !out.includes(ch)) out.push(ch);
  return out;
}

export async function previewAlert(
  trx: Trx,
  c: {
    tenantId: string;
    target: Target;
    severity: Severity;
    /** The channels the sender kept (null: all). */
    channels?: readonly string[] | null;
    authorAccountId: string;
    now: Date;
    smsBudget: number | null;
    /** What the SMS says, as the delivery would render it (the link's length counts). */
    content: Omit<AlertContent, 'alertId'>;
  },
): Promise<AlertPreview> {
  const usage = await currentSmsUsage(trx, { now: c.now, budget: c.smsBudget });
  const overBudget = c.severity !== 'urgent' && usage.overBudget;
  const alert = {
    target_kind: c.target.kind,
    target_sector_ids: c.target.sectorIds,
    target_area: c.target.area ?? null,
    author_account_id: c.authorAccountId,
  };
  const channels = new Map<Channel, ChannelPreview>();
  const reached = new Set<string>();
  const smsTo: string[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page = await recipientsPage(trx, alert as never, cursor, PAGE);
    const rows = await planDeliveries(
      trx,
      {
        tenantId: c.tenantId,
        alertId: NO_ALERT,
        severity: c.severity,
        now: c.now,
        smsOverBudget: overBudget,
        channels: c.channels ? ['in_app', ...c.channels] : null,
      },
      page,
    );
    for (const r of rows) {
      const p = channels.get(r.channel) ?? { channel: r.channel, now: 0, held: 0, skipped: 0 };
      if (r.status === 'skipped') p.skipped++;
      else {
        if (r.status === 'held') p.held++;
        else p.now++;
        if (r.account_id) reached.add(r.account_id);
        if (r.channel === 'sms' && r.account_id) smsTo.push(r.account_id);
      }
      channels.set(r.channel, p);
    }
    if (page.length < PAGE) break;
    cursor = page[page.length - 1]!.id;
  }
  const ids = [...reached];
  const households = ids.length
    ? Number(
        (
          (await trx('residences')
            .where('status', 'active')
            .whereIn('account_id', ids)
            .whereNotNull('address_id')
            .countDistinct('address_id as n')
            .first()) as { n: string }
        ).n,
      )
    : 0;
  // Each SMS is written in its recipient's language: count the segments of each version.
  const locales = smsTo.length
    ? ((await trx('accounts').whereIn('id', smsTo).select('id', 'locale')) as Array<{
        id: string;
        locale: string | null;
      }>)
    : [];
  const english = locales.filter((l) => l.locale === 'en').length;
  const sms = (l: Locale) => alertSms({ ...c.content, alertId: NO_ALERT }, l);
  const fr = sms('fr');
  const en = sms('en');
  const segments = (smsTo.length - english) * fr.segments + english * en.segments;
  const typed = c.content.text;
  const suggestion = toGsm7(typed);
  const order: Channel[] = ['sms', 'email', 'in_app', 'push'];
  return {
    recipients: reached.size,
    households,
    byChannel: order.map((ch) => channels.get(ch) ?? { channel: ch, now: 0, held: 0, skipped: 0 }),
    sms: {
      typedEncoding: countSegments(typed).encoding,
      ucs2Characters: ucs2Characters(typed),
      suggestion: suggestion !== typed && ucs2Characters(typed).length ? suggestion : null,
      encoding: countSegments(fr.text).encoding,
      segmentsPerMessage: fr.segments,
      messages: smsTo.length,
      segments,
      budget: c.smsBudget,
      segmentsUsedThisMonth: usage.segmentsSent,
      segmentsLeft: c.smsBudget === null ? null : Math.max(0, c.smsBudget - usage.segmentsSent),
      text: fr.text,
    },
  };
}
