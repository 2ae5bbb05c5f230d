// RGPD rights of a resident: access (a full export, JSON and a readable HTML
// summary) and erasure (the account becomes "ancien membre": what they wrote
// stays, attributed to nobody; what identifies them is gone).
//
// Plugins declare theirs in their definition (`personalData`); the residents
// module gathers them per instance (hooks.ts), so that the export and the
// erasure cover them too.
import type { Knex } from 'knex';
import type { DisplayNames } from '../plugins/index.js';
import type { ResidentsHooks } from './hooks.js';
import { escapeHtml } from '../notifications/index.js';
import { residencesOf } from './residences.js';

type Trx = Knex.Transaction;

export const FORMER_MEMBER_NAME = 'Ancien membre';

function displayNamesIn(trx: Trx): DisplayNames {
  return async (ids) => {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; display_name: string; status: string }> = await trx('accounts')
      .whereIn('id', [...new Set(ids)])
      .select('id', 'display_name', 'status');
    return new Map(rows.map((r) => [r.id, r.status === 'deleted' ? FORMER_MEMBER_NAME : r.display_name]));
  };
}

export interface PluginExport {
  name: string;
  /** False when the commune has since switched the plugin off: what it stored is still held, so still exported. */
  enabled: boolean;
  sections: Record<string, { label: string; onErasure: string; rows: Array<Record<string, unknown>> }>;
}

/**
 * Every registered plugin's data about the account. A plugin the commune has
 * never enabled and that holds nothing about the account is left out, so the
 * export does not list features the commune never had.
 */
