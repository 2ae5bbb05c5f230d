// What the alert form says, French first, English for residents who chose it.
// The form asks about behaviour, places and vehicles, never about what a
// person looks like or where they come from: "il veille mais ne surveille pas".
import type { Wording } from '../context.js';

export type Locale = 'fr' | 'en';

export const LIMITS = {
  /** The free text: what was seen. */
  what: 500,
  place: 150,
  vehicle: 150,
  plate: 12,
} as const;

/** The optional photo, as the platform's upload route accepts it (POST /alerts/photos). */
export const PHOTO = {
  uploadUrl: '/alerts/photos',
  acceptedTypes: ['image/jpeg', 'image/png'],
  maxBytes: 10 * 1024 * 1024,
} as const;

/** Duplicates of the same author and category within this window are merged into the first alert. */
export const MERGE_WINDOW_MS = 10 * 60_000;

export interface FieldText {
  name: string;
  label: string;
  help: string;
  maxLength: number | null;
  required: boolean;
}

/** The form's fields in order, with their rules; the words are per language below. */
const FIELD_RULES: Array<Pick<FieldText, 'name' | 'maxLength' | 'required'>> = [
  { name: 'what', maxLength: LIMITS.what, required: true },
  { name: 'place', maxLength: LIMITS.place, required: true },
  { name: 'seenAt', maxLength: null, required: false },
  { name: 'vehicle', maxLength: LIMITS.vehicle, required: false },
  { name: 'plate', maxLength: LIMITS.plate, required: false },
  { name: 'category', maxLength: null, required: true },
  { name: 'severity', maxLength: null, required: false },
  { name: 'photo', maxLength: null, required: false },
];

const FIELD_WORDS: Record<Locale, Record<string, Pick<FieldText, 'label' | 'help'>>> = {
  fr: {
    what: {
      label: 'Qu’avez-vous vu ?',
      help: 'Décrivez ce qui se passe : un comportement, une action (ex. « quelqu’un essaie les poignées des portières »).',
    },
    place: { label: 'Où ?', help: 'La rue, un repère, l’entrée d’un immeuble.' },
    seenAt: { label: 'Quand ?', help: 'L’heure à laquelle vous l’avez vu (maintenant par défaut).' },
    vehicle: { label: 'Un véhicule ?', help: 'Type, couleur, marque, sens de circulation.' },
    plate: {
      label: 'Plaque d’immatriculation',
      help: 'Transmise à la police municipale seulement, jamais aux voisins.',
    },
    category: { label: 'Catégorie', help: 'Ce qui décrit le mieux la situation.' },
    severity: { label: 'Urgence', help: 'Urgent : un danger en cours. Appelez d’abord le 17.' },
    photo: {
      label: 'Une photo ?',
      help: 'JPEG ou PNG, 10 Mo au plus. Photographiez un véhicule ou un lieu, jamais une personne reconnaissable.',
    },
  },
  en: {
    what: {
      label: 'What did you see?',
      help: 'Describe what is happening: a behaviour, an action (e.g. “someone is trying car door handles”).',
    },
    place: { label: 'Where?', help: 'The street, a landmark, a building entrance.' },
    seenAt: { label: 'When?', help: 'When you saw it (now by default).' },
    vehicle: { label: 'A vehicle?', help: 'Type, colour, make, direction of travel.' },
    plate: { label: 'Number plate', help: 'Sent to the police municipale only, never to neighbours.' },
    category: { label: 'Category', help: 'What best describes the situation.' },
    severity: { label: 'Urgency', help: 'Urgent: a danger right now. Call 17 first.' },
    photo: {
      label: 'A photo?',
      help: 'JPEG or PNG, 10 MB at most. Photograph a vehicle or a place, never a recognisable person.',
    },
  },
};

const fieldsIn = (locale: Locale): FieldText[] =>
  FIELD_RULES.map((f) => ({ ...f, ...FIELD_WORDS[locale][f.name]! }));

export function formTexts(locale: Locale) {
  const en = locale === 'en';
  return {
    locale,
    title: en ? 'Alert your neighbours' : 'Alerter mes voisins',
    emergency: en ? 'Immediate danger? Call 17' : 'Danger immédiat ? Appelez le 17',
    policeEmergencyNumber: '17',
    europeanEmergencyNumber: '112',
    europeanEmergency: en ? 'European emergency number: 112' : 'Numéro d’urgence européen : 112',
    warning: en
      ? 'Describe facts and behaviour: what you saw, where and when. Do not name or accuse anyone, and do not describe what a person looks like or where they come from. Your alert goes to your neighbours, the police municipale and the town hall.'
      : 'Décrivez des faits et des comportements : ce que vous avez vu, où et quand. Ne nommez et n’accusez personne, et ne décrivez ni l’apparence ni l’origine d’une personne. Votre alerte est envoyée à vos voisins, à la police municipale et à la mairie.',
    urgentConfirmation: en ? 'I have called, or will call, 17' : 'J’ai appelé ou je vais appeler le 17',
    policeMunicipale: en ? 'Police municipale' : 'Police municipale',
    photoHelp: en
      ? 'JPEG or PNG, 10 MB at most. Location and camera details are removed before your neighbours see it.'
      : 'JPEG ou PNG, 10 Mo au plus. La position et les informations de l’appareil sont retirées avant que vos voisins la voient.',
    fields: fieldsIn(locale),
  };
}

/**
 * The text recipients get (SMS, email, in-app), in French like every alert of
 * the commune. The plate stays out: the charter keeps plates for the police.
 */
export function alertText(r: {
  what: string;
  place: string;
  seenAt: Date;
  vehicle?: string | undefined;
  plate?: string | undefined;
}): string {
  const when = r.seenAt.toLocaleString('fr-FR', {
    timeZone: 'Europe/Paris',
    day: '2-digit',
    month: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  const lines = [r.what, `Où : ${r.place}`, `Quand : ${when}`];
  if (r.vehicle) lines.push(`Véhicule : ${r.vehicle}`);
  if (r.plate) lines.push('Plaque transmise à la police municipale.');
  return lines.join('\n');
}

/** What the alert's author is told when a neighbour reacts, in their language. */
export function reactionNotice(kind: 'seen_too' | 'can_help', neighbour: string, ref: string): Wording {
  return kind === 'seen_too'
    ? {
        title: 'Un voisin a vu aussi',
        body: `${neighbour} a vu aussi ce que vous avez signalé (alerte ${ref}).`,
        en: {
          title: 'A neighbour saw it too',
          body: `${neighbour} also saw what you reported (alert ${ref}).`,
        },
      }
    : {
        title: 'Un voisin peut aider',
        body: `${neighbour} propose son aide pour votre alerte ${ref}.`,
        en: {
          title: 'A neighbour can help',
          body: `${neighbour} is offering to help with your alert ${ref}.`,
        },
      };
}
