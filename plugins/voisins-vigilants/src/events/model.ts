import { iso } from '../context.js';

export const EVENT_KINDS = {
  neighbours_day: 'Fête des voisins',
  welcome: "Accueil d'un nouveau voisin",
  gathering: 'Rencontre entre voisins',
  other: 'Autre',
} as const;
export type EventKind = keyof typeof EVENT_KINDS;

export interface EventRow {
  id: string;
  community_id: string;
  author_id: string;
  kind: EventKind;
  title: string;
  description: string;
  place: string;
  starts_at: Date;
  ends_at: Date | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  reminder_sent_at: Date | null;
  hidden_at: Date | null;
  created_at: Date;
}

export function eventObj(r: EventRow) {
  return {
    id: r.id,
    communityId: r.community_id,
    authorId: r.author_id,
    kind: r.kind,
    kindLabel: EVENT_KINDS[r.kind],
    title: r.title,
    description: r.description,
    place: r.place,
    startsAt: iso(r.starts_at),
    endsAt: iso(r.ends_at),
    cancelled: r.cancelled_at !== null,
    cancelReason: r.cancel_reason,
    createdAt: iso(r.created_at),
  };
}
export type EventObj = ReturnType<typeof eventObj>;

const WHEN = new Intl.DateTimeFormat('fr-FR', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Paris',
});

/** « samedi 20 juin à 18:30 », in the communes' time zone. */
export function formatWhen(d: Date): string {
  return WHEN.format(d);
}
