// The feed benchmark's database: by default 1,000 communes and 4,000,000
// residents (accounts with an active residence at a BAN address, in one of
// their commune's communities), a few hundred alerts per commune with the
// neighbours' reactions, discussions and events, and sessions for some
// residents. FEED_COMMUNES and FEED_RESIDENTS scale it down for a quick check.
//
// The rows go in with COPY (pg-copy-streams), as the superuser: row-level
// security refuses COPY FROM to every role subject to it, and the superuser
// is the one role that is not. Foreign-key triggers are off while copying
// (session_replication_role = replica): the generator builds every key itself,
// and checking 12 million references one by one would double the seeding time.
//
// Seeding takes minutes, so the cluster is kept in bench/data/.cache (ignored by
// git) and reused while its marker names the same generator version and sizes.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  alerts,
  bootstrapDatabase,
  installedPlugins,
  loadConfig,
  migrate,
  startEmbeddedPostgres,
  withTenant,
  createKnex,
  type EmbeddedPostgres,
} from '@vigie/platform';
import { prng } from './ban-synthetic.js';
import { freePort } from './database.js';

/** Bump when what the generator writes changes: a cache of another version is seeded again. */
const SEED_VERSION = 1;
const SUPERUSER_PASSWORD = 'bench';
const OWNER_PASSWORD = 'bench-owner';
export const APP_PASSWORD = 'bench-app';
export const OPERATOR_PASSWORD = 'bench-operator';
const DATABASE = 'vigie_feed';
/** Residents per community, on average: a quartier of a few hundred households. */
const RESIDENTS_PER_COMMUNITY = 600;
/** Residents of each commune that get a session the load can use. */
const SESSIONS_PER_COMMUNE = 16;

export interface FeedSpec {
  communes: number;
  residents: number;
}

export function feedSpec(): FeedSpec {
  return {
    communes: Number(process.env.FEED_COMMUNES ?? 1_000),
    residents: Number(process.env.FEED_RESIDENTS ?? 4_000_000),
  };
}

export interface FeedSession {
  host: string;
  tenantId: string;
  accountId: string;
  communityId: string;
  token: string;
  csrfToken: string;
}

export interface FeedDatabase {
  ownerUrl: string;
  superuserUrl: string;
  /** Seconds the seeding took (when this run seeded, or when the cache was made). */
  seedSeconds: number;
  /** True when the cluster came from the cache. */
  cached: boolean;
  rows: Record<string, number>;
  sessions: FeedSession[];
  stop(): Promise<void>;
}

interface Marker {
  version: number;
  spec: FeedSpec;
  seedSeconds: number;
  rows: Record<string, number>;
}

// Deterministic ids: a type prefix, then a counter in the last 12 hex digits,
// so every index on them is filled in order (appends, no page splits).
const uuid = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const P = {
  tenant: '7e000000',
  sector: '5e000000',
  address: 'ad000000',
  account: 'ac000000',
  residence: 'ee000000',
  role: '40000000',
  session: '5e550000',
  alert: 'a1000000',
  reaction: 'e0000000',
  thread: '70000000',
  event: 'e7000000',
};

const FIRST = [
  'Camille',
  'Dominique',
  'Claude',
  'Alix',
  'Sacha',
  'Lou',
  'Noé',
  'Jeanne',
  'Louis',
  'Inès',
  'Yanis',
  'Chloé',
  'Hugo',
  'Léa',
  'Malik',
  'Zoé',
];
const STREETS = [
  'rue des Lilas',
  'avenue de la Gare',
  'rue Pasteur',
  'allée des Tilleuls',
  'place de la Mairie',
  'chemin des Vignes',
  'rue Victor Hugo',
  'impasse du Moulin',
];
const ALERT_TEXTS = [
  'Un véhicule tourne dans le quartier depuis une heure, vitres baissées, il s’arrête devant les portails.',
  'Coupure d’eau générale demain de 8 h à 12 h.',
  'Démarchage à domicile se présentant comme un fournisseur d’énergie : ne donnez aucun document.',
  'Portail du parking de la résidence forcé cette nuit.',
  'Chien perdu vu près de l’école, sans collier.',
  'Travaux de voirie : stationnement interdit côté pair toute la semaine.',
];

