// A deterministic generator of plausible Base Adresse Nationale extracts, for
// communes we have no real extract of (the demo tenants) and for benchmarks.
// Same seed, same file, byte for byte. Node built-ins only.
//
// Streets are straight segments laid inside the commune's bounding box, with
// odd numbers on one side and even numbers on the other, a few "bis"/"ter",
// Lambert-93 x/y computed from lon/lat, and every BAN column filled the way
// the real files fill them.

export interface CommuneSpec {
  inseeCode: string;
  name: string;
  postcode: string;
  /** [minLon, minLat, maxLon, maxLat] */
  bbox: [number, number, number, number];
  /** Street names used first, in order; generated names complete them. */
  streets: string[];
  addresses: number;
  seed: number;
}

export const BAN_HEADER = [
  'id',
  'id_fantoir',
  'numero',
  'rep',
  'nom_voie',
  'code_postal',
  'code_insee',
  'nom_commune',
  'code_insee_ancienne_commune',
  'nom_ancienne_commune',
  'x',
  'y',
  'lon',
  'lat',
  'type_position',
  'alias',
  'nom_ld',
  'libelle_acheminement',
  'nom_afnor',
  'source_position',
  'source_nom_voie',
  'certification_commune',
  'cad_parcelles',
];

/** mulberry32: small, fast, and the same everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STREET_TYPES = [
  'Rue',
  'Rue',
  'Rue',
  'Allée',
  'Avenue',
  'Impasse',
  'Chemin',
  'Place',
  'Boulevard',
  'Cours',
  'Square',
  'Passage',
  'Sentier',
  'Route',
];
const STREET_NAMES = [
  'des Tilleuls',
  'des Érables',
  'du Moulin',
  'de la Mare',
  'Saint-Exupéry',
  'Jean Jaurès',
  'Victor Hugo',
  'des Lilas',
  'de la Forêt',
  'des Prés',
  'du Château',
  "de l'Église",
  'de la Fontaine',
  'des Acacias',
  'du Stade',
  'Pasteur',
  'Jules Ferry',
  'de la République',
  'des Écoles',
  'du Lavoir',
  'des Vignes',
  'des Peupliers',
  'du Bois',
  'de la Ferme',
  'des Marronniers',
  'Émile Zola',
  'Louis Braille',
  'Marie Curie',
  'Anatole France',
  'George Sand',
  'des Coquelicots',
  'des Bleuets',
  'des Jonquilles',
  'de la Gare',
  'du Marché',
  'Gambetta',
  'Charles de Gaulle',
  'du Général Leclerc',
  'des Sources',
  'du Verger',
  'des Alouettes',
  'des Mésanges',
  'des Hirondelles',
  'du Parc',
  'des Jardins',
  'de la Croix Blanche',
  'des Noyers',
  'des Cerisiers',
  'du Pressoir',
  'de la Libération',
  'Molière',
  'Racine',
  'La Fontaine',
  'Voltaire',
  'Jean Moulin',
  'Pierre Brossolette',
  'Lucie Aubrac',
  'Simone Veil',
  'Paul Éluard',
  'Aristide Briand',
  'des Glycines',
  'des Chênes',
  'des Charmes',
  'des Bouleaux',
  'du Pavillon',
  'des Vergers',
  'de la Prairie',
  'du Ruisseau',
  'des Sablons',
  'de la Butte',
  'des Rossignols',
  'des Fauvettes',
  'du Petit Bois',
  'des Roses',
  'des Iris',
  'des Mimosas',
  'des Magnolias',
  'des Camélias',
  'des Hortensias',
  'des Pivoines',
  'Auguste Renoir',
  'Claude Monet',
  'Paul Cézanne',
  'Édouard Manet',
  'Camille Pissarro',
  'Alfred Sisley',
  'Berthe Morisot',
  'Gustave Eiffel',
  'Louis Pasteur',
  'Henri Matisse',
  'Saint-Martin',
  'Sainte-Geneviève',
  'Saint-Denis',
  'Sainte-Anne',
  'Saint-Nicolas',
  'de Normandie',
  'de Bretagne',
  "d'Alsace",
  'de Provence',
  'de Savoie',
];

/** Street names beyond the commune's own: every type with every name, in a fixed shuffled order. */
function generatedStreetNames(rand: () => number): string[] {
  const all: string[] = [];
  for (const n of STREET_NAMES) for (const t of [...new Set(STREET_TYPES)]) all.push(`${t} ${n}`);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all;
}

/** Lambert-93 (EPSG:2154) from WGS 84 longitude/latitude, as the BAN x and y columns. */
export function lambert93(lon: number, lat: number): [number, number] {
  const a = 6378137;
  const e = 0.0818191910428158;
  const rad = Math.PI / 180;
  const m = (phi: number) => Math.cos(phi) / Math.sqrt(1 - e * e * Math.sin(phi) ** 2);
  const t = (phi: number) =>
    Math.tan(Math.PI / 4 - phi / 2) / ((1 - e * Math.sin(phi)) / (1 + e * Math.sin(phi))) ** (e / 2);
  const [phi1, phi2, phi0, lambda0] = [44 * rad, 49 * rad, 46.5 * rad, 3 * rad];
  const n = (Math.log(m(phi1)) - Math.log(m(phi2))) / (Math.log(t(phi1)) - Math.log(t(phi2)));
  const F = m(phi1) / (n * t(phi1) ** n);
  const rho = a * F * t(lat * rad) ** n;
  const rho0 = a * F * t(phi0) ** n;
  const theta = n * (lon * rad - lambda0);
  return [700000 + rho * Math.sin(theta), 6600000 + rho0 - rho * Math.cos(theta)];
}

