// What the absence-watch workflow runs: it reads the declaration, records a
// visit (the notice to the resident, an anomaly to the police chief and a
// call to the person to contact), reminds
// the police of a home without a visit and sends the summary after the return.
// Each activity is idempotent, so a retry or a replay never tells twice.
import { withTenant, type ActivityDeps } from '@vigie/platform/plugin';
import { count, policeOf, type AbsenceRow } from './model.js';
import { tell } from './absences.js';
import { callContact } from './contact-call.js';
import { DAY, PLUGIN_ID, settingsFrom } from './settings.js';
import { texts } from './texts.js';
import type { AbsenceState, AbsenceWatchActivities } from './workflows/contract.js';

export function absenceWatchActivities(deps: ActivityDeps): AbsenceWatchActivities {
  const { db, services } = deps;
  return {
    async tranquilliteLoadAbsence(i) {
      return withTenant(db, i.tenantId, async (trx): Promise<AbsenceState> => {
        const raw = await services.plugins.settings(trx, PLUGIN_ID);
        const empty = { departsAt: '', returnsAt: '', lastVisitAt: null, noVisitMs: 0 };
        if (raw === null) return { status: 'plugin_disabled', ...empty };
        const row = (await trx('tv_absences').where({ id: i.absenceId }).first()) as AbsenceRow | undefined;
        if (!row) return { status: 'missing', ...empty };
        return {
          status: row.status,
          departsAt: row.departs_at.toISOString(),
          returnsAt: row.returns_at.toISOString(),
          lastVisitAt: row.last_visit_at?.toISOString() ?? null,
          noVisitMs: settingsFrom(raw).noVisitReminderDays * DAY,
        };
      });
    },

    async tranquilliteRecordVisit(i, v) {
      return withTenant(db, i.tenantId, async (trx) => {
        // The Update's id is the request's: a retried activity finds its visit.
        const row = (await trx('tv_absences').where({ id: i.absenceId }).forUpdate().first()) as
          AbsenceRow | undefined;
        if (!row) throw new Error(`Absence ${i.absenceId} vanished`);
        const at = new Date(v.visitedAt);
        const existing = await trx('tv_visits')
          .where({ absence_id: row.id, agent_id: v.agentId, visited_at: at })
          .first('id');
        if (existing) return { visitId: existing.id as string };
        const [visit] = await trx('tv_visits')
          .insert({
            tenant_id: i.tenantId,
            absence_id: row.id,
            agent_id: v.agentId,
            visited_at: at,
            outcome: v.outcome,
            note: v.note,
            notice_sent_at: new Date(),
          })
          .returning('id');
        await trx('tv_absences')
          .where({ id: row.id })
          .update({
            last_visit_at: row.last_visit_at && row.last_visit_at > at ? row.last_visit_at : at,
            updated_at: new Date(),
          });
        await count(trx, i.tenantId, at, 'visits');
        await services.audit(trx, {
          tenantId: i.tenantId,
          actor: { type: 'account', id: v.agentId },
          action: `${PLUGIN_ID}.visit.logged`,
          target: { type: 'absence', id: row.id },
          meta: { visitId: visit.id, outcome: v.outcome },
          ...(v.requestId ? { requestId: v.requestId } : {}),
        });
        // The notice: time and outcome, never the agent's name.
        await tell(
          services,
          trx,
          i.tenantId,
          [row.account_id],
          'visit',
          texts.visit(at, v.outcome),
          '/tranquillite-vacances',
          { absenceId: row.id, outcome: v.outcome, channels: row.notice_channels },
          `${PLUGIN_ID}.visit:${visit.id}`,
          // By SMS or email too when the resident chose it (push is not offered for notices yet).
          { channels: row.notice_channels },
        );
        if (v.outcome !== 'ras') {
          await count(trx, i.tenantId, at, 'anomalies');
          const chiefs = await services.roles.holders(trx, 'police_chief', null);
          await tell(
            services,
            trx,
            i.tenantId,
            chiefs.length > 0 ? chiefs : await policeOf(services, trx),
            'anomaly',
            texts.anomaly(row.address_label, at, v.outcome, v.note),
            `/police/tranquillite-vacances/${row.id}`,
            { absenceId: row.id, visitId: visit.id, severity: 'urgent' },
            `${PLUGIN_ID}.anomaly:${visit.id}`,
            { channels: ['sms', 'email'], severity: 'urgent' },
          );
          // And the person to contact named in the declaration, by an automatic call.
          await callContact(services, trx, row, { id: visit.id as string, outcome: v.outcome });
        }
        return { visitId: visit.id as string };
      });
    },

    async tranquilliteRemindPolice(i, since) {
      await withTenant(db, i.tenantId, async (trx) => {
        const row = (await trx('tv_absences').where({ id: i.absenceId }).first()) as AbsenceRow | undefined;
        if (!row || row.status !== 'validated') return;
        await tell(
          services,
          trx,
          i.tenantId,
          await policeOf(services, trx),
          'no_visit',
          texts.noVisit(row.address_label, new Date(since)),
          `/police/tranquillite-vacances/${row.id}`,
          { absenceId: row.id },
          `${PLUGIN_ID}.no-visit:${row.id}:${since}`,
        );
      });
    },

    async tranquilliteSendSummary(i) {
      return withTenant(db, i.tenantId, async (trx) => {
        const row = (await trx('tv_absences').where({ id: i.absenceId }).forUpdate().first()) as
          AbsenceRow | undefined;
        if (!row) return { visits: 0 };
        const visits = (await trx('tv_visits').where({ absence_id: row.id }).select('outcome')) as Array<{
          outcome: string;
        }>;
        if (!row.summary_sent_at) {
          await tell(
            services,
            trx,
            i.tenantId,
            [row.account_id],
            'summary',
            texts.summary(
              row.departs_at,
              row.returns_at,
              visits.length,
              visits.filter((v) => v.outcome !== 'ras').length,
            ),
            '/tranquillite-vacances',
            { absenceId: row.id },
            `${PLUGIN_ID}.summary:${row.id}`,
            { channels: row.notice_channels },
          );
          await trx('tv_absences').where({ id: row.id }).update({ summary_sent_at: new Date() });
        }
        return { visits: visits.length };
      });
    },
  };
}
