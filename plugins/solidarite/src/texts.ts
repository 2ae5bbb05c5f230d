// What the register tells people, in French and English. A notice names a
// person by first name only, except to the CCAS and the police, who must act.
import type { Wording } from './model.js';

const time = (d: Date, locale: 'fr-FR' | 'en-GB') =>
  d.toLocaleString(locale, { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' });

type Locale = 'fr' | 'en';
type PlanKind = 'canicule' | 'grand_froid';
/** What an automatic call says (or a text to a mobile writes), in the person's language. */
export interface CallWords {
  message: string;
  prompt: string;
  replies: { confirmed: string; otherKey: string };
}

export const texts = {
  askPerson: (firstName: string): Wording => ({
    title: `${firstName}, tout va bien ?`,
    body: 'Le CCAS attend de vos nouvelles : répondez OUI à ce SMS, ou appuyez sur « Je vais bien » dans Vigie.',
    en: {
      title: `${firstName}, are you well?`,
      body: 'The CCAS is waiting for your news: reply OK to this text, or press “I am fine” in Vigie.',
    },
  }),
  /** The automatic call to a landline when an interval ends: read twice, then the prompt. */
  callPerson: (firstName: string, commune: string, locale: Locale = 'fr'): CallWords =>
    locale === 'en'
      ? {
          message: `Hello ${firstName}, this is the CCAS of ${commune}, with an automatic call. We have not heard from you and we want to know that you are well.`,
          prompt: 'If you are well, press 1. Otherwise, a volunteer will call you.',
          replies: {
            confirmed: 'Thank you, noted: the CCAS knows you are well. Goodbye.',
            otherKey: 'Noted: a volunteer will check on you. Goodbye.',
          },
        }
      : {
          message: `Bonjour ${firstName}, ici le CCAS de ${commune}, par un appel automatique. Nous n’avons pas eu de vos nouvelles et nous voulons savoir si tout va bien.`,
          prompt: 'Si tout va bien, appuyez sur 1. Sinon, un bénévole va vous appeler.',
          replies: {
            confirmed: 'Merci, c’est noté : le CCAS sait que vous allez bien. Au revoir.',
            otherKey: 'C’est noté : un bénévole va prendre de vos nouvelles. Au revoir.',
          },
        },
  /** The daily call of a plan canicule / grand froid. */
  callRound: (firstName: string, commune: string, kind: PlanKind, locale: Locale = 'fr'): CallWords =>
    locale === 'en'
      ? {
          message: `Hello ${firstName}, this is the CCAS of ${commune}, with an automatic call. The ${kind === 'canicule' ? 'heatwave' : 'cold spell'} plan is on: we are checking on you every day.`,
          prompt: 'If you are well, press 1. Otherwise, a volunteer will call you.',
          replies: {
            confirmed: `Thank you, noted. ${kind === 'canicule' ? 'Drink water and keep cool.' : 'Keep warm.'} Goodbye.`,
            otherKey: 'Noted: a volunteer will check on you. Goodbye.',
          },
        }
      : {
          message: `Bonjour ${firstName}, ici le CCAS de ${commune}, par un appel automatique. Le plan ${kind === 'canicule' ? 'canicule' : 'grand froid'} est activé : nous prenons de vos nouvelles chaque jour.`,
          prompt: 'Si tout va bien, appuyez sur 1. Sinon, un bénévole va vous appeler.',
          replies: {
            confirmed: 'Merci, c’est noté. Pensez à boire de l’eau et à vous protéger. Au revoir.',
            otherKey: 'C’est noté : un bénévole va prendre de vos nouvelles. Au revoir.',
          },
        },
  /** The text to a mobile with no Vigie account when an interval ends (a call by SMS: OUI is the 1). */
  textPerson: (firstName: string, commune: string, locale: Locale = 'fr'): CallWords =>
    locale === 'en'
      ? {
          message: `Hello ${firstName}, this is the CCAS of ${commune}. We have not heard from you: are you well?`,
          prompt: 'If you are well, reply OK to this text. Otherwise, a volunteer will call you.',
          replies: {
            confirmed: 'Thank you, noted: the CCAS knows you are well.',
            otherKey: 'Noted: a volunteer will check on you.',
          },
        }
      : {
          message: `Bonjour ${firstName}, ici le CCAS de ${commune}. Nous n'avons pas eu de vos nouvelles : tout va bien ?`,
          prompt: 'Si tout va bien, répondez OUI à ce SMS. Sinon, un bénévole va vous appeler.',
          replies: {
            confirmed: 'Merci, c’est noté : le CCAS sait que vous allez bien.',
            otherKey: 'C’est noté : un bénévole va prendre de vos nouvelles.',
          },
        },
  /** The daily text of a plan canicule / grand froid to a mobile with no Vigie account. */
  textRound: (firstName: string, commune: string, kind: PlanKind, locale: Locale = 'fr'): CallWords =>
    locale === 'en'
      ? {
          message: `Hello ${firstName}, this is the CCAS of ${commune}. The ${kind === 'canicule' ? 'heatwave' : 'cold spell'} plan is on: we are checking on you every day.`,
          prompt: 'If you are well, reply OK to this text. Otherwise, a volunteer will call you.',
          replies: {
            confirmed: `Thank you, noted. ${kind === 'canicule' ? 'Drink water and keep cool.' : 'Keep warm.'}`,
            otherKey: 'Noted: a volunteer will check on you.',
          },
        }
      : {
          message: `Bonjour ${firstName}, ici le CCAS de ${commune}. Le plan ${kind === 'canicule' ? 'canicule' : 'grand froid'} est activé : nous prenons de vos nouvelles chaque jour.`,
          prompt: 'Si tout va bien, répondez OUI à ce SMS. Sinon, un bénévole va vous appeler.',
          replies: {
            confirmed: 'Merci, c’est noté. Pensez à boire de l’eau et à vous protéger.',
            otherKey: 'C’est noté : un bénévole va prendre de vos nouvelles.',
          },
        },
  remindVolunteer: (firstName: string, since: Date): Wording => ({
    title: `Pas de nouvelles de ${firstName}`,
    body: `Aucune nouvelle de ${firstName} depuis le ${time(since, 'fr-FR')}. Pouvez-vous prendre de ses nouvelles, puis l’indiquer dans Vigie ?`,
    en: {
      title: `No news from ${firstName}`,
      body: `No news from ${firstName} since ${time(since, 'en-GB')}. Could you check on them, then record it in Vigie?`,
    },
  }),
  tellCcas: (name: string, since: Date): Wording => ({
    title: `Registre : sans nouvelles de ${name}`,
    body: `Aucune nouvelle de ${name} depuis le ${time(since, 'fr-FR')}, malgré la relance des bénévoles.`,
    en: {
      title: `Register: no news from ${name}`,
      body: `No news from ${name} since ${time(since, 'en-GB')}, although the volunteers were reminded.`,
    },
  }),
  alertPolice: (name: string, address: string, since: Date): Wording => ({
    title: `Personne vulnérable sans nouvelles : ${name}`,
    body: `${name}, ${address} : aucune nouvelle depuis le ${time(since, 'fr-FR')}. Le CCAS a été prévenu ; la personne a demandé que la police municipale le soit aussi.`,
    en: {
      title: `Vulnerable person, no news: ${name}`,
      body: `${name}, ${address}: no news since ${time(since, 'en-GB')}. The CCAS was told; the person asked for the police to be told too.`,
    },
  }),
  paired: (firstName: string): Wording => ({
    title: `Vous suivez ${firstName}`,
    body: `Le CCAS vous a confié de prendre régulièrement des nouvelles de ${firstName}. Ses coordonnées sont dans Vigie, rubrique Solidarité.`,
    en: {
      title: `You keep in touch with ${firstName}`,
      body: `The CCAS asked you to check on ${firstName} regularly. How to reach them is in Vigie, under Solidarity.`,
    },
  }),
  planRound: (kind: 'canicule' | 'grand_froid'): Wording =>
    kind === 'canicule'
      ? {
          title: 'Plan canicule : comment allez-vous ?',
          body: 'Le plan canicule est activé. Dites-nous que tout va bien : répondez OUI à ce SMS, ou appuyez sur « Je vais bien » dans Vigie.',
          en: {
            title: 'Heatwave plan: how are you?',
            body: 'The heatwave plan is on. Let us know you are fine: reply OK to this text, or press “I am fine” in Vigie.',
          },
        }
      : {
          title: 'Plan grand froid : comment allez-vous ?',
          body: 'Le plan grand froid est activé. Dites-nous que tout va bien : répondez OUI à ce SMS, ou appuyez sur « Je vais bien » dans Vigie.',
          en: {
            title: 'Cold spell plan: how are you?',
            body: 'The cold spell plan is on. Let us know you are fine: reply OK to this text, or press “I am fine” in Vigie.',
          },
        },
  planVisit: (firstName: string): Wording => ({
    title: `Plan activé : passez voir ${firstName}`,
    body: `Un plan canicule ou grand froid est activé. ${firstName} souhaite une visite : passez la voir aujourd’hui, puis indiquez-le dans Vigie.`,
    en: {
      title: `Plan on: please visit ${firstName}`,
      body: `A heatwave or cold spell plan is on. ${firstName} wants a visit: please call in today, then record it in Vigie.`,
    },
  }),
  dayClosed: (notAnswered: number): Wording => ({
    title: 'Tournée du jour terminée',
    body: `${notAnswered} personne${notAnswered > 1 ? 's' : ''} du registre n’${notAnswered > 1 ? 'ont' : 'a'} pas pu être jointe${notAnswered > 1 ? 's' : ''} aujourd’hui.`,
    en: {
      title: 'Today’s round is over',
      body: `${notAnswered} ${notAnswered === 1 ? 'person' : 'people'} of the register could not be reached today.`,
    },
  }),
};
