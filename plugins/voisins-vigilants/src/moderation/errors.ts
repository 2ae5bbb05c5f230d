// Error codes of the moderation slice (gathered with the other slices' in ../errors.ts).
import type { ErrorSpec } from '@vigie/platform/plugin';

export const MODERATION_ERRORS = {
  CONTENT_NOT_FOUND: { status: 404, fr: 'Contenu introuvable.', en: 'Content not found.' },
  CONTENT_ALREADY_HIDDEN: {
    status: 409,
    fr: 'Ce contenu est déjà masqué.',
    en: 'This content is already hidden.',
  },
  CONTENT_NOT_HIDDEN: { status: 409, fr: "Ce contenu n'est pas masqué.", en: 'This content is not hidden.' },
  ALREADY_REPORTED: {
    status: 409,
    fr: 'Vous avez déjà signalé ce contenu.',
    en: 'You have already reported this content.',
  },
  CANNOT_REPORT_OWN_CONTENT: {
    status: 400,
    fr: 'Vous ne pouvez pas signaler votre propre contribution.',
    en: 'You cannot report your own contribution.',
  },
} as const satisfies Record<string, ErrorSpec>;