const tsv = (v: string | number | boolean | null | undefined): string =>
  v === null || v === undefined
    ? '\\N'
    : String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
const row = (...cols: Array<string | number | boolean | null | undefined>) => cols.map(tsv).join('\t') + '\n';

/** Lines joined into ~256 KB chunks: one stream write per chunk, not per row. */
function* chunks(lines: Iterable<string>): Generator<string> {
  let buf = '';
  for (const l of lines) {
    buf += l;
    if (buf.length > 262_144) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

function progress(label: string, expected: number) {
  const t0 = Date.now();
  let n = 0;
  let last = t0;
  return {
    tick(rows = 1) {
      n += rows;
      const now = Date.now();
      if (now - last > 1000) {
        last = now;
        process.stderr.write(
          `\r  ${label.padEnd(20)} ${n.toLocaleString('en').padStart(11)} / ${expected.toLocaleString('en')}  ${((now - t0) / 1000).toFixed(0)} s   `,
        );
      }
    },
    done() {
      process.stderr.write(
        `\r  ${label.padEnd(20)} ${n.toLocaleString('en').padStart(11)} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s${' '.repeat(20)}\n`,
      );
      return n;
    },
  };
}

async function copy(
  client: pg.Client,
  table: string,
  columns: string[],
  lines: Iterable<string>,
  expected: number,
): Promise<number> {
  const p = progress(table, expected);
  const counted = (function* () {
    for (const l of lines) {
      p.tick();
      yield l;
    }
  })();
  await pipeline(
    Readable.from(chunks(counted)),
    client.query(copyFrom(`copy ${table} (${columns.join(', ')}) from stdin`)),
  );
  return p.done();
}

interface Commune {
  n: number;
  id: string;
  slug: string;
  insee: string;
  residents: number;
  /** Index of its first resident (accounts are numbered across communes). */
  firstResident: number;
  sectors: number;
  firstSector: number;
  addresses: number;
  firstAddress: number;
  alerts: number;
  firstAlert: number;
}

/** Commune sizes from a village to a town (1 to 16 in weight, log-uniform), summing to the residents asked. */
export function layout(spec: FeedSpec): Commune[] {
  const rand = prng(4_000_000);
  const weights = Array.from({ length: spec.communes }, () => Math.exp(Math.log(16) * rand()));
  const total = weights.reduce((a, b) => a + b, 0);
  let resident = 0;
  let sector = 0;
  let address = 0;
  let alert = 0;
  return weights.map((w, n) => {
    const residents =
      n === spec.communes - 1
        ? Math.max(1, spec.residents - resident)
        : Math.max(1, Math.round((spec.residents * w) / total));
    const sectors = Math.max(1, Math.round(residents / RESIDENTS_PER_COMMUNITY));
    // Two residents per household on average.
    const addresses = Math.max(1, Math.ceil(residents / 2));
    // A few hundred alerts over the last year: more in a town than in a village.
    const alertCount = 100 + Math.round(residents / 20);
    const c: Commune = {
      n,
      id: uuid(P.tenant, n),
      slug: `feed-${String(n).padStart(4, '0')}`,
      insee: `F${String(n).padStart(4, '0')}`,
      residents,
      firstResident: resident,
      sectors,
      firstSector: sector,
      addresses,
      firstAddress: address,
      alerts: alertCount,
      firstAlert: alert,
    };
    resident += residents;
    sector += sectors;
    address += addresses;
    alert += alertCount;
    return c;
  });
}

const sectorOfAddress = (c: Commune, k: number) => Math.floor((k * c.sectors) / c.addresses);
/** Resident j of a commune lives at address floor(j / 2). */
const sectorOfResident = (c: Commune, j: number) => sectorOfAddress(c, Math.floor(j / 2));
/** The first resident of a sector (residents are laid out sector after sector). */
function residentsOfSector(c: Commune, s: number): [number, number] {
  const firstAddr = Math.ceil((s * c.addresses) / c.sectors);
  const endAddr = Math.ceil(((s + 1) * c.addresses) / c.sectors);
  return [Math.min(c.residents, firstAddr * 2), Math.min(c.residents, endAddr * 2)];
}
export const sessionToken = (account: number) => `feed-session-${account}`;
const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');

function sessionsOf(communes: Commune[]): FeedSession[] {
  const out: FeedSession[] = [];
  for (const c of communes) {
    const rand = prng(c.n + 1);
    const picked = new Set<number>();
    while (picked.size < Math.min(SESSIONS_PER_COMMUNE, c.residents))
      picked.add(Math.floor(rand() * c.residents));
    for (const j of picked) {
      const account = c.firstResident + j;
      out.push({
        host: `${c.slug}.localhost`,
        tenantId: c.id,
        accountId: uuid(P.account, account),
        communityId: uuid(P.sector, c.firstSector + sectorOfResident(c, j)),
        token: sessionToken(account),
        csrfToken: `feed-csrf-${account}`,
      });
    }
  }
  return out;
}

async function seed(
  su: pg.Client,
  ownerUrl: string,
  communes: Commune[],
  spec: FeedSpec,
): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  const now = Date.now();
  const day = 86_400_000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const totalSectors = communes.reduce((a, c) => a + c.sectors, 0);
  const totalAddresses = communes.reduce((a, c) => a + c.addresses, 0);
  const totalAlerts = communes.reduce((a, c) => a + c.alerts, 0);

  // Tenants and their plugin rows: few, with plain inserts.
  await su.query('begin');
  for (let i = 0; i < communes.length; i += 500) {
    const part = communes.slice(i, i + 500);
    await su.query(
      `insert into tenants (id, slug, name, insee_code, postal_codes, status)
       select id, slug, name, insee, '{77700}', 'active' from unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) as t(id, slug, name, insee)`,
      [
        part.map((c) => c.id),
        part.map((c) => c.slug),
        part.map((c) => `Commune ${c.n}`),
        part.map((c) => c.insee),
      ],
    );
    await su.query(
      `insert into tenant_plugins (tenant_id, plugin_id, enabled, settings) select unnest($1::uuid[]), 'voisins-vigilants', true, '{}'`,
      [part.map((c) => c.id)],
    );
  }
  await su.query('commit');
  rows.tenants = communes.length;

  // The default alert categories, as the alerts module seeds them for a new commune.
  const owner = createKnex(ownerUrl, 2, 'vigie-feed-seed');
  const categories = new Map<string, string[]>();
  try {
    const p = progress('alert_categories', communes.length);
    for (const c of communes) {
      const list = await withTenant(owner, c.id, (trx) => alerts.listCategories(trx, c.id));
      categories.set(
        c.id,
        list.map((x) => x.id),
      );
      p.tick();
    }
    p.done();
    rows.alert_categories = [...categories.values()].reduce((a, l) => a + l.length, 0);
  } finally {
    await owner.destroy();
  }

  await su.query(`set session_replication_role = replica`);
  rows.sectors = await copy(
    su,
    'sectors',
    ['id', 'tenant_id', 'name', 'kind', 'geojson', 'bbox', 'area_m2'],
    (function* () {
      for (const c of communes)
        for (let s = 0; s < c.sectors; s++) {
          const lon = 2 + (s % 20) * 0.01;
          const lat = 48 + Math.floor(s / 20) * 0.01;
          const ring = [
            [lon, lat],
            [lon + 0.01, lat],
            [lon + 0.01, lat + 0.01],
            [lon, lat + 0.01],
            [lon, lat],
          ];
          yield row(
            uuid(P.sector, c.firstSector + s),
            c.id,
            `Quartier ${s + 1}`,
            'quartier',
            JSON.stringify({ type: 'Polygon', coordinates: [ring] }),
            `((${lon},${lat}),(${lon + 0.01},${lat + 0.01}))`,
            1_000_000,
          );
        }
    })(),
    totalSectors,
  );
  rows.addresses = await copy(
    su,
    'addresses',
    [
      'id',
      'tenant_id',
      'ban_id',
      'numero',
      'nom_voie',
      'code_postal',
      'code_insee',
      'nom_commune',
      'lon',
      'lat',
      'street_key',
      'sector_id',
    ],
    (function* () {
      for (const c of communes)
        for (let k = 0; k < c.addresses; k++) {
          const s = sectorOfAddress(c, k);
          const street = `${STREETS[k % STREETS.length]} ${s + 1}`;
          yield row(
            uuid(P.address, c.firstAddress + k),
            c.id,
            `${c.insee}_${k}`,
            1 + (Math.floor(k / STREETS.length) % 400),
            street,
            '77700',
            c.insee,
            `Commune ${c.n}`,
            2 + (s % 20) * 0.01 + (k % 97) * 0.0001,
            48 + Math.floor(s / 20) * 0.01 + (k % 89) * 0.0001,
            `${street.toLowerCase()}|77700`,
            uuid(P.sector, c.firstSector + s),
          );
        }
    })(),
    totalAddresses,
  );
  const created = iso(now - 400 * day);
  rows.accounts = await copy(
    su,
    'accounts',
    ['id', 'tenant_id', 'email', 'email_verified_at', 'display_name', 'created_at', 'updated_at'],
    (function* () {
      for (const c of communes)
        for (let j = 0; j < c.residents; j++) {
          const a = c.firstResident + j;
          yield row(
            uuid(P.account, a),
            c.id,
            `voisin${j}@${c.slug}.example`,
            created,
            `${FIRST[a % FIRST.length]} ${String.fromCharCode(65 + (j % 26))}.`,
            created,
            created,
          );
        }
    })(),
    spec.residents,
  );
  rows.residences = await copy(
    su,
    'residences',
    [
      'id',
      'tenant_id',
      'account_id',
      'address_id',
      'sector_id',
      'status',
      'source',
      'submitted_at',
      'activated_at',
      'decided_at',
    ],
    (function* () {
      for (const c of communes)
        for (let j = 0; j < c.residents; j++) {
          const a = c.firstResident + j;
          yield row(
            uuid(P.residence, a),
            c.id,
            uuid(P.account, a),
            uuid(P.address, c.firstAddress + Math.floor(j / 2)),
            uuid(P.sector, c.firstSector + sectorOfResident(c, j)),
            'active',
            'proof',
            created,
            created,
            created,
          );
        }
    })(),
    spec.residents,
  );
  let roles = 0;
  rows.role_assignments = await copy(
    su,
    'role_assignments',
    ['id', 'tenant_id', 'account_id', 'role', 'scope_id'],
    (function* () {
      for (const c of communes) {
        for (let j = 0; j < c.residents; j++)
          yield row(uuid(P.role, roles++), c.id, uuid(P.account, c.firstResident + j), 'resident', null);
        // Two referents per community: its first two residents.
        for (let s = 0; s < c.sectors; s++) {
          const [first, end] = residentsOfSector(c, s);
          for (let j = first; j < Math.min(end, first + 2); j++)
            yield row(
              uuid(P.role, roles++),
              c.id,
              uuid(P.account, c.firstResident + j),
              'referent',
              uuid(P.sector, c.firstSector + s),
            );
        }
      }
    })(),
    spec.residents + totalSectors * 2,
  );
  const sessions = sessionsOf(communes);
  let sid = 0;
  rows.sessions = await copy(
    su,
    'sessions',
    ['id', 'tenant_id', 'account_id', 'token_hash', 'csrf_token', 'expires_at'],
    (function* () {
      for (const s of sessions)
        yield row(
          uuid(P.session, sid++),
          s.tenantId,
          s.accountId,
          sha256(s.token),
          s.csrfToken,
          '2100-01-01T00:00:00Z',
        );
    })(),
    sessions.length,
  );

  // Alerts over the last year: residents' alerts to their community, the
  // police's and the mairie's to the whole commune; the older ones closed.
  const reactionRows: string[] = [];
  let reactions = 0;
  rows.alerts = await copy(
    su,
    'alerts',
    [
      'id',
      'tenant_id',
      'author_account_id',
      'author_kind',
      'origin',
      'category_id',
      'severity',
      'body',
      'target_kind',
      'target_sector_ids',
      'status',
      'closure',
      'closed_at',
      'delivery_started_at',
      'recipients_resolved_at',
      'delivery_completed_at',
      'created_at',
      'updated_at',
    ],
    (function* () {
      for (const c of communes) {
        const rand = prng(1_000_003 + c.n);
        const cats = categories.get(c.id)!;
        for (let k = 0; k < c.alerts; k++) {
          // Newest last: k = alerts - 1 is the most recent.
          const at = now - (c.alerts - k) * ((365 * day) / c.alerts) - Math.floor(rand() * 3_600_000);
          const r = rand();
          const kind = r < 0.6 ? 'resident' : r < 0.85 ? 'police' : 'mairie';
          const j = Math.floor(rand() * c.residents);
          const sector = sectorOfResident(c, j);
          const id = uuid(P.alert, c.firstAlert + k);
          const age = now - at;
          const status = age > 7 * day ? 'closed' : age > day ? 'in_progress' : 'received';
          yield row(
            id,
            c.id,
            kind === 'resident' ? uuid(P.account, c.firstResident + j) : null,
            kind,
            'web',
            cats[Math.floor(rand() * cats.length)],
            rand() < 0.1 ? 'urgent' : rand() < 0.5 ? 'important' : 'info',
            ALERT_TEXTS[Math.floor(rand() * ALERT_TEXTS.length)],
            kind === 'resident' ? 'community' : 'commune',
            kind === 'resident' ? `{${uuid(P.sector, c.firstSector + sector)}}` : '{}',
            status,
            status === 'closed' ? (rand() < 0.8 ? 'solved' : 'unfounded') : null,
            status === 'closed' ? iso(at + 2 * day) : null,
            iso(at + 1000),
            iso(at + 2000),
            iso(at + 60_000),
            iso(at),
            iso(at),
          );
          if (kind === 'resident') {
            // A few neighbours of the same community answer it.
            const [first, end] = residentsOfSector(c, sector);
            const n = Math.floor(rand() * 5);
            const seen = new Set<number>();
            for (let x = 0; x < n && end > first; x++) {
              const who = first + Math.floor(rand() * (end - first));
              if (who === j || seen.has(who)) continue;
              seen.add(who);
              reactionRows.push(
                row(
                  uuid(P.reaction, reactions++),
                  c.id,
                  id,
                  uuid(P.account, c.firstResident + who),
                  rand() < 0.7 ? 'seen_too' : 'can_help',
                  iso(at + 600_000),
                  iso(at + 600_000),
                ),
              );
            }
          }
        }
      }
    })(),
    totalAlerts,
  );
  rows.vv_alert_reactions = await copy(
    su,
    'vv_alert_reactions',
    ['id', 'tenant_id', 'alert_id', 'account_id', 'kind', 'created_at', 'updated_at'],
    reactionRows,
    reactionRows.length,
  );
  reactionRows.length = 0;

  // The community page's discussions (12 a community) and events (3 to come, 3 past).
  const categoriesOfThreads = ['lost_animals', 'mutual_aid', 'loans', 'neighbourhood_life', 'other'];
  let threads = 0;
  rows.vv_threads = await copy(
    su,
    'vv_threads',
    [
      'id',
      'tenant_id',
      'community_id',
      'author_id',
      'category',
      'title',
      'body',
      'last_activity_at',
      'created_at',
      'updated_at',
    ],
    (function* () {
      for (const c of communes)
        for (let s = 0; s < c.sectors; s++) {
          const [first, end] = residentsOfSector(c, s);
          if (end <= first) continue;
          for (let t = 0; t < 12; t++) {
            const at = iso(now - (t + 1) * 3 * day);
            yield row(
              uuid(P.thread, threads++),
              c.id,
              uuid(P.sector, c.firstSector + s),
              uuid(P.account, c.firstResident + first + (t % (end - first))),
              categoriesOfThreads[t % 5],
              `Discussion ${t + 1}`,
              'Bonjour à tous, qui aurait une échelle à prêter ce week-end ?',
              at,
              at,
              at,
            );
          }
        }
    })(),
    totalSectors * 12,
  );
  let events = 0;
  rows.vv_events = await copy(
    su,
    'vv_events',
    [
      'id',
      'tenant_id',
      'community_id',
      'author_id',
      'kind',
      'title',
      'place',
      'starts_at',
      'created_at',
      'updated_at',
    ],
    (function* () {
      for (const c of communes)
        for (let s = 0; s < c.sectors; s++) {
          const [first, end] = residentsOfSector(c, s);
          if (end <= first) continue;
          for (let e = -3; e < 3; e++)
            yield row(
              uuid(P.event, events++),
              c.id,
              uuid(P.sector, c.firstSector + s),
              uuid(P.account, c.firstResident + first),
              'gathering',
              'Apéro des voisins',
              'Square du quartier',
              iso(now + (e * 30 + 15) * day),
              created,
              created,
            );
        }
    })(),
    totalSectors * 6,
  );
  await su.query(`set session_replication_role = origin`);
  const t0 = Date.now();
  process.stderr.write('  analyze…');
  await su.query('analyze');
  process.stderr.write(` ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  return rows;
}

function cacheDir(spec: FeedSpec): string {
  return path.join(import.meta.dirname, '.cache', `feed-${spec.communes}-${spec.residents}`);
}

/** The feed database, seeded now or taken from the cache, on a free port. */
export async function startFeedDatabase(spec: FeedSpec = feedSpec()): Promise<FeedDatabase> {
  const dir = cacheDir(spec);
  const markerFile = path.join(dir, 'seeded.json');
  let marker: Marker | undefined;
  if (existsSync(markerFile)) {
    const m = JSON.parse(readFileSync(markerFile, 'utf8')) as Marker;
    if (
      m.version === SEED_VERSION &&
      m.spec.communes === spec.communes &&
      m.spec.residents === spec.residents
    )
      marker = m;
  }
  if (!marker) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // PostgreSQL runs as the postgres user when we are root: it must reach the folder.
  chmodSync(dir, 0o755);
  for (let d = path.dirname(dir); d.startsWith(import.meta.dirname); d = path.dirname(d)) chmodSync(d, 0o755);
  const pgServer: EmbeddedPostgres = await startEmbeddedPostgres({
    dir: path.join(dir, 'pg'),
    port: await freePort(),
    superuserPassword: SUPERUSER_PASSWORD,
    // fsync off: a crash loses the cache, which is seeded again (no marker yet, or a stale one removed below).
    ephemeral: true,
    maxConnections: 200,
  });
  try {
    const ownerUrl = await bootstrapDatabase(pgServer.superuserUrl, DATABASE, OWNER_PASSWORD);
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      VIGIE_DB_APP_PASSWORD: APP_PASSWORD,
      VIGIE_DB_OPERATOR_PASSWORD: OPERATOR_PASSWORD,
    });
    // Also on a cached cluster: migrations added since it was seeded are applied.
    await migrate(config, ownerUrl, installedPlugins);
    const superuserUrl = pgServer.superuserUrl.replace(/\/postgres$/, `/${DATABASE}`);
    const communes = layout(spec);
    let seedSeconds = marker?.seedSeconds ?? 0;
    let rows = marker?.rows ?? {};
    if (!marker) {
      process.stderr.write(
        `Seeding ${spec.communes.toLocaleString('en')} communes and ${spec.residents.toLocaleString('en')} residents with COPY into ${dir}…\n`,
      );
      const t0 = Date.now();
      const su = new pg.Client({ connectionString: superuserUrl });
      await su.connect();
      try {
        await su.query(`set maintenance_work_mem = '256MB'`);
        rows = await seed(su, ownerUrl, communes, spec);
      } finally {
        await su.end();
      }
      seedSeconds = (Date.now() - t0) / 1000;
      process.stderr.write(`Seeded in ${seedSeconds.toFixed(0)} s.\n`);
      writeFileSync(
        markerFile,
        JSON.stringify({ version: SEED_VERSION, spec, seedSeconds, rows } satisfies Marker),
      );
    } else {
      process.stderr.write(
        `Feed database from the cache (${dir}; seeded in ${seedSeconds.toFixed(0)} s when it was made).\n`,
      );
    }
    return {
      ownerUrl,
      superuserUrl,
      seedSeconds,
      cached: !!marker,
      rows,
      sessions: sessionsOf(communes),
      stop: () => pgServer.stop(),
    };
  } catch (err) {
    await pgServer.stop();
    // A half-seeded cluster is no cache.
    rmSync(markerFile, { force: true });
    throw err;
  }
}
