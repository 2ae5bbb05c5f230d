// Address search for the registration form: "12 rue emile cl" finds
// "12 Rue Émile Cloud". Two indexed steps instead of one fuzzy scan:
// 1. the words pick streets (a commune has about a thousand; each word must
//    start a word of the street name, abbreviations and accents folded),
// 2. the house number picks addresses on those streets through the
//    (tenant_id, street_key, numero) btree.
// Both steps are index-driven under row-level security, where a trigram index
// could not be (its operators are not LEAKPROOF; see migrations/0003_geo.ts).
import type { Knex } from 'knex';
import { addressLabel, parseAddressQuery, type AddressQuery } from './normalize.js';

export interface AddressHit {
  id: string;
  banId: string;
  label: string;
  numero: number;
  rep: string | null;
  street: string;
  postcode: string;
  city: string;
  lon: number;
  lat: number;
  sectorId: string | null;
  /** 0..1, how well the street matched the words typed. */
  score: number;
}

interface HitRow {
  id: string;
  ban_id: string;
  numero: number;
  rep: string | null;
  nom_voie: string;
  code_postal: string;
  nom_commune: string;
  lon: number;
  lat: number;
  sector_id: string | null;
  score: number;
}

/** Streets considered per query: enough for "rue de la…" before the next word narrows it. */
const STREET_CANDIDATES = 20;
/** Below this word similarity, a street is not offered as a typo correction. */
const FUZZY_THRESHOLD = 0.5;

function toHit(r: HitRow): AddressHit {
  return {
    id: r.id,
    banId: r.ban_id,
    label: addressLabel(r),
    numero: r.numero,
    rep: r.rep,
    street: r.nom_voie,
    postcode: r.code_postal,
    city: r.nom_commune,
    lon: r.lon,
    lat: r.lat,
    sectorId: r.sector_id,
    score: Math.round(r.score * 1000) / 1000,
  };
}

/**
 * The streets whose words start with every typed word (any of its spellings).
 * A vague query ("rue") matches most streets: the shortest names go first (the
 * typed words make up more of them), and only those are ranked by similarity.
 */
function prefixStreets(q: AddressQuery): { sql: string; bindings: Knex.RawBinding[] } {
  const conditions = q.words.map(
    (alternatives) => `(${alternatives.map(() => 's.search like ?').join(' or ')})`,
  );
  const bindings: Knex.RawBinding[] = [
    q.text,
    ...q.words.flatMap((alternatives) => alternatives.map((w) => `% ${w}%`)),
    STREET_CANDIDATES * 3,
    STREET_CANDIDATES,
  ];
  return {
    sql: `select c.street_key, word_similarity(?, c.search) as score from (
            select s.street_key, s.search, s.nom_voie from address_streets s
            where ${conditions.join(' and ')}
            order by length(s.search), s.nom_voie limit ?
          ) c order by score desc, c.nom_voie limit ?`,
    bindings,
  };
}

/** Words that say little about which street is meant: street types and articles. */
const COMMON_WORDS = new Set([
  'rue',
  'avenue',
  'allee',
  'boulevard',
  'chemin',
  'place',
  'impasse',
  'route',
  'cours',
  'square',
  'passage',
  'sentier',
  'quai',
  'villa',
  'residence',
  'faubourg',
  'promenade',
  'rond',
  'point',
  'porte',
  'montee',
  'de',
  'du',
  'des',
  'la',
  'le',
  'les',
  'l',
  'd',
  'saint',
  'sainte',
  'et',
  'a',
  'au',
  'aux',
]);

/**
 * Typo tolerance ("12 rue emille cloud"): when no street has all the typed
 * words, the streets sharing the first three letters of one distinctive word
 * are ranked by trigram similarity. Typos rarely touch the first letters, and
 * this keeps the similarity computation to a handful of streets; only when
 * even that finds nothing are all the commune's streets compared.
 */
function fuzzyStreets(
  q: AddressQuery,
  everyStreet: boolean,
): { sql: string; bindings: Knex.RawBinding[] } | undefined {
  const stems = [
    ...new Set(
      q.words
        .map((w) => w[w.length - 1]!)
        .filter((w) => w.length >= 3 && !COMMON_WORDS.has(w) && !/^\d+$/.test(w))
        .map((w) => w.slice(0, 3)),
    ),
  ];
  if (!everyStreet && stems.length === 0) return undefined;
  const filter = everyStreet ? 'true' : `(${stems.map(() => 's.search like ?').join(' or ')})`;
  return {
    sql: `select street_key, score from (
            select s.street_key, s.nom_voie, word_similarity(?, s.search) as score from address_streets s where ${filter}
          ) c where score >= ? order by score desc, nom_voie limit ?`,
    bindings: [
      q.text,
      ...(everyStreet ? [] : stems.map((st) => `% ${st}%`)),
      FUZZY_THRESHOLD,
      STREET_CANDIDATES,
    ],
  };
}