/** NOM AFNOR: upper case, no accents, no apostrophes, 32 characters at most. */
function afnor(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/['’-]/g, ' ')
    .replace(/\s+/g, ' ')
    .slice(0, 32)
    .trim();
}

export interface BanRow {
  id: string;
  id_fantoir: string;
  numero: number;
  rep: string;
  nom_voie: string;
  lon: number;
  lat: number;
}

const round = (v: number, digits: number) => Number(v.toFixed(digits));

/** The addresses of a synthetic commune, street by street. */
export function* banRows(spec: CommuneSpec): Generator<BanRow & { line: string }> {
  const rand = prng(spec.seed);
  const [minLon, minLat, maxLon, maxLat] = spec.bbox;
  const perStreet = 36;
  const streetCount = Math.max(1, Math.ceil(spec.addresses / perStreet));
  const names = [
    ...spec.streets,
    ...generatedStreetNames(rand).filter((n) => !spec.streets.includes(n)),
  ].slice(0, streetCount);
  let left = spec.addresses;
  const metresLon = 1 / (111_320 * Math.cos(((minLat + maxLat) / 2) * (Math.PI / 180)));
  const metresLat = 1 / 110_574;
  for (let s = 0; s < names.length && left > 0; s++) {
    const streetsLeft = names.length - s;
    const count =
      s === names.length - 1
        ? left
        : Math.min(left, Math.max(2, Math.round((left / streetsLeft) * (0.4 + rand() * 1.2))));
    left -= count;
    const nomVoie = names[s]!;
    const voie = String(100 + s * 7).padStart(4, '0');
    // A straight street: a start inside the box, a direction, numbered every ~12 m on each side.
    const angle = rand() * Math.PI;
    const pairs = Math.ceil(count / 2);
    const lengthM = Math.max(60, pairs * 12);
    const dx = Math.cos(angle) * lengthM * metresLon;
    const dy = Math.sin(angle) * lengthM * metresLat;
    const x0 = minLon + Math.max(0, rand() * (maxLon - minLon - Math.abs(dx))) + (dx < 0 ? -dx : 0);
    const y0 = minLat + Math.max(0, rand() * (maxLat - minLat - Math.abs(dy))) + (dy < 0 ? -dy : 0);
    const last = [0, 0];
    const lastRep = ['', ''];
    for (let k = 0; k < count; k++) {
      const side = k % 2; // odd numbers on one side, even on the other
      let numero: number;
      let rep = '';
      if (last[side]! > 0 && lastRep[side] !== 'ter' && rand() < 0.03) {
        numero = last[side]!;
        rep = lastRep[side] === '' ? 'bis' : 'ter';
      } else {
        numero = last[side] === 0 ? 1 + side : last[side]! + 2;
      }
      last[side] = numero;
      lastRep[side] = rep;
      const finalId = `${spec.inseeCode}_${voie}_${String(numero).padStart(5, '0')}${rep ? `_${rep}` : ''}`;
      const along = Math.min(1, ((numero - 1 - side) / 2 + 0.5) / Math.max(1, pairs));
      const offsetM = (side === 0 ? 1 : -1) * (8 + rand() * 6);
      const lon = round(
        Math.min(maxLon, Math.max(minLon, x0 + dx * along - Math.sin(angle) * offsetM * metresLon)),
        6,
      );
      const lat = round(
        Math.min(maxLat, Math.max(minLat, y0 + dy * along + Math.cos(angle) * offsetM * metresLat)),
        6,
      );
      const [x, y] = lambert93(lon, lat);
      const section = String.fromCharCode(65 + (s % 26)) + String.fromCharCode(65 + ((s * 7 + k) % 26));
      const line = [
        finalId,
        `${spec.inseeCode}_${voie}`,
        numero,
        rep,
        nomVoie,
        spec.postcode,
        spec.inseeCode,
        spec.name,
        '',
        '',
        x.toFixed(2),
        y.toFixed(2),
        lon,
        lat,
        rand() < 0.85 ? 'entrée' : 'bâtiment',
        '',
        '',
        afnor(spec.name),
        afnor(nomVoie),
        rand() < 0.8 ? 'commune' : 'cadastre',
        'commune',
        rand() < 0.9 ? 1 : 0,
        `${spec.inseeCode}000${section}${String(1 + ((s * 31 + k) % 999)).padStart(4, '0')}`,
      ].join(';');
      yield {
        id: finalId,
        id_fantoir: `${spec.inseeCode}_${voie}`,
        numero,
        rep,
        nom_voie: nomVoie,
        lon,
        lat,
        line,
      };
    }
  }
}

/** The file's lines, header first, each ending with a newline. */
export function* banCsvLines(spec: CommuneSpec): Generator<string> {
  yield `${BAN_HEADER.join(';')}\n`;
  for (const r of banRows(spec)) yield `${r.line}\n`;
}

export function banCsv(spec: CommuneSpec): string {
  return [...banCsvLines(spec)].join('');
}

/** Lines regrouped into 64 KiB buffers, the way fs.createReadStream hands a file over. */
export function* fileChunks(lines: Iterable<string>, size = 65_536): Generator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  for (const line of lines) {
    const b = Buffer.from(line);
    pending.push(b);
    length += b.length;
    if (length >= size) {
      const all = Buffer.concat(pending);
      yield all.subarray(0, size);
      pending = [all.subarray(size)];
      length = pending[0]!.length;
    }
  }
  if (length > 0) yield Buffer.concat(pending);
}
