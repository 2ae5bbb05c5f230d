import type { Slice } from '../slice.js';
import { communityLoaders, communityResolvers, communityTypeDefs } from './graphql.js';

export const community: Slice = {
  name: 'community',
  typeDefs: communityTypeDefs,
  resolvers: communityResolvers,
  loaders: communityLoaders,
};
