// What a voice call of an alert says, asked by the notifications module's
// TwiML webhook when Twilio reports the call answered: the delivery (from the
// signed URL) gives the alert and the recipient's language. Nothing else of
// the recipient is read: the words are the alert's, the same for everyone.
import type { Knex } from 'knex';
import type { Config } from '../config/config.js';
import type { VoiceScriptProvider } from '../notifications/index.js';
import { CONTENT_COLUMNS, contentOf, type ContentRow } from './activities.js';
import { alertVoice } from './messages.js';
import { alertSettings } from './settings.js';

export function alertVoiceScripts(config: Config): VoiceScriptProvider {
  return async ({ ref }, trx: Knex.Transaction) => {
    const row = (await trx('deliveries as d')
      .join('alerts as a', 'a.id', 'd.alert_id')
      .join('alert_categories as c', 'c.id', 'a.category_id')
      .join('tenants as t', 't.id', 'a.tenant_id')
      .leftJoin('accounts as acc', 'acc.id', 'd.account_id')
      .where({ 'd.id': ref, 'd.channel': 'voice' })
      .first('d.purpose', 'acc.locale', ...CONTENT_COLUMNS)) as
      (ContentRow & { purpose: 'alert' | 'escalation'; locale: string | null }) | undefined;
    if (!row) return null;
    const content = contentOf(config, row, row.purpose, alertSettings(row.tenant_settings));
    return alertVoice(content, row.locale === 'en' ? 'en' : 'fr');
  };
}
