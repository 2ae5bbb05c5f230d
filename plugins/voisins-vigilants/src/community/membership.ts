// Who belongs to which community. A verified resident is a member of the
// community of their address (their active residence, a core fact); the plugin
// adds exclusions on top: an excluded resident who proves an address in the
// same community again does not come back without the mairie's decision.
import {
  type AccountPrincipal,
  type Community,
  type PlatformServices,
  type Trx,
  type VigieContext,
} from '@vigie/platform/plugin';
import { fail } from '../errors.js';
import { settingsOf } from '../context.js';
import type { VoisinsVigilantsSettings } from '../settings.js';

export async function activeExclusion(
  trx: Trx,
  accountId: string,
  communityId: string,
): Promise<{ id: string } | undefined> {
  return trx('vv_exclusions')
    .where({ account_id: accountId, community_id: communityId, status: 'active' })
    .first('id');
}

/** The community an account belongs to, or undefined (no active residence, or excluded from it). */
export async function membershipOf(
  services: PlatformServices,
  trx: Trx,
  accountId: string,
): Promise<Community | undefined> {
  const community = await services.communities.of(trx, accountId);
  if (!community || community.status !== 'active') return undefined;
  return (await activeExclusion(trx, accountId, community.id)) ? undefined : community;
}

export interface Member {
  account: AccountPrincipal;
  community: Community;
}

/** The caller and their community; NOT_A_MEMBER otherwise. */
export async function requireMember(ctx: VigieContext, trx: Trx): Promise<Member> {
  const account = ctx.requireAccount();
  const community = await membershipOf(ctx.services, trx, account.accountId);
  if (!community) throw fail('NOT_A_MEMBER');
  return { account, community };
}

export async function hasAcceptedCharter(trx: Trx, accountId: string, version: string): Promise<boolean> {
  return !!(await trx('vv_charter_acceptances').where({ account_id: accountId, version }).first('id'));
}

export interface Poster extends Member {
  settings: VoisinsVigilantsSettings;
}

/**
 * Everything checked before a member publishes anything (discussion, comment,
 * event, private message): membership, the permission in their community, the
 * current charter accepted, and the hourly budget.
 */
export async function requirePoster(
  ctx: VigieContext,
  trx: Trx,
  permission: string,
  budget: 'posts' | 'messages' = 'posts',
): Promise<Poster> {
  const member = await requireMember(ctx, trx);
  ctx.authorize(permission, { communityId: member.community.id });
  const settings = settingsOf(ctx);
  if (!(await hasAcceptedCharter(trx, member.account.accountId, settings.charterVersion))) {
    throw fail('CHARTER_NOT_ACCEPTED', undefined, { version: settings.charterVersion });
  }
  const max = budget === 'posts' ? settings.postsPerHour : settings.messagesPerHour;
  ctx.rateLimit(`voisins-vigilants.${budget}`, member.account.accountId, { max, windowMs: 3_600_000 });
  return { ...member, settings };
}

/**
 * Reading a community's life: its members (and its referents, who are
 * members), or staff with read_any. Anyone else gets NOT_FOUND, so that a
 * resident cannot probe the ids of other communities.
 */
export async function requireCommunityReader(
  ctx: VigieContext,
  trx: Trx,
  communityId: string,
): Promise<Community> {
  const account = ctx.requireAccount();
  const community = await ctx.services.communities.get(trx, communityId);
  if (!community) throw fail('COMMUNITY_NOT_FOUND');
  if (ctx.can('voisins-vigilants.community.read_any')) return community;
  ctx.authorize('voisins-vigilants.community.read', { communityId });
  const mine = await membershipOf(ctx.services, trx, account.accountId);
  if (mine?.id === communityId) return community;
  if (ctx.can('voisins-vigilants.report.review', { communityId })) return community;
  throw fail('COMMUNITY_NOT_FOUND');
}

export async function isReferentOf(
  services: PlatformServices,
  trx: Trx,
  accountId: string,
  communityId: string,
): Promise<boolean> {
  return (await services.roles.holders(trx, 'referent', communityId)).includes(accountId);
}
