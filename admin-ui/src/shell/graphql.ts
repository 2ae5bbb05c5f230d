// Pages write their operations with graphql(`…`) and get the generated types
// (Data and Variables) from the literal. At run time the operation stays its
// text: urql parses a string once and caches it by hash. Returning the text
// instead of the generated documents map keeps every operation's syntax tree
// out of the first route's JavaScript (the map held all of them, for every page,
// about 12 kB gzipped); only the types come from src/gql.
import type { graphql as typed } from '../gql/gql.js';

export const graphql = ((source: string) => source) as unknown as typeof typed;
