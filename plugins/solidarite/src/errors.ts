// Every error code of the solidarity register, with its French and English messages.
import { defineErrors } from '@vigie/platform/plugin';

export const solidariteErrors = defineErrors({
  SOL_PERSON_NOT_FOUND: {
    status: 404,
    fr: 'Personne introuvable dans le registre.',
    en: 'Person not found in the register.',
  },
  SOL_CONSENT_REQUIRED: {
    status: 400,
    fr: 'Le consentement explicite de la personne est requis pour l’inscrire au registre.',
    en: 'The person’s explicit consent is required to enter them in the register.',
  },
  SOL_ALREADY_REGISTERED: {
    status: 409,
    fr: 'Cette personne est déjà inscrite au registre.',
    en: 'This person is already in the register.',
  },
  SOL_PHONE_REQUIRED: {
    status: 400,
    fr: 'Un numéro de téléphone est requis pour être joint par téléphone.',
    en: 'A phone number is required to be reached by phone.',
  },
  SOL_PHONE_INVALID: {
    status: 400,
    fr: 'Numéro de téléphone invalide : un numéro français à 10 chiffres est attendu.',
    en: 'Invalid phone number: a 10-digit French number is expected.',
  },
  SOL_ADDRESS_UNKNOWN: {
    status: 400,
    fr: 'Cette adresse n’est pas une adresse de la commune.',
    en: 'This address is not one of the commune’s.',
  },
  SOL_NOT_A_VOLUNTEER: {
    status: 409,
    fr: 'Ce voisin ne s’est pas proposé comme bénévole, ou s’est retiré.',
    en: 'This neighbour has not offered to volunteer, or has withdrawn.',
  },
  SOL_VOLUNTEER_NOT_VERIFIED: {
    status: 403,
    fr: 'Seuls les voisins vérifiés d’une communauté peuvent se proposer comme bénévoles.',
    en: 'Only verified neighbours of a community may volunteer.',
  },
  SOL_OTHER_COMMUNITY: {
    status: 409,
    fr: 'Le bénévole doit appartenir à la même communauté que la personne.',
    en: 'The volunteer must belong to the same community as the person.',
  },
  SOL_TOO_MANY_VOLUNTEERS: {
    status: 409,
    fr: 'Une personne est suivie par deux bénévoles au plus.',
    en: 'A person is kept in touch with by two volunteers at most.',
  },
  SOL_VOLUNTEERS_NOT_ALLOWED: {
    status: 409,
    fr: 'La personne a demandé que seul le CCAS voie son inscription : aucun bénévole ne peut lui être associé.',
    en: 'The person asked that only the CCAS sees their entry: no volunteer can be paired.',
  },
  SOL_NOT_PAIRED: {
    status: 404,
    fr: 'Vous ne suivez pas cette personne.',
    en: 'You do not keep in touch with this person.',
  },
  SOL_PLAN_ALREADY_ACTIVE: {
    status: 409,
    fr: 'Un plan est déjà activé pour la commune : désactivez-le avant d’en activer un autre.',
    en: 'A plan is already active for the commune: deactivate it before activating another.',
  },
  SOL_PLAN_NOT_ACTIVE: {
    status: 409,
    fr: 'Aucun plan n’est activé, ou cette tournée est terminée.',
    en: 'No plan is active, or this round is over.',
  },
});

export const { fail } = solidariteErrors;