async function pluginsExport(
  trx: Trx,
  accountId: string,
  hooks: ResidentsHooks,
): Promise<Record<string, PluginExport>> {
  const states: Array<{ plugin_id: string; enabled: boolean }> = await trx('tenant_plugins').select(
    'plugin_id',
    'enabled',
  );
  const state = new Map(states.map((s) => [s.plugin_id, s.enabled]));
  const names = displayNamesIn(trx);
  const out: Record<string, PluginExport> = {};
  for (const [id, p] of hooks.personalData()) {
    const sections: PluginExport['sections'] = {};
    let held = 0;
    for (const k of p.kinds) {
      const rows = await k.export(trx, accountId, names);
      held += rows.length;
      sections[k.name] = { label: k.label, onErasure: k.onErasure, rows };
    }
    if (!state.has(id) && held === 0) continue;
    out[id] = { name: p.name, enabled: state.get(id) === true, sections };
  }
  return out;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

async function coreExport(trx: Trx, accountId: string) {
  const a = await trx('accounts').where({ id: accountId }).first();
  const roles = await trx('role_assignments')
    .where({ account_id: accountId })
    .select('role', 'scope_id', 'created_at');
  const sessions = await trx('sessions')
    .where({ account_id: accountId })
    .orderBy('created_at', 'desc')
    .select('created_at', 'expires_at', 'revoked_at', 'user_agent');
  const residences = await residencesOf(trx, accountId);
  const proofs = await trx('proof_documents as p')
    .join('residences as r', 'r.id', 'p.residence_id')
    .where('r.account_id', accountId)
    .select('p.residence_id', 'p.mime', 'p.size_bytes', 'p.created_at', 'p.deleted_at', 'p.deleted_reason');
  const inApp = await trx('in_app_notifications')
    .where({ account_id: accountId })
    .orderBy('created_at', 'desc')
    .select('kind', 'title', 'body', 'created_at', 'read_at');
  const prefs = await trx('notification_preferences').where({ account_id: accountId }).first();
  const devices = (await trx('push_subscriptions')
    .where({ account_id: accountId })
    .orderBy('created_at')
    .select('label', 'user_agent', 'created_at', 'last_success_at')) as Array<{
    label: string | null;
    user_agent: string | null;
    created_at: Date;
    last_success_at: Date | null;
  }>;
  const recipients = [a.email, a.phone].filter(Boolean);
  const messages = recipients.length
    ? await trx('dev_outbox')
        .whereIn('recipient', recipients)
        .orderBy('created_at', 'desc')
        .select('channel', 'subject', 'body', 'created_at')
    : [];
  // Alerts stay on erasure (the police's record, signed "Ancien membre"), so they are theirs to see first.
  const alerts = await trx('alerts as a')
    .join('alert_categories as c', 'c.id', 'a.category_id')
    .where('a.author_account_id', accountId)
    .orderBy('a.created_at', 'desc')
    .select(
      'a.id',
      'a.created_at',
      'a.origin',
      'c.label_fr',
      'a.severity',
      'a.body',
      'a.lon',
      'a.lat',
      'a.status',
      'a.closure',
    );
  // Photos they uploaded: what, when, and the alert it went with (the bytes stay behind the alert's link).
  const photos = await trx('alert_photos')
    .where({ uploader_account_id: accountId })
    .orderBy('created_at', 'desc')
    .select('created_at', 'content_type', 'size_bytes', 'alert_id');
  const auditRows = await trx('audit_log')
    .where({ actor_id: accountId })
    .orWhere({ target_type: 'account', target_id: accountId })
    .orderBy('id', 'desc')
    .limit(2000)
    .select('at', 'action', 'actor_type', 'target_type', 'meta');
  return {
    account: {
      id: a.id,
      email: a.email,
      emailVerifiedAt: iso(a.email_verified_at),
      displayName: a.display_name,
      phone: a.phone,
      phoneVerifiedAt: iso(a.phone_verified_at),
      locale: a.locale,
      status: a.status,
      twoFactorEnabled: !!a.totp_enabled_at,
      createdAt: iso(a.created_at),
      lastLoginAt: iso(a.last_login_at),
    },
    roles: roles.map((r: { role: string; scope_id: string | null; created_at: Date }) => ({
      role: r.role,
      communityId: r.scope_id,
      since: iso(r.created_at),
    })),
    residences,
    proofsOfAddress: proofs.map(
      (p: {
        residence_id: string;
        mime: string;
        size_bytes: number;
        created_at: Date;
        deleted_at: Date | null;
        deleted_reason: string | null;
      }) => ({
        residenceId: p.residence_id,
        type: p.mime,
        sizeBytes: p.size_bytes,
        uploadedAt: iso(p.created_at),
        deletedAt: iso(p.deleted_at),
        deletedBecause: p.deleted_reason,
      }),
    ),
    sessions: sessions.map(
      (s: { created_at: Date; expires_at: Date; revoked_at: Date | null; user_agent: string | null }) => ({
        createdAt: iso(s.created_at),
        expiresAt: iso(s.expires_at),
        revokedAt: iso(s.revoked_at),
        device: s.user_agent,
      }),
    ),
    notifications: inApp.map(
      (n: { kind: string; title: string; body: string; created_at: Date; read_at: Date | null }) => ({
        kind: n.kind,
        title: n.title,
        body: n.body,
        at: iso(n.created_at),
        readAt: iso(n.read_at),
      }),
    ),
    pushDevices: devices.map((p) => ({
      label: p.label,
      browser: p.user_agent,
      since: iso(p.created_at),
      lastNotifiedAt: iso(p.last_success_at),
    })),
    notificationPreferences: prefs
      ? {
          info: prefs.info_channels,
          important: prefs.important_channels,
          urgent: prefs.urgent_channels,
          quietHours: `${prefs.quiet_hours_start}–${prefs.quiet_hours_end}`,
          timezone: prefs.timezone,
          // The number voice calls go to: personal data the resident gave.
          voicePhone: prefs.voice_phone ?? null,
        }
      : null,
    alertsRaised: alerts.map(
      (r: {
        id: string;
        created_at: Date;
        origin: string;
        label_fr: string;
        severity: string;
        body: string;
        lon: number | null;
        lat: number | null;
        status: string;
        closure: string | null;
      }) => ({
        id: r.id,
        at: iso(r.created_at),
        origin: r.origin,
        category: r.label_fr,
        severity: r.severity,
        text: r.body,
        location: r.lon === null ? null : { lon: r.lon, lat: r.lat },
        status: r.status,
        closure: r.closure,
      }),
    ),
    alertPhotos: photos.map(
      (r: { created_at: Date; content_type: string; size_bytes: number; alert_id: string | null }) => ({
        at: iso(r.created_at),
        contentType: r.content_type,
        sizeBytes: r.size_bytes,
        alertId: r.alert_id,
      }),
    ),
    messagesSent: messages.map(
      (m: { channel: string; subject: string | null; body: string; created_at: Date }) => ({
        channel: m.channel,
        subject: m.subject,
        body: m.body,
        at: iso(m.created_at),
      }),
    ),
    activity: auditRows.map(
      (r: {
        at: Date;
        action: string;
        actor_type: string;
        target_type: string | null;
        meta: Record<string, unknown>;
      }) => ({ at: iso(r.at), action: r.action, by: r.actor_type, on: r.target_type, details: r.meta }),
    ),
  };
}

export type PersonalDataExport = Awaited<ReturnType<typeof coreExport>> & {
  exportedAt: string;
  commune: string;
  other: Record<string, unknown>;
  plugins: Record<string, PluginExport>;
};

export async function exportPersonalData(
  trx: Trx,
  accountId: string,
  commune: string,
  hooks: ResidentsHooks,
): Promise<PersonalDataExport> {
  const core = await coreExport(trx, accountId);
  const other: Record<string, unknown> = {};
  const plugins = await pluginsExport(trx, accountId, hooks);
  return { exportedAt: new Date().toISOString(), commune, ...core, other, plugins };
}

function cell(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return escapeHtml(v.join(', '));
  if (typeof v === 'object') return `<code>${escapeHtml(JSON.stringify(v))}</code>`;
  return escapeHtml(String(v));
}

function table(rows: Array<Record<string, unknown>>): string {
  if (rows.length === 0) return '<p>Aucune donnée.</p>';
  const cols = Object.keys(rows[0]!);
  return `<table><thead><tr>${cols.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${cols.map((c) => `<td>${cell(r[c])}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function keyValues(o: Record<string, unknown> | null): string {
  if (!o) return '<p>Aucune donnée.</p>';
  return `<dl>${Object.entries(o)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${cell(v)}</dd>`)
    .join('')}</dl>`;
}

function pluginHtml(p: PluginExport): string {
  const off = p.enabled
    ? ''
    : '<p>Ce service n’est plus proposé par votre commune ; les données qu’il conserve à votre sujet restent les suivantes.</p>';
  return `${off}${Object.values(p.sections)
    .map(
      (s) =>
        `<h3>${escapeHtml(s.label)}</h3>${table(s.rows)}<p><em>À la suppression de votre compte : ${escapeHtml(s.onErasure)}.</em></p>`,
    )
    .join('\n')}`;
}

/** A readable summary of the export, self-contained (no script, no external resource). */
export function exportHtml(d: PersonalDataExport): string {
  const sections: Array<[string, string]> = [
    ['Votre compte', keyValues(d.account)],
    ['Vos rôles', table(d.roles)],
    [
      'Vos adresses et demandes de vérification',
      table(
        d.residences.map((r) => ({
          adresse: r.addressLabel,
          communauté: r.sectorName,
          statut: r.status,
          envoyée: r.submittedAt,
          décidée: r.decidedAt,
          motif: r.decisionReasonLabel,
        })),
      ),
    ],
    [
      'Justificatifs de domicile (les documents eux-mêmes sont supprimés après vérification)',
      table(d.proofsOfAddress),
    ],
    ['Sessions de connexion', table(d.sessions)],
    ['Notifications reçues', table(d.notifications)],
    ['Préférences de notification', keyValues(d.notificationPreferences)],
    ['Appareils recevant les notifications', table(d.pushDevices)],
    [
      'Alertes que vous avez lancées',
      table(
        d.alertsRaised.map((a) => ({
          date: a.at,
          catégorie: a.category,
          gravité: a.severity,
          texte: a.text,
          statut: a.status,
        })),
      ),
    ],
    [
      'Photos envoyées avec vos alertes',
      table(
        d.alertPhotos.map((p) => ({
          date: p.at,
          format: p.contentType,
          alerte: p.alertId ?? '(jamais utilisée, effacée sous 24 h)',
        })),
      ),
    ],
    ['Messages envoyés (e-mail, SMS)', table(d.messagesSent)],
    ['Journal d’activité', table(d.activity.map((a) => ({ date: a.at, action: a.action, par: a.by })))],
    ...Object.entries(d.other).map(([name, v]): [string, string] => [
      name,
      `<pre>${escapeHtml(JSON.stringify(v, null, 2))}</pre>`,
    ]),
    ...Object.values(d.plugins).map((p): [string, string] => [p.name, pluginHtml(p)]),
  ];
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Vos données — ${escapeHtml(d.commune)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}dt{font-weight:600}dd{margin:0 0 .5rem}</style></head>
<body><h1>Vos données personnelles</h1><p>Commune : ${escapeHtml(d.commune)} — export du ${escapeHtml(d.exportedAt)}. Le fichier JSON joint contient les mêmes données, complètes.</p>
${sections.map(([title, html]) => `<h2>${escapeHtml(title)}</h2>${html}`).join('\n')}
</body></html>`;
}

