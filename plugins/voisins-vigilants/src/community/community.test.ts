import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '@vigie/platform/testing';
import { withTenant } from '@vigie/platform/plugin';
import { codeOf, World, type Person } from '../testing/world.js';

let ctx: TestContext;
let world: World;
let lilas: Awaited<ReturnType<World['community']>>;
let roses: Awaited<ReturnType<World['community']>>;

beforeAll(async () => {
  ctx = await createTestContext();
  world = await World.create(ctx);
  lilas = await world.community('Les Lilas', 'Rue des Lilas', 4);
  roses = await world.community('Les Roses', 'Allée des Roses', 3);
});
afterAll(async () => ctx?.close());

const PAGE = /* GraphQL */ `
  {
    myCommunity {
      id
      name
      memberCount
      referents {
        id
        displayName
      }
      coverage {
        households
        addresses
        ratio
      }
      members {
        id
        displayName
      }
    }
  }
`;

describe('the community page', () => {
  it('shows the name, members, referents and coverage (members’ households out of the BAN addresses)', async () => {
    const ref = await world.referent('Régine Référente', lilas);
    const alice = await world.member('Alice', lilas, { addressIndex: 0 });
    await world.member('Bernard', lilas, { addressIndex: 0 });
    await world.member('Rose', roses);
    const page = await alice.browser.ok<{
      myCommunity: {
        name: string;
        memberCount: number;
        referents: Array<{ displayName: string }>;
        coverage: { households: number; addresses: number; ratio: number };
        members: Array<{ displayName: string }>;
      };
    }>(PAGE);
    expect(page.myCommunity.name).toBe('Les Lilas');
    expect(page.myCommunity.memberCount).toBe(3);
    expect(page.myCommunity.referents).toEqual([{ id: ref.accountId, displayName: 'Régine Référente' }]);
    // Alice and Bernard share a household: 2 households out of 4 addresses.
    expect(page.myCommunity.coverage).toEqual({ households: 2, addresses: 4, ratio: 0.5 });
    expect(page.myCommunity.members.map((m) => m.displayName).sort()).toEqual([
      'Alice',
      'Bernard',
      'Régine Référente',
    ]);
  });

  it('hides other communities from residents, and shows them to staff', async () => {
    const alice = await world.member('Alice Bis', lilas);
    const r = await alice.browser.gql(`{ community(id: "${roses.id}") { name } }`);
    expect(codeOf(r)).toBe('COMMUNITY_NOT_FOUND');
    const police = await world.staff('police_agent');
    const seen = await police.browser.ok<{ community: { name: string; memberCount: number } }>(
      `{ community(id: "${roses.id}") { name memberCount } }`,
    );
    expect(seen.community.name).toBe('Les Roses');
    const none = await (
      await world.account('Sans Adresse')
    ).browser.ok<{ myCommunity: null; myMembership: { status: string } }>(
      '{ myCommunity { id } myMembership { status } }',
    );
    expect(none).toEqual({ myCommunity: null, myMembership: { status: 'none' } });
  });
});

