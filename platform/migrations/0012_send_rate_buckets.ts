import type { Knex } from 'knex';
import { APP_ROLE } from '../src/db/roles.js';

// The providers' send rates, shared by every worker: one token bucket per key
// (`sms`, `email`, `push`, and `sms:<tenant id>` for a commune's own cap),
// refilled continuously at the caller's rate and taken in chunks by one
// statement (take_send_tokens). A chunk is a few hundred milliseconds of the
// rate, so a worker that dies with tokens in hand loses at most that much, and
// the bucket never holds more than one chunk: the workers together stay under
// the rate over any window, give or take one chunk.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('send_rate_buckets', (t) => {
    t.text('key').primary();
    t.double('tokens').notNullable();
    t.timestamp('refilled_at', { useTz: true }).notNullable();
  });
  // No personal data and no tenant row: a key holds at most a commune's id.
  await knex.raw(`grant select, insert, update on send_rate_buckets to ${APP_ROLE}`);
  await knex.raw(`
    create function take_send_tokens(p_keys text[], p_rates double precision[], p_capacity double precision[], p_want integer)
    returns table (granted integer, wait_ms integer)
    language plpgsql as $$
    declare
      n integer := coalesce(array_length(p_keys, 1), 0);
      t_now timestamptz := clock_timestamp();
      have double precision[] := '{}';
      avail double precision := 'Infinity';
      slowest double precision := 'Infinity';
      cur double precision;
      at timestamptz;
      g integer;
    begin
      if n = 0 or p_want <= 0 then
        return query select greatest(p_want, 0), 0;
        return;
      end if;
      -- Keys come sorted (the caller sorts them): two takers lock them in one order, no deadlock.
      insert into send_rate_buckets (key, tokens, refilled_at)
        select k, c, t_now from unnest(p_keys, p_capacity) as x(k, c)
        on conflict (key) do nothing;
      for i in 1..n loop
        select b.tokens, b.refilled_at into cur, at from send_rate_buckets b where b.key = p_keys[i] for update;
        cur := least(p_capacity[i], cur + p_rates[i] * greatest(0, extract(epoch from t_now - at)));
        have := have || cur;
        avail := least(avail, cur);
        slowest := least(slowest, p_rates[i]);
      end loop;
      g := greatest(0, least(p_want, floor(avail)::integer));
      for i in 1..n loop
        update send_rate_buckets set tokens = have[i] - g, refilled_at = t_now where key = p_keys[i];
      end loop;
      if g >= p_want then
        return query select g, 0;
      else
        -- Time until the emptiest bucket holds one more token.
        return query select g, greatest(1, ceil((1 - (avail - g)) / slowest * 1000)::integer);
      end if;
    end $$`);
  await knex.raw(
    `grant execute on function take_send_tokens(text[], double precision[], double precision[], integer) to ${APP_ROLE}`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(
    'drop function if exists take_send_tokens(text[], double precision[], double precision[], integer)',
  );
  await knex.schema.dropTableIfExists('send_rate_buckets');
}
