// What the solidarity workflows run: they read the entry or the plan, take one
// escalation step, and open and close a day of the plan's round. Each
// activity is idempotent (notices carry a dedupe key, days are upserts), so a
// retry or a replay never tells twice.
import { withTenant, type ActivityDeps, type Trx } from '@vigie/platform/plugin';
import { callForCheckIn, callForRound } from './call.js';
import { ccasOf, policeOf, tell, volunteersOf, type PersonRow } from './model.js';
import { counts, type ActivationRow } from './plan.js';
import { dayMs, hourMs, PLUGIN_ID, settingsFrom } from './settings.js';
import { texts } from './texts.js';
import type { CheckInState, DayCounts, SolidariteActivities } from './workflows/contract.js';

export function solidariteActivities(deps: ActivityDeps): SolidariteActivities {
  const { db, services } = deps;
  const settings = async (trx: Trx) => {
    const raw = await services.plugins.settings(trx, PLUGIN_ID);
    return raw === null ? null : settingsFrom(raw);
  };
  return {
    async solidariteLoadPerson(i) {
      return withTenant(db, i.tenantId, async (trx): Promise<CheckInState> => {
        const s = await settings(trx);
        const empty = {
          lastSignAt: '',
          intervalMs: 0,
          delaysMs: { person: 0, volunteer: 0, ccas: 0, police: 0 },
          escalatePolice: false,
        };
        if (!s) return { status: 'plugin_disabled', ...empty };
        const row = (await trx('sol_people').where({ id: i.personId }).first()) as PersonRow | undefined;
        if (!row) return { status: 'missing', ...empty };
        const hour = hourMs(s);
        return {
          status: 'active',
          lastSignAt: row.last_sign_at.toISOString(),
          intervalMs: row.interval_days * dayMs(s),
          delaysMs: {
            person: 0,
            volunteer: s.volunteerReminderHours * hour,
            ccas: s.ccasDelayHours * hour,
            police: s.policeDelayHours * hour,
          },
          escalatePolice: row.escalate_police,
          personCallUnanswered: row.person_call_unanswered_for?.getTime() === row.last_sign_at.getTime(),
        };
      });
    },

    async solidariteEscalate(i, step, since) {
      await withTenant(db, i.tenantId, async (trx) => {
        const row = (await trx('sol_people').where({ id: i.personId }).forUpdate().first()) as
          PersonRow | undefined;
        // News came in meanwhile (a new interval), or consent was withdrawn: nothing to tell.
        if (!row || row.last_sign_at.toISOString() !== since) return;
        const at = new Date(since);
        const key = `${PLUGIN_ID}.escalation:${row.id}:${since}:${step}`;
        const name = `${row.first_name} ${row.last_name}`;
        if (step === 'person') {
          // A landline is called (« appuyez sur 1 »), a mobile with no account texted (« répondez OUI »);
          // an account is asked in Vigie and by SMS (OUI).
          const called = await callForCheckIn(services, trx, row, since);
          if (!called && !row.account_id) return;
          if (row.account_id)
            await tell(
              services,
              trx,
              i.tenantId,
              [row.account_id],
              'ask',
              texts.askPerson(row.first_name),
              '/solidarite',
              { personId: row.id },
              key,
              { channels: ['sms'], severity: 'important' },
            );
        } else if (step === 'volunteer') {
          // Nobody paired: the step is taken (recorded), the CCAS comes next.
          await tell(
            services,
            trx,
            i.tenantId,
            await volunteersOf(trx, row.id),
            'no_news',
            texts.remindVolunteer(row.first_name, at),
            '/solidarite',
            { personId: row.id },
            key,
            { channels: ['sms'], severity: 'important' },
          );
        } else if (step === 'ccas') {
          await tell(
            services,
            trx,
            i.tenantId,
            await ccasOf(services, trx),
            'no_news_ccas',
            texts.tellCcas(name, at),
            `/ccas/registre/${row.id}`,
            { personId: row.id, severity: 'important' },
            key,
            { channels: ['sms', 'email'], severity: 'important' },
          );
        } else {
          await tell(
            services,
            trx,
            i.tenantId,
            await policeOf(services, trx),
            'no_news_police',
            texts.alertPolice(name, row.address_label, at),
            '/police',
            { personId: row.id, severity: 'urgent' },
            key,
            { channels: ['sms', 'email'], severity: 'urgent' },
          );
        }
        await trx('sol_people').where({ id: row.id }).update({ escalation: step, escalated_at: new Date() });
        await services.audit(trx, {
          tenantId: i.tenantId,
          actor: { type: 'system', id: null },
          action: `${PLUGIN_ID}.escalation.${step}`,
          target: { type: 'sol_person', id: row.id },
          meta: { since },
        });
      });
    },

    async solidariteLoadPlan(i) {
      return withTenant(db, i.tenantId, async (trx) => {
        const s = await settings(trx);
        const a = (await trx('sol_activations').where({ id: i.activationId }).first()) as
          ActivationRow | undefined;
        return { active: Boolean(s && a && !a.ended_at), dayMs: s ? dayMs(s) : 0 };
      });
    },

    async solidariteOpenDay(i, day) {
      return withTenant(db, i.tenantId, async (trx): Promise<DayCounts> => {
        const a = (await trx('sol_activations').where({ id: i.activationId }).forUpdate().first()) as
          ActivationRow | undefined;
        if (!a) return { pending: 0, answered: 0, notAnswered: 0, visited: 0 };
        if (a.days < day)
          await trx('sol_activations').where({ id: a.id }).update({ days: day, updated_at: new Date() });
        const people = (await trx('sol_people').select(
          'id',
          'tenant_id',
          'account_id',
          'first_name',
          'contact_method',
          'phone_sealed',
          'locale',
        )) as PersonRow[];
        if (people.length > 0)
          await trx('sol_round_contacts')
            .insert(
              people.map((p) => ({
                tenant_id: i.tenantId,
                activation_id: a.id,
                day,
                person_id: p.id,
                channel: p.contact_method,
              })),
            )
            .onConflict(['tenant_id', 'activation_id', 'day', 'person_id'])
            .ignore();
        // Those with an account are asked in Vigie; those who want a visit, through their volunteers.
        const withAccount = people.filter((p) => p.account_id).map((p) => p.account_id!);
        await tell(
          services,
          trx,
          i.tenantId,
          withAccount,
          'round',
          texts.planRound(a.kind),
          '/solidarite',
          { activationId: a.id, day },
          `${PLUGIN_ID}.round:${a.id}:${day}`,
          { channels: ['sms'], severity: 'important' },
        );
        // Landlines get an automatic call (« appuyez sur 1 »), mobiles with no account a text
        // (« répondez OUI »): a 1 or OUI marks them answered.
        await callForRound(services, trx, a, day, people);
        for (const p of people.filter((x) => x.contact_method === 'visit'))
          await tell(
            services,
            trx,
            i.tenantId,
            await volunteersOf(trx, p.id),
            'round_visit',
            texts.planVisit(p.first_name),
            '/solidarite',
            { activationId: a.id, day, personId: p.id },
            `${PLUGIN_ID}.round-visit:${a.id}:${day}:${p.id}`,
            { channels: ['sms'], severity: 'important' },
          );
        return counts(trx, a.id, day);
      });
    },

    async solidariteCloseDay(i, day) {
      return withTenant(db, i.tenantId, async (trx): Promise<DayCounts> => {
        const a = (await trx('sol_activations').where({ id: i.activationId }).forUpdate().first()) as
          ActivationRow | undefined;
        if (!a) return { pending: 0, answered: 0, notAnswered: 0, visited: 0 };
        const closed = await trx('sol_round_contacts')
          .where({ activation_id: a.id, day, status: 'pending' })
          .update({ status: 'not_answered', updated_at: new Date() });
        const c = await counts(trx, a.id, day);
        // The summary adds each day once: `closedDays` says which were added.
        const summary = { ...a.summary };
        const done = new Set(((summary.closedDays as unknown as number[] | undefined) ?? []).map(Number));
        if (!done.has(day)) {
          summary.answered = (summary.answered ?? 0) + c.answered;
          summary.notAnswered = (summary.notAnswered ?? 0) + c.notAnswered;
          summary.visited = (summary.visited ?? 0) + c.visited;
          summary.people = Math.max(summary.people ?? 0, c.answered + c.notAnswered + c.visited);
          (summary as Record<string, unknown>).closedDays = [...done, day];
          await trx('sol_activations')
            .where({ id: a.id })
            .update({ summary: JSON.stringify(summary), updated_at: new Date() });
          await services.audit(trx, {
            tenantId: i.tenantId,
            actor: { type: 'system', id: null },
            action: `${PLUGIN_ID}.round.day_closed`,
            target: { type: 'sol_activation', id: a.id },
            meta: { day, ...c, markedNotAnswered: closed },
          });
        }
        if (c.notAnswered > 0)
          await tell(
            services,
            trx,
            i.tenantId,
            await ccasOf(services, trx),
            'round_closed',
            texts.dayClosed(c.notAnswered),
            '/ccas/plan',
            { activationId: a.id, day },
            `${PLUGIN_ID}.round-closed:${a.id}:${day}`,
            { channels: ['email'], severity: 'important' },
          );
        return c;
      });
    },
  };
}
