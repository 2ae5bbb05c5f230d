// Event reminder (plugin voisins-vigilants): one workflow per community event,
// sleeping until the reminder is due (e.g. the day before) and then reminding
// the members who answered yes or maybe. Durable across deploys and restarts;
// a date change signals the workflow, which plans again.

export const EVENT_REMINDER_WORKFLOW = 'eventReminder';
/** Workflow id: `<tenant slug>/event-reminder/<eventId>`. */
export const EVENT_REMINDER_KIND = 'event-reminder';
/** Signal sent when the event's date changes or it is cancelled: the workflow plans again. */
export const EVENT_CHANGED_SIGNAL = 'eventChanged';

export interface EventReminderInput {
  tenantId: string;
  eventId: string;
}

export type EventReminderStop =
  'cancelled' | 'started' | 'already_sent' | 'not_found' | 'plugin_disabled' | 'hidden';

export type EventReminderPlan =
  { action: 'wait'; remindAt: string } | { action: 'send' } | { action: 'stop'; reason: EventReminderStop };

export interface EventReminderResult {
  outcome: 'sent' | EventReminderStop;
  recipients: number;
}

/** Implemented by the plugin (activities named after it, to stay unique in the worker). */
export interface EventReminderActivities {
  voisinsVigilantsPlanEventReminder(input: EventReminderInput): Promise<EventReminderPlan>;
  voisinsVigilantsSendEventReminder(input: EventReminderInput): Promise<{ recipients: number }>;
}
