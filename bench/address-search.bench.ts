// Address search of the registration form, for a commune of 30,000 addresses
// (plus a neighbouring commune of 30,000 in the same tables, as in production
// where every commune shares them). Each search runs the way the API runs it:
// in its own tenant transaction, as the application role, under row-level
// security. Target (issue 4): p95 under 20 ms.
//
// Baselines measured in the same run, the same way: `select 1` and a lookup of
// one address by its BAN id through its unique index, each in its own tenant
// transaction. The ratio says what the search costs beyond a round trip.
import { Readable } from 'node:stream';
import { geo, withTenant } from '@vigie/platform';
import { banCsvLines, banRows, fileChunks, prng, type CommuneSpec } from './data/ban-synthetic.js';
import { BENCH_COMMUNE } from './data/communes.js';
import { createCommune, ms, startBenchDatabase, summary } from './data/database.js';

const QUERIES = 600;
const WARMUP = 60;

const VARIANTS = [
  'number + partial street',
  'as written (accents, capitals)',
  'abbreviated',
  'street only, partial',
  'with a typo',
  'number last',
];

const ABBREVIATE: Record<string, string> = {
  avenue: 'av',
  boulevard: 'bd',
  rue: 'r',
  place: 'pl',
  allee: 'all',
  chemin: 'chem',
  impasse: 'imp',
  route: 'rte',
  saint: 'st',
  cours: 'crs',
  square: 'sq',
};

/** What residents type: partial words, no accents, abbreviations, typos, the number first or last. */
function typed(numero: number, street: string, variant: number, rand: () => number): string {
  const words = geo.foldText(street).split(' ');
  const cut = (w: string) => w.slice(0, Math.max(2, Math.ceil(w.length * (0.4 + rand() * 0.5))));
  switch (variant % 6) {
    case 0:
      return `${numero} ${[...words.slice(0, -1), cut(words[words.length - 1]!)].join(' ')}`;
    case 1:
      return `${numero} ${street}`;
    case 2:
      return `${numero} ${words.map((w) => ABBREVIATE[w] ?? w).join(' ')}`;
    case 3:
      return (
        words.slice(0, Math.max(1, words.length - 1)).join(' ') +
        (words.length > 1 ? ` ${cut(words[words.length - 1]!)}` : '')
      );
    case 4: {
      const longest = words.reduce((a, b) => (b.length > a.length ? b : a));
      const i = Math.floor(longest.length / 2);
      return `${numero} ${words.map((w) => (w === longest ? w.slice(0, i) + w[i] + w.slice(i) : w)).join(' ')}`;
    }
    default:
      return `${street} ${numero}`;
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

export default async function addressSearchBench(): Promise<void> {
  const db = await startBenchDatabase();
  try {
    const serris = await createCommune(db, 'serris', BENCH_COMMUNE.inseeCode, BENCH_COMMUNE.name);
    const neighbour: CommuneSpec = {
      ...BENCH_COMMUNE,
      inseeCode: '77268',
      name: 'Magny-le-Hongre',
      seed: 77268,
    };
    const magny = await createCommune(db, 'magny-le-hongre', neighbour.inseeCode, neighbour.name);
    for (const [id, spec] of [
      [serris, BENCH_COMMUNE],
      [magny, neighbour],
    ] as const) {
      const r = await geo.importAddresses(db.app, id, Readable.from(fileChunks(banCsvLines(spec))), {
        inseeCode: spec.inseeCode,
        // Nobody lives there yet: the import alone, with no listener.
        hooks: geo.noGeoHooks,
      });
      process.stdout.write(`${spec.name}: ${r.added} addresses, ${r.streets} streets\n`);
    }
    await db.owner.raw('analyze');

    const rand = prng(20261127);
    const rows = [...banRows(BENCH_COMMUNE)];
    const picks = Array.from({ length: QUERIES + WARMUP }, (_, i) => {
      const r = rows[Math.floor(rand() * rows.length)]!;
      return {
        expected: r.id,
        street: r.nom_voie,
        variant: i % 6,
        withNumber: i % 6 !== 3,
        query: typed(r.numero, r.nom_voie, i, rand),
      };
    });

    const search: number[] = [];
    const byVariant: number[][] = VARIANTS.map(() => []);
    let found = 0;
    for (const [i, p] of picks.entries()) {
      const [t, hits] = await timed(() =>
        withTenant(db.app, serris, (trx) => geo.searchAddresses(trx, p.query, 5)),
      );
      if (i < WARMUP) continue;
      search.push(t);
      byVariant[p.variant]!.push(t);
      // With a number, the very address must be offered; without one, its street.
      if (p.withNumber ? hits.some((h) => h.banId === p.expected) : hits.some((h) => h.street === p.street))
        found++;
    }
    const select1: number[] = [];
    const exact: number[] = [];
    for (const [i, p] of picks.entries()) {
      const [a] = await timed(() => withTenant(db.app, serris, (trx) => trx.raw('select 1')));
      const [b] = await timed(() =>
        withTenant(db.app, serris, (trx) => trx('addresses').where({ ban_id: p.expected }).first('id')),
      );
      if (i < WARMUP) continue;
      select1.push(a);
      exact.push(b);
    }
    // Server-side cost of the same queries (planning + execution), less sensitive to a busy machine than wall time.
    const server: number[] = [];
    for (const p of picks.slice(WARMUP)) {
      const text = await withTenant(db.app, serris, (trx) =>
        geo.explainAddressSearch(trx, p.query, { limit: 5, analyze: true }),
      );
      const time = (label: string) =>
        Number(new RegExp(`${label} Time: ([\\d.]+) ms`).exec(text)?.[1] ?? NaN);
      server.push(time('Planning') + time('Execution'));
    }
    const plan = await withTenant(db.app, serris, (trx) => geo.explainAddressSearch(trx, '12 rue emile cl'));

    const s = summary(search);
    const b1 = summary(select1);
    const b2 = summary(exact);
    const sv = summary(server);
    process.stdout.write(
      [
        `address search, ${s.n} queries on 30,000 addresses (each in its own tenant transaction, RLS on):`,
        `  search            p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  p99 ${ms(s.p99)}  max ${ms(s.max)}`,
        `  search, server side (planning + execution of the main query): p50 ${ms(sv.p50)}  p95 ${ms(sv.p95)}  p99 ${ms(sv.p99)}`,
        `  baseline select 1 p50 ${ms(b1.p50)}  p95 ${ms(b1.p95)}  p99 ${ms(b1.p99)}`,
        `  baseline by id    p50 ${ms(b2.p50)}  p95 ${ms(b2.p95)}  p99 ${ms(b2.p99)}`,
        `  ratio p95 search / select 1: ${(s.p95 / b1.p95).toFixed(1)}×, search / lookup by id: ${(s.p95 / b2.p95).toFixed(1)}×`,
        `  target p95 < 20 ms: ${s.p95 < 20 ? 'met' : 'NOT MET'}`,
        ...VARIANTS.map((v, i) => {
          const x = summary(byVariant[i]!);
          return `    ${v.padEnd(32)} p50 ${ms(x.p50)}  p95 ${ms(x.p95)}`;
        }),
        `  right answer in the top 5 (the address, or its street when no number is typed): ${((found / s.n) * 100).toFixed(1)}%`,
        `  plan uses the (street, number) index: ${plan.includes('addresses_street_numero') ? 'yes' : 'NO'}; sequential scan of addresses: ${/Seq Scan on addresses/.test(plan) ? 'YES' : 'no'}`,
        '',
      ].join('\n'),
    );
  } finally {
    await db.stop();
  }
}
