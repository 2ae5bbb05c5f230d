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
const codes = slices.flatMap((s) => Object.keys(s));
const twice = codes.find((code, i) => codes.indexOf(code) !== i);
if (twice) throw new Error(`Error code ${twice} is declared by two slices`);

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
