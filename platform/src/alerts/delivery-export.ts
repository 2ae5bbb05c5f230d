// The delivery report of an alert as CSV, for the staff who may read it
// (alerts.delivery.read, checked by the route's preHandler): every recipient
// and channel with its status, its reason in words and its times, read page
// by page with the same keyset as the report on screen (by recipient name,
// then channel). Only what the page
// shows: the recipient's display name, never an address, a number or an email.
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Knex } from 'knex';
import { requireTenant, tenantTx } from '../http/index.js';
import { audit } from '../lib/audit.js';
import { alertRef, getAlert } from './alerts.js';
import { deliveryReport, type ReportItem } from './deliveries.js';
import { fail } from './errors.js';

type Trx = Knex.Transaction;

/** Why a delivery failed, was held or was skipped, in words (French: the commune's working language). */
export const DELIVERY_REASONS_FR: Record<string, string> = {
  INVALID_NUMBER: 'Numéro invalide',
  OPTED_OUT: 'Désinscrit de ce canal (STOP)',
  UNVERIFIED_ADDRESS: 'Adresse ou numéro non vérifié',
  INVALID_ADDRESS: 'Adresse électronique invalide',
  TIMEOUT: 'Pas de réponse du prestataire à temps',
  SMS_BUDGET: 'Budget SMS du mois épuisé',
  QUIET_HOURS: 'Retenu pendant les heures calmes',
  DIGEST: 'Envoyé dans le résumé du jour',
  RECIPIENT_GONE: 'Compte fermé entre-temps',
  SUBSCRIPTION_GONE: 'Appareil désabonné des notifications',
  PROVIDER_ERROR: 'Erreur du prestataire',
  PROVIDER_UNAVAILABLE: 'Prestataire indisponible',
  NETWORK: 'Erreur réseau',
  RATE_LIMITED: 'Débit du prestataire dépassé',
  REJECTED: 'Refusé par le prestataire',
  CONFIGURATION: 'Canal mal configuré',
  INVALID_CREDENTIALS: 'Identifiants du prestataire refusés',
  UNREACHABLE: 'Destinataire injoignable',
  HARD_BOUNCE: 'Adresse inexistante (rejet définitif)',
  SOFT_BOUNCE: 'Boîte pleine ou indisponible (rejet temporaire)',
  BOUNCE: 'Message rejeté',
  COMPLAINT: 'Signalé comme indésirable par le destinataire',
  UNKNOWN: 'Raison inconnue',
};

const CHANNELS_FR: Record<string, string> = {
  sms: 'SMS',
  email: 'Email',
  in_app: 'Application',
  push: 'Notification push',
};
const STATUSES_FR: Record<string, string> = {
  pending: 'En attente',
  held: 'Différé',
  sending: 'En cours d’envoi',
  sent: 'Envoyé',
  delivered: 'Remis',
  undelivered: 'Non remis',
  bounced: 'Rejeté',
  failed: 'Échec',
  skipped: 'Non envoyé',
};

/**
 * One CSV cell (« ; » separated, as French spreadsheets expect). A cell that
 * starts like a formula (= + - @, or a tab or carriage return before one) is
 * prefixed with a quote, so that a display name such as =HYPERLINK(…) stays
 * text when a spreadsheet opens the file (CSV injection, OWASP).
 */
export function csvCell(v: string | number | null | undefined): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[";\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const HEADER = [
  'destinataire',
  'objet',
  'canal',
  'statut',
  'code motif',
  'motif',
  'tentatives',
  'en file',
  'envoyé',
  'remis',
  'échec',
  'différé jusqu’à',
  'appareil',
];

const iso = (d: Date | null) => (d ? d.toISOString() : '');

export function deliveryCsvRow(r: ReportItem): string {
  return [
    r.accountId === null ? 'Contact de permanence' : (r.displayName ?? ''),
    r.purpose === 'escalation' ? 'escalade' : 'alerte',
    CHANNELS_FR[r.channel] ?? r.channel,
    STATUSES_FR[r.status] ?? r.status,
    r.reason ?? '',
    r.reason ? (DELIVERY_REASONS_FR[r.reason] ?? r.reason) : '',
    r.attempts,
    iso(r.queuedAt),
    iso(r.sentAt),
    iso(r.deliveredAt),
    iso(r.failedAt),
    iso(r.notBefore),
    r.device ?? '',
  ]
    .map(csvCell)
    .join(';');
}

const EXPORT_PAGE = 20_000;

/**
 * The whole report, in the page's order (by recipient, then channel), page
 * after page (20,000 rows each), as lines: a city-wide
 * alert has 100,000 rows, which are streamed, never held in memory at once.
 */
export async function* deliveryCsvLines(trx: Trx, alertId: string): AsyncGenerator<string> {
  yield `\ufeff${HEADER.map(csvCell).join(';')}\r\n`;
  let after: string | null = null;
  do {
    // Each page sorts the alert's rows once: big pages keep a city-wide alert's export to a few sorts.
    const page: Awaited<ReturnType<typeof deliveryReport>> = await deliveryReport(trx, alertId, {
      limit: EXPORT_PAGE,
      maxLimit: EXPORT_PAGE,
      after,
    });
    if (page.items.length) yield `${page.items.map(deliveryCsvRow).join('\r\n')}\r\n`;
    after = page.nextCursor;
  } while (after);
}

/** Writes with backpressure; false once the client has gone (the stream is destroyed). */
function write(out: PassThrough, chunk: string): Promise<boolean> {
  if (out.destroyed) return Promise.resolve(false);
  if (out.write(chunk)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      resolve(ok);
    };
    const onDrain = () => done(true);
    const onClose = () => done(false);
    out.once('drain', onDrain);
    out.once('close', onClose);
  });
}

const Params = Type.Object({ alertId: Type.String({ format: 'uuid' }) });

export async function deliveryExportRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: Static<typeof Params> }>(
    '/alerts/:alertId/deliveries.csv',
    {
      preHandler: app.requirePermission('alerts.delivery.read'),
      schema: {
        tags: ['alerts'],
        summary:
          "Le rapport de diffusion d'une alerte en CSV : chaque destinataire et canal, son statut, le motif d'un échec",
        params: Params,
      },
    },
    async (req, reply) => {
      const tenant = requireTenant(req);
      const { alertId } = req.params;
      const out = new PassThrough();
      // One transaction: the check, the audit and every page read the same
      // snapshot. Headers go once the alert is found; a failure after that
      // cuts the download, which the browser reports as failed, never as a
      // complete file.
      const streaming = tenantTx(app, req, async (trx) => {
        if (!(await getAlert(trx, alertId))) throw fail('ALERT_NOT_FOUND');
        await audit(trx, {
          tenantId: tenant.id,
          actor: { type: 'account', id: req.principal!.accountId },
          action: 'alert.delivery_exported',
          target: { type: 'alert', id: alertId },
          requestId: req.id,
        });
        void reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="diffusion-${tenant.slug}-${alertRef(alertId)}.csv"`,
          )
          .header('cache-control', 'private, no-store')
          .send(out);
        for await (const chunk of deliveryCsvLines(trx, alertId)) if (!(await write(out, chunk))) return;
        out.end();
      });
      try {
        await streaming;
      } catch (err) {
        if (!reply.sent && !reply.raw.headersSent) throw err;
        req.log.error({ err, alertId }, 'delivery report export cut short');
        out.destroy(err as Error);
      }
      return reply;
    },
  );
}