/**
 * Erases an account's personal data inside the caller's transaction. The row
 * stays (status deleted, "Ancien membre") so that what the resident posted
 * keeps its author id; the proof bytes must already be gone from the store.
 */
export async function eraseAccount(trx: Trx, accountId: string, hooks: ResidentsHooks): Promise<void> {
  const a = await trx('accounts').where({ id: accountId }).forUpdate().first('email', 'phone');
  if (!a) return;
  const recipients = [a.email, a.phone].filter(Boolean);
  // Every plugin, enabled or not: a plugin switched off still holds what it stored.
  for (const p of hooks.personalData().values())
    for (const k of p.kinds) await k.erase(trx, accountId, hooks.services());
  if (recipients.length) await trx('dev_outbox').whereIn('recipient', recipients).delete();
  await trx('in_app_notifications').where({ account_id: accountId }).delete();
  // A photo attached to an alert stays with it (the police's record) but no longer names its sender;
  // an unattached one loses its sender too and leaves, bytes included, with the next daily purge.
  await trx('alert_photos').where({ uploader_account_id: accountId }).update({ uploader_account_id: null });
  await trx('notification_preferences').where({ account_id: accountId }).delete();
  // A device's push endpoint identifies a browser: it leaves with the account.
  await trx('push_subscriptions').where({ account_id: accountId }).delete();
  // An opt-out keys on a hash of the address and must outlive the account (a STOP stays a STOP).
  await trx('opt_outs').where({ account_id: accountId }).update({ account_id: null });
  await trx('residences').where({ account_id: accountId }).delete();
  await trx('verification_tokens').where({ account_id: accountId }).delete();
  await trx('sessions').where({ account_id: accountId }).delete();
  await trx('role_assignments').where({ account_id: accountId }).delete();
  const now = new Date();
  await trx('accounts')
    .where({ id: accountId })
    .update({
      // The email column is required and unique among live accounts: a placeholder that identifies nobody.
      email: `ancien-membre-${accountId}@invalid`,
      email_verified_at: null,
      password_hash: null,
      display_name: FORMER_MEMBER_NAME,
      phone: null,
      phone_verified_at: null,
      totp_secret_enc: null,
      totp_enabled_at: null,
      totp_last_step: null,
      failed_logins: 0,
      locked_until: null,
      last_login_at: null,
      last_seen_at: null,
      status: 'deleted',
      deleted_at: now,
      updated_at: now,
    });
}
