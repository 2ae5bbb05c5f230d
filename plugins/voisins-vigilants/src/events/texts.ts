// What attendees are told about an event, French first with the English
// beside it; dates are written in the communes' time zone either way.
import type { Wording } from '../context.js';
import { formatWhen } from './model.js';

const WHEN_EN = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Paris',
});

/** “Saturday 20 June at 18:30”. */
function whenEn(d: Date): string {
  return WHEN_EN.format(d);
}

export const texts = {
  changed: (title: string, starts: Date, place: string): Wording => ({
    title: `Changement : ${title}`,
    body: `${formatWhen(starts)} — ${place}`,
    en: { title: `Change of plan: ${title}`, body: `${whenEn(starts)} — ${place}` },
  }),
  cancelled: (title: string, starts: Date, reason: string): Wording => ({
    title: `Annulé : ${title}`,
    body: `L'événement du ${formatWhen(starts)} est annulé. Motif : ${reason}`,
    en: {
      title: `Cancelled: ${title}`,
      body: `The event on ${whenEn(starts)} is cancelled. Reason: ${reason}`,
    },
  }),
  reminder: (title: string, starts: Date, place: string): Wording => ({
    title: `Rappel : ${title}`,
    body: `${formatWhen(starts)} — ${place}`,
    en: { title: `Reminder: ${title}`, body: `${whenEn(starts)} — ${place}` },
  }),
};
