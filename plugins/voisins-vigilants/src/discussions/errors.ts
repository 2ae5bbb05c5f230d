// Error codes of the discussions slice (gathered with the other slices' in ../errors.ts).
import type { ErrorSpec } from '@vigie/platform/plugin';

export const DISCUSSION_ERRORS = {
  THREAD_NOT_FOUND: { status: 404, fr: 'Discussion introuvable.', en: 'Discussion not found.' },
} as const satisfies Record<string, ErrorSpec>;
