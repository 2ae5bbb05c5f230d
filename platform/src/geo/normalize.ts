// One normalization for both sides of the address search: what the import
// stores and what a resident types go through the same function, so "Émile",
// "emile" and "EMILE" meet, and "av", "ave" and "Avenue" meet too.

/**
 * Street-type abbreviations found in French addresses and typed by residents.
 * Only whole words are expanded, and only words that are not also street names
 * on their own ("lot", "che", "mal" are left out: Rue du Lot exists).
 */
export const ABBREVIATIONS: Readonly<Record<string, string>> = {
  all: 'allee',
  av: 'avenue',
  ave: 'avenue',
  bd: 'boulevard',
  bld: 'boulevard',
  blvd: 'boulevard',
  bvd: 'boulevard',
  boul: 'boulevard',
  ch: 'chemin',
  chem: 'chemin',
  crs: 'cours',
  fg: 'faubourg',
  fbg: 'faubourg',
  imp: 'impasse',
  mte: 'montee',
  pass: 'passage',
  pl: 'place',
  pte: 'porte',
  prom: 'promenade',
  qu: 'quai',
  r: 'rue',
  res: 'residence',
  rpt: 'rond point',
  rte: 'route',
  sq: 'square',
  st: 'saint',
  ste: 'sainte',
  vla: 'villa',
};

/** Repetition indices of a house number ("12 bis", "12 B"). */
const REPETITIONS = new Set(['bis', 'ter', 'quater', 'quinquies']);

/** Lower case, no accents, no punctuation, single spaces. */
export function foldText(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

export function expandWord(word: string): string {
  return ABBREVIATIONS[word] ?? word;
}

/** The normalized words of a street name, abbreviations expanded ("Bd St-Michel" → "boulevard saint michel"). */
export function normalizeStreet(name: string): string {
  return foldText(name).split(' ').filter(Boolean).map(expandWord).join(' ');
}

/** The key that joins an address to its street: one street per name and postcode. */
export function streetKey(nomVoie: string, codePostal: string): string {
  return `${normalizeStreet(nomVoie)}|${codePostal}`;
}

/** The searchable text of a street: each word preceded by a space, so `% word%` is a word-prefix match. */
export function streetSearchText(nomVoie: string, codePostal: string, nomCommune: string): string {
  return ` ${[normalizeStreet(nomVoie), codePostal, foldText(nomCommune)].filter(Boolean).join(' ')}`;
}

export interface AddressQuery {
  /** House number, when the query has one. */
  numero: number | null;
  /** Repetition index typed with the number ("bis", "b"). */
  rep: string | null;
  /**
   * One entry per typed word: the alternatives it may stand for, each matched
   * as a word prefix ("bd" → ["bd", "boulevard"]).
   */
  words: string[][];
  /** The words joined, abbreviations expanded: what street names are ranked against. */
  text: string;
}

/**
 * Reads "12 bis r emile cl" as number 12, repetition "bis", words
 * [r|rue, emile, cl]. A number may come first or last; a 5-digit number is a
 * postcode, searched as a word. A letter glued to the number ("12b") is a
 * repetition; a lone letter is a word ("12 r" is "12 rue").
 */
export function parseAddressQuery(input: string): AddressQuery {
  const tokens = foldText(input.slice(0, 200)).split(' ').filter(Boolean).slice(0, 12);
  let numero: number | null = null;
  let rep: string | null = null;
  const words: string[][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const glued = /^(\d{1,4})([a-z]+)?$/.exec(token);
    if (glued && numero === null) {
      numero = Number(glued[1]);
      if (glued[2]) rep = glued[2];
      else if (tokens[i + 1] && REPETITIONS.has(tokens[i + 1]!)) rep = tokens[++i]!;
      continue;
    }
    const expanded = expandWord(token);
    words.push(expanded === token ? [token] : [token, expanded]);
  }
  return { numero, rep, words, text: words.map((w) => w[w.length - 1]).join(' ') };
}

/** The label shown to residents, as the BAN writes it: "12 bis Rue Émile Cloud 77700 Serris". */
export function addressLabel(a: {
  numero: number;
  rep: string | null;
  nom_voie: string;
  code_postal: string;
  nom_commune: string;
}): string {
  const number = a.rep ? `${a.numero} ${a.rep}` : String(a.numero);
  return `${number} ${a.nom_voie} ${a.code_postal} ${a.nom_commune}`;
}
