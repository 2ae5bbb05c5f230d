// Error codes of the charter slice (gathered with the other slices' in ../errors.ts).
import type { ErrorSpec } from '@vigie/platform/plugin';

export const CHARTER_ERRORS = {
  CHARTER_NOT_ACCEPTED: {
    status: 403,
    fr: 'Acceptez la charte de la communauté avant de publier.',
    en: "Accept the community's charter before posting.",
  },
  CHARTER_VERSION_OUTDATED: {
    status: 409,
    fr: 'La charte a changé : relisez la nouvelle version avant de l’accepter.',
    en: 'The charter has changed: read the new version before accepting it.',
  },
} as const satisfies Record<string, ErrorSpec>;
