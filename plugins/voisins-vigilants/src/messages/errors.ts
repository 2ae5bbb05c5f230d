// Error codes of the messages slice (gathered with the other slices' in ../errors.ts).
import type { ErrorSpec } from '@vigie/platform/plugin';

export const MESSAGE_ERRORS = {
  MESSAGE_RECIPIENT_NOT_IN_COMMUNITY: {
    status: 403,
    fr: "Vous ne pouvez écrire qu'aux membres de votre communauté.",
    en: 'You can only write to members of your community.',
  },
  MESSAGE_TO_SELF: {
    status: 400,
    fr: 'Vous ne pouvez pas vous écrire à vous-même.',
    en: 'You cannot write to yourself.',
  },
} as const satisfies Record<string, ErrorSpec>;