describe('privacy between neighbours', () => {
  it('shows neighbours by display name only: no email, phone or address in anything a resident can reach', async () => {
    const community = await world.community('Les Iris', 'Impasse des Iris Secrets', 3);
    const people: Person[] = [
      await world.referent('Iris Référente', community),
      await world.member('Ivan', community, { addressIndex: 2 }),
      await world.member('Inès', community, { addressIndex: 0 }),
    ];
    const [referent, ivan, ines] = people as [Person, Person, Person];
    // Give every relation field something to show.
    const { createThread } = await ivan.browser.ok<{ createThread: { id: string } }>(
      'mutation { createThread(input: { category: lost_animals, title: "Chat perdu", body: "Un chat roux" }) { id } }',
    );
    await ines.browser.ok(
      `mutation { addComment(threadId: "${createThread.id}", body: "Je l'ai vu hier") { id } }`,
    );
    const starts = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const { createEvent } = await ines.browser.ok<{ createEvent: { id: string } }>(
      `mutation { createEvent(input: { kind: neighbours_day, title: "Fête des voisins", place: "Square des Iris", startsAt: "${starts}" }) { id } }`,
    );
    await ivan.browser.ok(`mutation { rsvpEvent(eventId: "${createEvent.id}", answer: yes) { id } }`);
    await ivan.browser.ok(
      `mutation { sendPrivateMessage(recipientId: "${ines.accountId}", body: "Bonjour voisine") { id } }`,
    );
    await referent.browser.ok(
      `mutation { sendPrivateMessage(recipientId: "${ivan.accountId}", body: "Bienvenue") { id } }`,
    );

    const everything = /* GraphQL */ `
      {
        myCommunity {
          id
          name
          memberCount
          coverage {
            households
            addresses
            ratio
          }
          referents {
            id
            displayName
          }
          members(limit: 100) {
            id
            displayName
          }
          latestThreads {
            id
            title
            body
            category
            categoryLabel
            createdAt
            lastActivityAt
            commentCount
            author {
              id
              displayName
            }
            comments {
              id
              body
              createdAt
              author {
                id
                displayName
              }
            }
          }
          upcomingEvents {
            id
            title
            place
            description
            startsAt
            organiser {
              id
              displayName
            }
            attendees {
              id
              displayName
            }
            rsvpCounts {
              yes
              no
              maybe
            }
            myRsvp
          }
        }
        myMembership {
          status
          community {
            id
            name
          }
        }
        communities {
          id
          name
        }
        communityCharter {
          version
          text
          accepted
          acceptedVersion
          acceptedAt
        }
        threads {
          id
          author {
            id
            displayName
          }
          comments {
            author {
              id
              displayName
            }
          }
        }
        communityEvents {
          id
          organiser {
            id
            displayName
          }
          attendees {
            id
            displayName
          }
        }
        conversations {
          unread
          neighbour {
            id
            displayName
          }
          lastMessage {
            id
            body
            mine
            author {
              id
              displayName
            }
            recipient {
              id
              displayName
            }
          }
        }
        discussionCategories {
          value
          label
        }
        reportReasons {
          value
          label
        }
      }
    `;
    const seen = JSON.stringify(await ivan.browser.ok(everything));
    const conversation = JSON.stringify(
      await ivan.browser.ok(
        `{ messagesWith(neighbourId: "${ines.accountId}") { body author { id displayName } recipient { id displayName } } }`,
      ),
    );
    for (const text of [seen, conversation]) {
      for (const p of people) {
        expect(text).not.toContain(p.email);
        expect(text).not.toContain(p.phone);
        expect(text).not.toContain(p.phone.slice(1));
      }
      expect(text).not.toContain('Impasse des Iris Secrets');
      expect(text.toLowerCase()).not.toMatch(/"(email|phone|address|addresslabel)"/);
    }
    // The names are there, which proves the query reached the neighbours.
    expect(seen).toContain('Inès');
    expect(seen).toContain('Iris Référente');
  });

  it('has no email, phone or address field on any type a resident can query', async () => {
    const ivan = await world.member('Introspecteur', lilas);
    const r = await ivan.browser.ok<{
      __schema: { types: Array<{ name: string; fields: Array<{ name: string }> | null }> };
    }>('{ __schema { types { name fields { name } } } }');
    for (const typeName of [
      'Neighbour',
      'Community',
      'DiscussionThread',
      'DiscussionComment',
      'CommunityEvent',
      'PrivateMessage',
      'Conversation',
      'ModerationItem',
    ]) {
      const type = r.__schema.types.find((t) => t.name === typeName);
      expect(type, typeName).toBeDefined();
      expect(
        type!.fields!.map((f) => f.name.toLowerCase()).filter((n) => /email|phone|address/.test(n)),
        typeName,
      ).toEqual([]);
    }
  });
});

