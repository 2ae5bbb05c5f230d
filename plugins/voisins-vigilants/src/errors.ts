// Every error code of voisins-vigilants, one list per slice, declared once for
// the plugin: `fail` accepts only these codes and the platform's generic ones, and
// the app's catalogue gets them from `errors` in the entry file.
import { defineErrors } from '@vigie/platform/plugin';
import { NEIGHBOUR_ALERT_ERRORS } from './alerts/errors.js';
import { CHARTER_ERRORS } from './charter/errors.js';
import { COMMUNITY_ERRORS } from './community/errors.js';
import { DISCUSSION_ERRORS } from './discussions/errors.js';
import { EVENT_ERRORS } from './events/errors.js';
import { MESSAGE_ERRORS } from './messages/errors.js';
import { MODERATION_ERRORS } from './moderation/errors.js';
import { REFERENT_ERRORS } from './referents/errors.js';

const slices = [
  NEIGHBOUR_ALERT_ERRORS,
  CHARTER_ERRORS,
  COMMUNITY_ERRORS,
  DISCUSSION_ERRORS,
  EVENT_ERRORS,
  MESSAGE_ERRORS,
  MODERATION_ERRORS,
  REFERENT_ERRORS,
];
const seen = new Set<string>();
for (const code of slices.flatMap((s) => Object.keys(s))) {
  if (seen.has(code)) throw new Error(`Error code ${code} is declared by two slices`);
  seen.add(code);
}

export const voisinsErrors = defineErrors({
  ...NEIGHBOUR_ALERT_ERRORS,
  ...CHARTER_ERRORS,
  ...COMMUNITY_ERRORS,
  ...DISCUSSION_ERRORS,
  ...EVENT_ERRORS,
  ...MESSAGE_ERRORS,
  ...MODERATION_ERRORS,
  ...REFERENT_ERRORS,
});

export const { fail } = voisinsErrors;
