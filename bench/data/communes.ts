// The synthetic communes: the two demo tenants (files under tenants/) and the
// 30,000-address commune of the benchmarks.
import type { CommuneSpec } from './ban-synthetic.js';
import type { GridSpec } from './sectors-synthetic.js';

/** Street names of Serris used first (real-looking; the rest are generated). */
const SERRIS_STREETS = [
  'Rue Émile Cloud',
  'Cours du Danube',
  'Avenue de la Fosse des Pressoirs',
  'Boulevard Robert Thiboust',
  'Cours de la Gondoire',
  "Place d'Ariane",
  'Cours du Rhin',
  'Rue de la Galerie',
  'Place de Toscane',
  'Rue du Bois de la Grange',
  'Avenue Christian Doppler',
  'Rue Jean Monnet',
  'Allée des Érables',
  'Rue de Lagny',
  'Place Saint-Exupéry',
  'Rue des Pommiers',
  'Chemin de Bailly',
  'Rue de la Ferme des Communes',
  'Allée du Clos du Verger',
  'Impasse des Vergers',
  "Rue de l'Église",
  'Boulevard Olof Palme',
  'Cours de la Garonne',
  'Rue Paul Claudel',
  'Place des Frères Lumière',
  'Rue du Moulin à Vent',
  'Allée de la Butte Fleurie',
  'Rue Pierre de Coubertin',
  'Avenue du Bourg',
  'Rue des Deux Golfs',
  'Sentier des Fontaines',
  'Rue du Mont Évrin',
  'Rue de la Mare Houleuse',
  'Allée du Parc de la Mairie',
  'Rue Marie Curie',
  'Cours du Tage',
  'Rue de Chessy',
  'Rue Louis Braille',
  'Impasse du Lavoir',
  'Avenue Pierre Mendès France',
];

const MAGNY_STREETS = [
  'Rue de Montguillon',
  'Rue des Labours',
  'Rue de la Sourde',
  'Allée des Frênes',
  'Rue de Chessy',
  "Place de l'Église",
  'Rue du Moulin',
  'Rue des Quatre Vents',
  'Allée du Golf',
  'Rue de Bailly',
  'Impasse des Prés',
  'Rue des Jardins',
  'Chemin du Bois de Coupvray',
];

export const SERRIS: CommuneSpec = {
  inseeCode: '77449',
  name: 'Serris',
  postcode: '77700',
  bbox: [2.778, 48.842, 2.802, 48.858],
  streets: SERRIS_STREETS,
  addresses: 3000,
  seed: 77449,
};

export const SERRIS_SECTORS: GridSpec = {
  bbox: [2.775, 48.839, 2.805, 48.861],
  columns: 4,
  rows: 2,
  names: [
    'Le Village',
    'Le Bourg',
    'Les Deux Golfs',
    'La Gondoire',
    'Le Parc',
    'Centre Urbain',
    'Les Coteaux',
    'Le Mont Évrin',
  ],
  seed: 7744901,
};

export const MAGNY: CommuneSpec = {
  inseeCode: '77268',
  name: 'Magny-le-Hongre',
  postcode: '77700',
  bbox: [2.812, 48.861, 2.828, 48.869],
  streets: MAGNY_STREETS,
  addresses: 500,
  seed: 77268,
};

export const MAGNY_SECTORS: GridSpec = {
  bbox: [2.81, 48.859, 2.83, 48.871],
  columns: 2,
  rows: 2,
  names: ['Le Bourg', 'Les Jardins', 'Les Prés', 'Le Golf'],
  seed: 7726801,
};

/** The commune of the benchmarks: the size DESIGN.md plans for (30,000 households). */
export const BENCH_COMMUNE: CommuneSpec = {
  inseeCode: '77449',
  name: 'Serris',
  postcode: '77700',
  bbox: [2.74, 48.82, 2.84, 48.88],
  streets: SERRIS_STREETS,
  addresses: 30_000,
  seed: 30000,
};