const ADDRESS_COLUMNS =
  'a.id, a.ban_id, a.numero, a.rep, a.nom_voie, a.code_postal, a.nom_commune, a.lon, a.lat, a.sector_id, st.score';

type Step = 'exact' | 'near' | 'all';

/** The address query of a step: on the candidate streets, with the typed number, near it, or any. */
function addressQuery(
  streets: { sql: string; bindings: Knex.RawBinding[] },
  q: AddressQuery,
  limit: number,
  step: Step,
): { sql: string; bindings: Knex.RawBinding[] } {
  const head = `with st as (${streets.sql}) select ${ADDRESS_COLUMNS} from st join addresses a on a.street_key = st.street_key`;
  if (step === 'exact') {
    const repFirst = q.rep === null ? '(a.rep is null) desc' : 'coalesce(lower(a.rep) = ?, false) desc';
    return {
      sql: `${head} and a.numero = ? order by st.score desc, ${repFirst}, a.rep, a.nom_voie limit ?`,
      bindings: [...streets.bindings, q.numero!, ...(q.rep === null ? [] : [q.rep]), limit],
    };
  }
  if (step === 'near') {
    return {
      sql: `${head} order by st.score desc, abs(a.numero - ?), a.numero, a.rep nulls first limit ?`,
      bindings: [...streets.bindings, q.numero!, limit],
    };
  }
  return {
    sql: `${head} order by st.score desc, a.nom_voie, a.numero, a.rep nulls first limit ?`,
    bindings: [...streets.bindings, limit],
  };
}

async function run(
  trx: Knex.Transaction,
  query: { sql: string; bindings: Knex.RawBinding[] },
): Promise<HitRow[]> {
  return (await trx.raw<{ rows: HitRow[] }>(query.sql, query.bindings)).rows;
}

async function addressesOn(
  trx: Knex.Transaction,
  streets: { sql: string; bindings: Knex.RawBinding[] },
  q: AddressQuery,
  limit: number,
): Promise<HitRow[]> {
  if (q.numero === null) return run(trx, addressQuery(streets, q, limit, 'all'));
  const exact = await run(trx, addressQuery(streets, q, limit, 'exact'));
  // The number does not exist on these streets: offer the nearest ones rather than nothing.
  return exact.length > 0 ? exact : run(trx, addressQuery(streets, q, limit, 'near'));
}

/**
 * The plan of the main search query, as PostgreSQL runs it for this role:
 * tests check it uses indexes; with `analyze`, benchmarks read its server-side
 * planning and execution times.
 */
export async function explainAddressSearch(
  trx: Knex.Transaction,
  query: string,
  opts: { limit?: number; analyze?: boolean } = {},
): Promise<string> {
  const q = parseAddressQuery(query);
  const main = addressQuery(prefixStreets(q), q, opts.limit ?? 10, q.numero === null ? 'all' : 'exact');
  const res = await trx.raw<{ rows: Array<{ 'QUERY PLAN': string }> }>(
    `explain ${opts.analyze ? '(analyze, buffers off) ' : ''}${main.sql}`,
    main.bindings,
  );
  return res.rows.map((r) => r['QUERY PLAN']).join('\n');
}

/**
 * Searches the addresses of the transaction's commune. Returns at most `limit`
 * hits, best first; nothing for a query without any word (a number alone
 * says nothing about the street).
 */
export async function searchAddresses(
  trx: Knex.Transaction,
  query: string,
  limit = 10,
): Promise<AddressHit[]> {
  const q = parseAddressQuery(query);
  if (q.words.length === 0) return [];
  const n = Math.min(Math.max(1, Math.floor(limit)), 50);
  let rows = await addressesOn(trx, streetsOrTypos(q), q, n);
  // Not even a street sharing a stem: compare every street of the commune.
  const everyStreet = rows.length === 0 ? fuzzyStreets(q, true) : undefined;
  if (everyStreet) rows = await addressesOn(trx, everyStreet, q, n);
  return rows.map(toHit);
}

/**
 * The prefix streets, or when there are none the typo candidates, in one
 * statement: a typo then costs no extra round trip. The fuzzy branch sits
 * behind a one-time filter, so PostgreSQL does not run it when a prefix matched.
 */
function streetsOrTypos(q: AddressQuery): { sql: string; bindings: Knex.RawBinding[] } {
  const prefix = prefixStreets(q);
  const fuzzy = fuzzyStreets(q, false);
  if (!fuzzy) return prefix;
  return {
    sql: `with pre as (${prefix.sql})
          select street_key, score from pre
          union all
          select street_key, score from (${fuzzy.sql}) f where not exists (select 1 from pre)`,
    bindings: [...prefix.bindings, ...fuzzy.bindings],
  };
}
