// The feed benchmark's baseline: a bare fastify process, no GraphQL, no
// session, no permission, that runs the SQL statements the community page and
// the latest-alerts feed run, as the application role, in one tenant
// transaction each (withTenant, so row-level security applies as in the API).
// Started as its own process by feed.bench.ts, like the API it is compared to.
//
//   GET /page?tenant=…&account=…   the community page's data
//   GET /alerts?tenant=…&account=… the latest alerts of the caller's community
//
// It imports fastify, knex and pg only, not @vigie/platform, so that its
// memory is a floor for memory.bench.ts too.
import Fastify from 'fastify';
import knex, { type Knex } from 'knex';

type Trx = Knex.Transaction;
const db = knex({
  client: 'pg',
  connection: process.env.DATABASE_APP_URL!,
  pool: { min: 0, max: Number(process.env.DATABASE_POOL_MAX ?? 10) },
});

/** What the platform's withTenant does: a transaction-local app.tenant_id, which the RLS policies read. */
function withTenant<T>(tenantId: string, fn: (trx: Trx) => Promise<T>): Promise<T> {
  return db.transaction(async (trx) => {
    await trx.raw("select set_config('app.tenant_id', ?, true)", [tenantId]);
    return fn(trx);
  });
}

async function community(trx: Trx, account: string) {
  const c = (
    await trx.raw(
      `select s.id, s.name, s.status from residences r join sectors s on s.id = r.sector_id
     where r.account_id = ? and r.status = 'active' limit 1`,
      [account],
    )
  ).rows[0] as { id: string; name: string } | undefined;
  if (!c) return undefined;
  const excluded = await trx.raw(
    `select id from vv_exclusions where account_id = ? and community_id = ? and status = 'active' limit 1`,
    [account, c.id],
  );
  return excluded.rows.length ? undefined : c;
}

async function latestAlerts(trx: Trx, sector: string, limit: number) {
  const alerts = (
    await trx.raw(
      `select * from alerts where (target_kind = 'commune' or ?::uuid = any(target_sector_ids))
     order by created_at desc, id desc limit ?`,
      [sector, limit + 1],
    )
  ).rows as Array<{ id: string; author_account_id: string | null; category_id: string }>;
  const ids = `{${alerts.map((a) => a.id).join(',')}}`;
  const [categories, reactions] = await Promise.all([
    trx.raw(`select * from alert_categories order by position, slug`),
    trx.raw(
      `select alert_id, account_id, kind, created_at from vv_alert_reactions where alert_id = any(?::uuid[])`,
      [ids],
    ),
  ]);
  const authors = `{${[...new Set(alerts.flatMap((a) => (a.author_account_id ? [a.author_account_id] : [])))].join(',')}}`;
  const names = await trx.raw(`select id, display_name from accounts where id = any(?::uuid[])`, [authors]);
  return {
    alerts: alerts.slice(0, limit),
    categories: categories.rows,
    reactions: reactions.rows,
    authors: names.rows,
  };
}

const app = Fastify({ logger: false });
type Q = { Querystring: { tenant: string; account: string } };

app.get<Q>('/alerts', async (req) =>
  withTenant(req.query.tenant, async (trx) => {
    const c = await community(trx, req.query.account);
    return c ? latestAlerts(trx, c.id, 10) : null;
  }),
);

app.get<Q>('/page', async (req) =>
  withTenant(req.query.tenant, async (trx) => {
    const account = req.query.account;
    const c = await community(trx, account);
    if (!c) return null;
    const [members, households, addresses, referents, threads, events, charter] = await Promise.all([
      trx.raw(`select count(*) as n from residences where sector_id = ? and status = 'active'`, [c.id]),
      trx.raw(
        `select count(distinct address_id) as n from residences where sector_id = ? and status = 'active' and address_id is not null`,
        [c.id],
      ),
      trx.raw(`select count(*) as n from addresses where sector_id = ?`, [c.id]),
      trx.raw(
        `select a.id, a.display_name from role_assignments ra join accounts a on a.id = ra.account_id
         where ra.role = 'referent' and ra.scope_id = ?`,
        [c.id],
      ),
      trx.raw(
        `select * from vv_threads where community_id = ? and hidden_at is null order by last_activity_at desc limit 5`,
        [c.id],
      ),
      trx.raw(
        `select * from vv_events where community_id = ? and starts_at >= now() and cancelled_at is null and hidden_at is null
         order by starts_at limit 3`,
        [c.id],
      ),
      trx.raw(`select id from vv_charter_acceptances where account_id = ? and version = '1' limit 1`, [
        account,
      ]),
    ]);
    return {
      community: c,
      memberCount: Number(members.rows[0].n),
      coverage: { households: Number(households.rows[0].n), addresses: Number(addresses.rows[0].n) },
      referents: referents.rows,
      alerts: await latestAlerts(trx, c.id, 10),
      threads: threads.rows,
      events: events.rows,
      charter: charter.rows.length > 0,
    };
  }),
);

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write(`listening ${(app.server.address() as { port: number }).port}\n`);
const stop = async () => {
  await app.close();
  await db.destroy();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
