import type { Knex } from 'knex';
import { tenantTable } from '../src/db/schema.js';

// Calls to a phone number that is not an account (issues 13 and 16): the
// landline of a person on the solidarity register, the contact person named
// in a holiday-absence declaration. A module or plugin asks for one through
// services.phoneCalls; the phone-call workflow places it, retries a call
// nobody answered, and hands the outcome (1 pressed, another key, no answer…)
// back to the plugin's handler. The number is sealed like the register's
// phones; the row holds what the call says, because Twilio asks for it when
// the call is answered, and goes 30 days after the call is settled.
export async function up(knex: Knex): Promise<void> {
  await tenantTable(knex, 'phone_calls', (t) => {
    /** Who asked: the handler the outcome goes back to (a plugin's id). */
    t.text('handler').notNullable();
    /** The asker's idempotency key: one call per (handler, key). */
    t.text('key').notNullable();
    t.text('number_sealed').notNullable();
    t.text('locale').notNullable().defaultTo('fr');
    t.text('message').notNullable();
    /** Said in the <Gather> after the message (« appuyez sur 1 … »); null: a message only. */
    t.text('prompt');
    t.text('confirmed_reply');
    t.text('other_key_reply');
    t.boolean('urgent').notNullable().defaultTo(false);
    /** Handed back with the outcome (the asker's own ids, never personal data). */
    t.jsonb('context').notNullable().defaultTo('{}');
    t.text('status').notNullable().defaultTo('pending');
    t.text('outcome');
    t.text('reason');
    t.integer('attempts').notNullable().defaultTo(0);
    /** The current attempt's call (Twilio CA…) and what its webhooks said. */
    t.text('call_sid');
    t.text('call_status');
    t.text('digits');
    t.timestamp('placed_at', { useTz: true });
    t.timestamp('not_before', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('settled_at', { useTz: true });
    t.timestamp('handled_at', { useTz: true });
    t.unique(['tenant_id', 'handler', 'key']);
  });
  await knex.raw(`alter table phone_calls add constraint phone_calls_check check (
    status in ('pending', 'calling', 'done')
    and locale in ('fr', 'en')
    and (outcome is null or outcome in ('confirmed', 'other_key', 'heard', 'no_answer', 'busy', 'refused', 'failed'))
    and (status <> 'done' or outcome is not null))`);
  await knex.raw(
    `create index phone_calls_open on phone_calls (tenant_id, updated_at) where status <> 'done' or handled_at is null`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('phone_calls');
}
