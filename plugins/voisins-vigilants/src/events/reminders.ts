// The reminder of a community event, run by the eventReminder workflow
// (workflows/event-reminders). The workflow only sleeps; these activities
// read the event each time, so a date change, a cancellation, a hidden event
// or the plugin being switched off for the commune is always seen.
import {
  withTenant,
  type ActivityDeps,
  type PlatformServices,
  type Trx,
  type VigieContext,
} from '@vigie/platform/plugin';
import {
  EVENT_CHANGED_SIGNAL,
  EVENT_REMINDER_KIND,
  EVENT_REMINDER_WORKFLOW,
  type EventReminderActivities,
  type EventReminderInput,
  type EventReminderPlan,
} from '../workflows/contracts.js';
import { notify } from '../context.js';
import { PLUGIN_ID, settingsFrom } from '../settings.js';
import type { EventRow } from './model.js';
import { texts } from './texts.js';

const HOUR = 3_600_000;

export function planReminder(
  ev: EventRow | undefined,
  leadHours: number,
  now = Date.now(),
): EventReminderPlan {
  if (!ev) return { action: 'stop', reason: 'not_found' };
  if (ev.cancelled_at) return { action: 'stop', reason: 'cancelled' };
  if (ev.hidden_at) return { action: 'stop', reason: 'hidden' };
  if (ev.reminder_sent_at) return { action: 'stop', reason: 'already_sent' };
  const start = ev.starts_at.getTime();
  if (now >= start) return { action: 'stop', reason: 'started' };
  const remindAt = start - leadHours * HOUR;
  return now >= remindAt
    ? { action: 'send' }
    : { action: 'wait', remindAt: new Date(remindAt).toISOString() };
}

async function enabledSettings(services: PlatformServices, trx: Trx) {
  const raw = await services.plugins.settings(trx, PLUGIN_ID);
  return raw === null ? null : settingsFrom(raw);
}

export function eventReminderActivities(deps: ActivityDeps): EventReminderActivities {
  const { db, services } = deps;
  return {
    async voisinsVigilantsPlanEventReminder(i: EventReminderInput) {
      return withTenant(db, i.tenantId, async (trx) => {
        const settings = await enabledSettings(services, trx);
        if (!settings) return { action: 'stop', reason: 'plugin_disabled' } as const;
        const ev = (await trx('vv_events').where({ id: i.eventId }).first()) as EventRow | undefined;
        return planReminder(ev, settings.eventReminderHours);
      });
    },

    async voisinsVigilantsSendEventReminder(i: EventReminderInput) {
      return withTenant(db, i.tenantId, async (trx) => {
        if (!(await enabledSettings(services, trx))) return { recipients: 0 };
        // The row lock makes a retried or concurrent send remind once.
        const ev = (await trx('vv_events').where({ id: i.eventId }).forUpdate().first()) as
          EventRow | undefined;
        if (!ev || ev.cancelled_at || ev.hidden_at || ev.reminder_sent_at) return { recipients: 0 };
        const answered: string[] = await trx('vv_event_rsvps')
          .where({ event_id: ev.id })
          .whereIn('answer', ['yes', 'maybe'])
          .pluck('account_id');
        const recipients = [...new Set([ev.author_id, ...answered])];
        await notify(services, trx, {
          tenantId: i.tenantId,
          accountIds: recipients,
          kind: 'event_reminder',
          ...texts.reminder(ev.title, ev.starts_at, ev.place),
          link: `/communaute/evenements/${ev.id}`,
          meta: { eventId: ev.id, communityId: ev.community_id },
          dedupeKey: `${PLUGIN_ID}.event-reminder:${ev.id}:${ev.starts_at.toISOString()}`,
        });
        await trx('vv_events').where({ id: ev.id }).update({ reminder_sent_at: new Date() });
        return { recipients: recipients.length };
      });
    },
  };
}

function workflowStart(ctx: VigieContext, eventId: string) {
  const tenant = ctx.requireTenant();
  const input: EventReminderInput = { tenantId: tenant.id, eventId };
  return {
    ...ctx.services.workflows.options({ id: tenant.id, slug: tenant.slug }, EVENT_REMINDER_KIND, eventId),
    args: [input] as [EventReminderInput],
  };
}

/**
 * Starts the reminder inside the transaction that creates the event: if
 * Temporal refuses, the event is not created either (nothing half-written). If
 * the commit fails after the start, the workflow finds no event and stops.
 */
export async function startReminder(ctx: VigieContext, eventId: string): Promise<void> {
  await ctx.services.workflows.client().workflow.start(EVENT_REMINDER_WORKFLOW, workflowStart(ctx, eventId));
}

/** Wakes the event's workflow to plan again (date changed, cancelled); starts a new one if the last has finished. */
export async function replanReminder(ctx: VigieContext, eventId: string): Promise<void> {
  await ctx.services.workflows.client().workflow.signalWithStart(EVENT_REMINDER_WORKFLOW, {
    ...workflowStart(ctx, eventId),
    signal: EVENT_CHANGED_SIGNAL,
    signalArgs: [],
  });
}
