// The referents slice: candidacies, the referent-selection workflow's API and
// activities, and the referents' tools. The plugin's entry file lists it with
// the other slices.
import type { Slice } from '../slice.js';
import { referentActivities } from './activities.js';
import { referentLoaders, referentResolvers, referentTypeDefs } from './graphql.js';
import { referentPermissions } from './permissions.js';
import { onMembershipEnded } from './seats.js';

export { referentSettingsProperties } from './settings.js';

export const referents: Slice = {
  name: 'referents',
  typeDefs: referentTypeDefs,
  resolvers: referentResolvers,
  loaders: referentLoaders,
  permissions: referentPermissions,
  activities: (deps) => ({ ...referentActivities(deps) }),
  onMembershipEnded,
};