describe('membership validated by hand', () => {
  it('queues a request from a resident outside the BAN import; a referent of that community approves it', async () => {
    const referent = await world.referent('Rémi', roses);
    const newcomer = await world.account('Nouvelle Voisine');
    const { requestMembership } = await newcomer.browser.ok<{
      requestMembership: { id: string; status: string; addressLabel: string };
    }>(
      `mutation { requestMembership(input: { communityId: "${roses.id}", addressLabel: "3 bis chemin des Roses (construction neuve)", message: "Maison livrée en mars" }) { id status addressLabel } }`,
    );
    expect(requestMembership).toMatchObject({
      status: 'pending',
      addressLabel: '3 bis chemin des Roses (construction neuve)',
    });
    expect(
      codeOf(
        await newcomer.browser.gql(
          `mutation { requestMembership(input: { communityId: "${roses.id}", addressLabel: "encore une fois" }) { id } }`,
        ),
      ),
    ).toBe('MEMBERSHIP_REQUEST_PENDING');
    expect(
      (await newcomer.browser.ok<{ myMembership: { status: string } }>('{ myMembership { status } }'))
        .myMembership.status,
    ).toBe('pending');

    // A referent of another community neither sees nor decides it.
    const other = await world.referent('Lucien', lilas);
    expect(codeOf(await other.browser.gql(`{ membershipRequests(communityId: "${roses.id}") { id } }`))).toBe(
      'FORBIDDEN',
    );
    expect(
      codeOf(
        await other.browser.gql(
          `mutation { approveMembershipRequest(id: "${requestMembership.id}") { id } }`,
        ),
      ),
    ).toBe('FORBIDDEN');

    const queue = await referent.browser.ok<{
      membershipRequests: Array<{ id: string; addressLabel: string; requester: { displayName: string } }>;
    }>(
      `{ membershipRequests(communityId: "${roses.id}") { id addressLabel message requester { displayName } } }`,
    );
    expect(queue.membershipRequests).toEqual([
      expect.objectContaining({
        id: requestMembership.id,
        addressLabel: '3 bis chemin des Roses (construction neuve)',
        requester: { displayName: 'Nouvelle Voisine' },
      }),
    ]);
    const approved = await referent.browser.ok<{ approveMembershipRequest: { status: string } }>(
      `mutation { approveMembershipRequest(id: "${requestMembership.id}") { status } }`,
    );
    expect(approved.approveMembershipRequest.status).toBe('approved');
    expect(
      codeOf(
        await referent.browser.gql(
          `mutation { approveMembershipRequest(id: "${requestMembership.id}") { status } }`,
        ),
      ),
    ).toBe('MEMBERSHIP_REQUEST_DECIDED');

    const mine = await newcomer.browser.ok<{
      myMembership: { status: string; community: { name: string } };
      myNotifications: Array<{ kind: string }>;
    }>('{ myMembership { status community { name } } myNotifications { kind } }');
    expect(mine.myMembership).toEqual({ status: 'member', community: { name: 'Les Roses' } });
    expect(mine.myNotifications.map((n) => n.kind)).toContain('voisins-vigilants.membership_approved');
    const referentNotes = await referent.browser.ok<{ myNotifications: Array<{ kind: string }> }>(
      '{ myNotifications { kind } }',
    );
    expect(referentNotes.myNotifications.map((n) => n.kind)).toContain(
      'voisins-vigilants.membership_request',
    );
  });

  it('refuses with a reason, which the resident sees', async () => {
    const referent = await world.referent('Raoul', roses);
    const someone = await world.account('Demandeur');
    const { requestMembership } = await someone.browser.ok<{ requestMembership: { id: string } }>(
      `mutation { requestMembership(input: { communityId: "${roses.id}", addressLabel: "Lieu-dit inconnu" }) { id } }`,
    );
    expect(
      codeOf(
        await referent.browser.gql(
          `mutation { refuseMembershipRequest(id: "${requestMembership.id}", reason: "") { id } }`,
        ),
      ),
    ).toBe('VALIDATION_FAILED');
    await referent.browser.ok(
      `mutation { refuseMembershipRequest(id: "${requestMembership.id}", reason: "Adresse hors du quartier") { id } }`,
    );
    const n = await someone.browser.ok<{
      myMembership: { status: string };
      myNotifications: Array<{ kind: string; body: string }>;
    }>('{ myMembership { status } myNotifications { kind body } }');
    expect(n.myMembership.status).toBe('none');
    expect(n.myNotifications.find((x) => x.kind === 'voisins-vigilants.membership_refused')?.body).toContain(
      'Adresse hors du quartier',
    );
  });

  it('does not take a request from a member, or for a community that does not exist', async () => {
    const alice = await world.member('Déjà Membre', lilas);
    expect(
      codeOf(
        await alice.browser.gql(
          `mutation { requestMembership(input: { communityId: "${roses.id}", addressLabel: "12 rue des Roses" }) { id } }`,
        ),
      ),
    ).toBe('ALREADY_MEMBER');
    const other = await world.account('Sans Communauté');
    expect(
      codeOf(
        await other.browser.gql(
          'mutation { requestMembership(input: { communityId: "00000000-0000-0000-0000-000000000000", addressLabel: "12 rue des Roses" }) { id } }',
        ),
      ),
    ).toBe('COMMUNITY_NOT_FOUND');
  });
});

