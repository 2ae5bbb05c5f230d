// Error codes of the events slice (gathered with the other slices' in ../errors.ts).
import type { ErrorSpec } from '@vigie/platform/plugin';

export const EVENT_ERRORS = {
  EVENT_NOT_FOUND: { status: 404, fr: 'Événement introuvable.', en: 'Event not found.' },
  EVENT_IN_PAST: {
    status: 400,
    fr: 'Cet événement est déjà passé : choisissez une date à venir.',
    en: 'This event is already over: choose a date to come.',
  },
  EVENT_CANCELLED: { status: 409, fr: 'Cet événement est annulé.', en: 'This event is cancelled.' },
  EVENT_NOT_ORGANISER: {
    status: 403,
    fr: "Seul l'organisateur peut modifier cet événement.",
    en: 'Only the organiser can change this event.',
  },
} as const satisfies Record<string, ErrorSpec>;
