// A text to the commune's number that a module or plugin expects as an answer
// (coreExtensions.smsReplies, e.g. « OUI » to the solidarity register's
// question) is claimed before it would become an alert: the sender gets the
// handler's reply, nothing is raised, and the handler's after-commit work runs.
// A text no handler claims is an alert as before; STOP is never offered.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withTenant } from '../db/tenant.js';
import { coreExtensions } from '../core/refs.js';
import { createTestAccount } from '../testing/index.js';
import {
  PUBLIC_URL,
  seedCommune,
  startHarness,
  type Harness,
  type SeededCommunity,
} from './testing/harness.js';

let h: Harness;
let c: SeededCommunity;
const COMMUNE_NUMBER = '+33757000001';
const INBOUND = `${PUBLIC_URL}/webhooks/twilio/inbound`;

beforeAll(async () => {
  h = await startHarness();
  c = await seedCommune(h.ctx, { sms: { number: COMMUNE_NUMBER } });
}, 120_000);
afterAll(async () => h?.close());

const post = (req: { headers: Record<string, string>; body: string }) =>
  h.ctx.app.inject({
    method: 'POST',
    url: '/webhooks/twilio/inbound',
    headers: req.headers,
    payload: req.body,
  });

it('lets a handler claim the answers it expects, and leaves the rest to alerts', async () => {
  const seen: string[] = [];
  const committed: string[] = [];
  h.ctx.app.services.get(coreExtensions.smsReplies).contribute({
    id: 'test-replies',
    async claim(trx, sms) {
      seen.push(sms.body);
      if (!/^oui$/i.test(sms.body.trim())) return null;
      // In the commune's transaction: the handler's writes commit with the inbound record.
      await trx('in_app_notifications').insert({
        tenant_id: sms.tenantId,
        account_id: sms.accountId,
        kind: 'test.reply',
        title: 'Réponse reçue',
        body: sms.body,
      });
      return { reply: 'Merci, c’est noté.', afterCommit: async () => void committed.push(sms.accountId!) };
    },
  });
  const a = await createTestAccount(h.ctx.db, c.tenant.id, { phone: '+33611119001', phoneVerified: true });
  await withTenant(h.ctx.ownerDb, c.tenant.id, (trx) =>
    trx('residences').insert({
      tenant_id: c.tenant.id,
      account_id: a.id,
      sector_id: c.sectorId,
      address_label: '3 rue des Lilas',
      status: 'active',
      source: 'manual',
      activated_at: new Date(),
    }),
  );
  const alerts = () =>
    withTenant(h.ctx.db, c.tenant.id, (trx) =>
      trx('alerts').where({ author_account_id: a.id }).pluck('body'),
    );

  const res = await post(
    h.twilio.inbound(INBOUND, { from: '+33611119001', to: COMMUNE_NUMBER, body: 'Oui' }),
  );
  expect(res.statusCode).toBe(200);
  expect(res.body).toContain('Merci, c’est noté.');
  expect(await alerts()).toEqual([]);
  expect(committed).toEqual([a.id]);
  const recorded = await withTenant(h.ctx.db, c.tenant.id, (trx) =>
    trx('inbound_sms').where({ account_id: a.id }).pluck('outcome'),
  );
  expect(recorded).toEqual(['reply']);

  // Not an answer it expects: an alert, as before. STOP never reaches the handler.
  await post(
    h.twilio.inbound(INBOUND, { from: '+33611119001', to: COMMUNE_NUMBER, body: 'Fumée au 12 rue Haute' }),
  );
  expect(await alerts()).toEqual(['Fumée au 12 rue Haute']);
  await post(h.twilio.inbound(INBOUND, { from: '+33611119001', to: COMMUNE_NUMBER, body: 'STOP' }));
  expect(seen).toEqual(['Oui', 'Fumée au 12 rue Haute']);
}, 60_000);