describe('leaving, exclusion and appeal', () => {
  it('lets a resident leave, logged', async () => {
    const leaver = await world.member('Partant', lilas);
    expect(await leaver.browser.ok('mutation { leaveCommunity(reason: "Déménagement") }')).toEqual({
      leaveCommunity: true,
    });
    expect((await leaver.browser.ok<{ myCommunity: null }>('{ myCommunity { id } }')).myCommunity).toBeNull();
    expect(
      codeOf(
        await leaver.browser.gql(
          'mutation { createThread(input: { category: other, title: "Toujours là ?", body: "test" }) { id } }',
        ),
      ),
    ).toBe('NOT_A_MEMBER');
    const logged = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
      trx('audit_log')
        .where({ action: 'voisins-vigilants.membership.left', actor_id: leaver.accountId })
        .count('* as n')
        .first(),
    );
    expect(Number(logged?.n)).toBe(1);
  });

  it('excludes with a reason; the excluded resident appeals; the mairie upholds or reinstates; referents see each other’s actions', async () => {
    const community = await world.community('Les Tilleuls', 'Rue des Tilleuls', 3);
    const [r1, r2] = [
      await world.referent('Première Référente', community),
      await world.referent('Second Référent', community),
    ];
    const troll = await world.member('Perturbateur', community, { addressIndex: 2 });
    const other = await world.member('Autre Perturbateur', community, { addressIndex: 2 });

    expect(
      codeOf(
        await r1.browser.gql(
          `mutation { excludeMember(communityId: "${community.id}", accountId: "${troll.accountId}", reason: "") { id } }`,
        ),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(
      codeOf(
        await r1.browser.gql(
          `mutation { excludeMember(communityId: "${community.id}", accountId: "${r2.accountId}", reason: "Désaccord") { id } }`,
        ),
      ),
    ).toBe('CANNOT_EXCLUDE_REFERENT');
    const outsider = await world.referent('Référent Ailleurs', lilas);
    expect(
      codeOf(
        await outsider.browser.gql(
          `mutation { excludeMember(communityId: "${community.id}", accountId: "${troll.accountId}", reason: "Insultes") { id } }`,
        ),
      ),
    ).toBe('FORBIDDEN');

    const { excludeMember } = await r1.browser.ok<{
      excludeMember: { id: string; status: string; member: { displayName: string } };
    }>(
      `mutation { excludeMember(communityId: "${community.id}", accountId: "${troll.accountId}", reason: "Insultes répétées envers des voisins") { id status member { displayName } } }`,
    );
    expect(excludeMember).toMatchObject({ status: 'active', member: { displayName: 'Perturbateur' } });
    await r2.browser.ok(
      `mutation { excludeMember(communityId: "${community.id}", accountId: "${other.accountId}", reason: "Publicité en boucle") { id } }`,
    );

    const status = await troll.browser.ok<{
      myMembership: { status: string; exclusion: { id: string; reason: string } };
    }>('{ myMembership { status exclusion { id reason } } }');
    expect(status.myMembership).toEqual({
      status: 'excluded',
      exclusion: { id: excludeMember.id, reason: 'Insultes répétées envers des voisins' },
    });
    expect(
      codeOf(
        await troll.browser.gql(
          `mutation { requestMembership(input: { communityId: "${community.id}", addressLabel: "1 rue des Tilleuls" }) { id } }`,
        ),
      ),
    ).toBe('EXCLUDED_FROM_COMMUNITY');

    // Each referent sees the other's action.
    for (const [viewer, otherName] of [
      [r1, 'Second Référent'],
      [r2, 'Première Référente'],
    ] as const) {
      const log = await viewer.browser.ok<{
        referentActivity: Array<{ action: string; reason: string; actor: { displayName: string } }>;
      }>(`{ referentActivity(communityId: "${community.id}") { action reason actor { displayName } } }`);
      expect(
        log.referentActivity
          .filter((a) => a.action === 'voisins-vigilants.membership.excluded')
          .map((a) => a.actor.displayName)
          .sort(),
      ).toEqual(['Première Référente', 'Second Référent']);
      expect(log.referentActivity.some((a) => a.actor.displayName === otherName)).toBe(true);
    }
    expect(
      codeOf(await outsider.browser.gql(`{ referentActivity(communityId: "${community.id}") { action } }`)),
    ).toBe('FORBIDDEN');

    const { appealExclusion } = await troll.browser.ok<{ appealExclusion: { id: string; status: string } }>(
      `mutation { appealExclusion(exclusionId: "${excludeMember.id}", statement: "Je regrette mes propos et je demande à revenir.") { id status } }`,
    );
    expect(appealExclusion.status).toBe('pending');
    expect(
      codeOf(
        await troll.browser.gql(
          `mutation { appealExclusion(exclusionId: "${excludeMember.id}", statement: "Une deuxième fois, s'il vous plaît.") { id } }`,
        ),
      ),
    ).toBe('APPEAL_ALREADY_FILED');
    const { appealExclusion: otherAppeal } = await other.browser.ok<{ appealExclusion: { id: string } }>(
      `mutation { appealExclusion(exclusionId: "${(await other.browser.ok<{ myMembership: { exclusion: { id: string } } }>('{ myMembership { exclusion { id } } }')).myMembership.exclusion.id}", statement: "Ce n'était pas de la publicité.") { id } }`,
    );

    // Only the mairie decides.
    expect(
      codeOf(
        await r1.browser.gql(
          `mutation { decideExclusionAppeal(appealId: "${appealExclusion.id}", decision: uphold, reason: "Non") { id } }`,
        ),
      ),
    ).toBe('FORBIDDEN');
    const mairie = await world.staff('mairie_admin');
    const pending = await mairie.browser.ok<{
      exclusionAppeals: Array<{
        id: string;
        statement: string;
        exclusion: { reason: string; member: { displayName: string }; community: { name: string } };
      }>;
    }>(
      '{ exclusionAppeals { id statement exclusion { reason member { displayName } community { name } } } }',
    );
    expect(pending.exclusionAppeals.map((a) => a.id).sort()).toEqual(
      [appealExclusion.id, otherAppeal.id].sort(),
    );
    expect(pending.exclusionAppeals.find((a) => a.id === appealExclusion.id)?.exclusion).toEqual({
      reason: 'Insultes répétées envers des voisins',
      member: { displayName: 'Perturbateur' },
      community: { name: 'Les Tilleuls' },
    });

    const reinstated = await mairie.browser.ok<{ decideExclusionAppeal: { status: string } }>(
      `mutation { decideExclusionAppeal(appealId: "${appealExclusion.id}", decision: reinstate, reason: "Excuses présentées, premier incident") { status } }`,
    );
    expect(reinstated.decideExclusionAppeal.status).toBe('reinstated');
    const upheld = await mairie.browser.ok<{ decideExclusionAppeal: { status: string } }>(
      `mutation { decideExclusionAppeal(appealId: "${otherAppeal.id}", decision: uphold, reason: "Publicités constatées") { status } }`,
    );
    expect(upheld.decideExclusionAppeal.status).toBe('upheld');
    expect(
      codeOf(
        await mairie.browser.gql(
          `mutation { decideExclusionAppeal(appealId: "${otherAppeal.id}", decision: reinstate, reason: "Changement d'avis") { status } }`,
        ),
      ),
    ).toBe('APPEAL_DECIDED');

    expect(
      (await troll.browser.ok<{ myCommunity: { name: string } }>('{ myCommunity { name } }')).myCommunity,
    ).toEqual({ name: 'Les Tilleuls' });
    expect(
      (await other.browser.ok<{ myMembership: { status: string } }>('{ myMembership { status } }'))
        .myMembership.status,
    ).toBe('excluded');
    const notes = await troll.browser.ok<{ myNotifications: Array<{ kind: string }> }>(
      '{ myNotifications { kind } }',
    );
    expect(notes.myNotifications.map((n) => n.kind)).toEqual(
      expect.arrayContaining(['voisins-vigilants.excluded', 'voisins-vigilants.exclusion_appeal_decided']),
    );
    const audit = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
      trx('audit_log').where('action', 'like', 'voisins-vigilants.exclusion.%').pluck('action'),
    );
    expect(audit.sort()).toEqual([
      'voisins-vigilants.exclusion.appealed',
      'voisins-vigilants.exclusion.appealed',
      'voisins-vigilants.exclusion.reinstated',
      'voisins-vigilants.exclusion.upheld',
    ]);
  });

  it('revokes the referent role of a referent who leaves', async () => {
    const community = await world.community('Les Chênes', 'Rue des Chênes', 2);
    const referent = await world.referent('Référente Partante', community);
    await referent.browser.ok('mutation { leaveCommunity }');
    const roles = await withTenant(ctx.ownerDb, world.tenant.id, (trx) =>
      trx('role_assignments')
        .where({ account_id: referent.accountId, role: 'referent' })
        .count('* as n')
        .first(),
    );
    expect(Number(roles?.n)).toBe(0);
  });
});
