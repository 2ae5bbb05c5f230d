import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '@vigie/platform/testing';
import { withTenant } from '@vigie/platform/plugin';
import { codeOf, World, type Person } from '../testing/world.js';

let ctx: TestContext;
let world: World;
let lilas: Awaited<ReturnType<World['community']>>;
let roses: Awaited<ReturnType<World['community']>>;
let alice: Person;
let bernard: Person;

beforeAll(async () => {
  ctx = await createTestContext();
  world = await World.create(ctx);
  lilas = await world.community('Les Lilas');
  roses = await world.community('Les Roses');
  alice = await world.member('Alice', lilas);
  bernard = await world.member('Bernard', lilas);
});
afterAll(async () => ctx?.close());

const SEND =
  'mutation($to: ID!, $body: String!) { sendPrivateMessage(recipientId: $to, body: $body) { id body mine author { displayName } recipient { displayName } } }';

async function storedMessages(): Promise<number> {
  const r = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
    trx('vv_messages').count('* as n').first(),
  );
  return Number(r?.n ?? 0);
}

describe('private messages', () => {
  it('go between members of the same community', async () => {
    const sent = await alice.browser.ok<{
      sendPrivateMessage: {
        mine: boolean;
        author: { displayName: string };
        recipient: { displayName: string };
      };
    }>(SEND, { to: bernard.accountId, body: 'Bonjour Bernard, je garde vos clés ?' });
    expect(sent.sendPrivateMessage).toMatchObject({
      mine: true,
      author: { displayName: 'Alice' },
      recipient: { displayName: 'Bernard' },
    });
    const inbox = await bernard.browser.ok<{
      conversations: Array<{
        unread: number;
        neighbour: { id: string; displayName: string };
        lastMessage: { body: string; mine: boolean };
      }>;
    }>('{ conversations { unread neighbour { id displayName } lastMessage { body mine } } }');
    expect(inbox.conversations).toEqual([
      {
        unread: 1,
        neighbour: { id: alice.accountId, displayName: 'Alice' },
        lastMessage: { body: 'Bonjour Bernard, je garde vos clés ?', mine: false },
      },
    ]);
    await bernard.browser.ok(SEND, { to: alice.accountId, body: 'Volontiers, merci !' });
    expect(
      await bernard.browser.ok(`mutation { markConversationRead(neighbourId: "${alice.accountId}") }`),
    ).toEqual({ markConversationRead: 1 });
    const thread = await alice.browser.ok<{ messagesWith: Array<{ body: string; mine: boolean }> }>(
      `{ messagesWith(neighbourId: "${bernard.accountId}") { body mine } }`,
    );
    expect(thread.messagesWith).toEqual([
      { body: 'Volontiers, merci !', mine: false },
      { body: 'Bonjour Bernard, je garde vos clés ?', mine: true },
    ]);
    const notes = await bernard.browser.ok<{ myNotifications: Array<{ kind: string; body: string }> }>(
      '{ myNotifications { kind body } }',
    );
    // The notification says who wrote, not what: the message stays in the conversation.
    expect(notes.myNotifications).toContainEqual({
      kind: 'voisins-vigilants.private_message',
      body: 'Alice vous a écrit.',
    });
  });

  it('are refused with MESSAGE_RECIPIENT_NOT_IN_COMMUNITY to anyone outside the sender’s community', async () => {
    const otherCommunity = await world.member('Rose', roses);
    const nonMember = await world.account('Pas encore vérifié');
    const excluded = await world.member('Exclu', lilas);
    const referent = await world.referent('Référente', lilas);
    await referent.browser.ok(
      `mutation { excludeMember(communityId: "${lilas.id}", accountId: "${excluded.accountId}", reason: "Harcèlement") { id } }`,
    );
    const gone = await world.member('Parti', lilas);
    await gone.browser.ok('mutation { leaveCommunity }');
    const elsewhere = await World.create(ctx);
    const elsewhereLilas = await elsewhere.community('Les Lilas');
    const otherCommune = await elsewhere.member('Voisine d’une autre commune', elsewhereLilas);

    const before = await storedMessages();
    const targets: Array<[string, string, string?]> = [
      ['another community', otherCommunity.accountId],
      ['another commune', otherCommune.accountId],
      ['a resident who is not a member', nonMember.accountId],
      ['an excluded member', excluded.accountId],
      ['a member who left', gone.accountId],
      ['an account that does not exist', '6f1c2a3e-0000-4000-8000-000000000000'],
      // Refused at the boundary, before any query: it cannot be anyone's id.
      ['something that is not an id', 'bernard', 'VALIDATION_FAILED'],
    ];
    for (const [who, id, code = 'MESSAGE_RECIPIENT_NOT_IN_COMMUNITY'] of targets) {
      const r = await alice.browser.gql(SEND, { to: id, body: 'Bonjour' });
      expect(codeOf(r), who).toBe(code);
    }
    // Nor the other way round.
    expect(codeOf(await otherCommunity.browser.gql(SEND, { to: alice.accountId, body: 'Bonjour' }))).toBe(
      'MESSAGE_RECIPIENT_NOT_IN_COMMUNITY',
    );
    expect(codeOf(await excluded.browser.gql(SEND, { to: alice.accountId, body: 'Bonjour' }))).toBe(
      'NOT_A_MEMBER',
    );
    expect(codeOf(await nonMember.browser.gql(SEND, { to: alice.accountId, body: 'Bonjour' }))).toBe(
      'NOT_A_MEMBER',
    );
    expect(codeOf(await alice.browser.gql(SEND, { to: alice.accountId, body: 'Note à moi-même' }))).toBe(
      'MESSAGE_TO_SELF',
    );
    expect(await storedMessages()).toBe(before);
  });

  it('refuses empty messages', async () => {
    expect(codeOf(await alice.browser.gql(SEND, { to: bernard.accountId, body: '   ' }))).toBe(
      'VALIDATION_FAILED',
    );
  });
});
