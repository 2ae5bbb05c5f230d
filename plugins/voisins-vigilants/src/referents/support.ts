// Support requests: a member writes to the referents of their community, and a
// simple thread follows. Referents answer with a role scoped to that community;
// the member is told of each answer, the referents of each follow-up.
import { Type } from '@sinclair/typebox';
import { fail } from '../errors.js';
import { type Trx, type VigieContext } from '@vigie/platform/plugin';
import { record } from '../context.js';
import { requireMember } from '../community/membership.js';
import { parseInput } from '../validate.js';
import { P } from './permissions.js';
import { texts } from './messages.js';

export interface SupportRequestRow {
  id: string;
  community_id: string;
  author_id: string;
  subject: string;
  status: 'open' | 'answered' | 'closed';
  created_at: Date;
  last_message_at: Date;
  closed_at: Date | null;
}

export interface SupportMessageRow {
  id: string;
  request_id: string;
  author_id: string | null;
  from_referent: boolean;
  body: string;
  created_at: Date;
}

const REQUESTS = 'vv_support_requests';
const MESSAGES = 'vv_support_messages';
const Subject = Type.String({
  minLength: 1,
  maxLength: 120,
  errorMessage: "L'objet doit faire de 1 à 120 caractères.",
});
const Body = Type.String({
  minLength: 1,
  maxLength: 2000,
  errorMessage: 'Le message doit faire de 1 à 2 000 caractères.',
});
const NewRequest = Type.Object({ subject: Subject, body: Body });

/** A member opens a request to their community's referents. */
export async function sendRequest(ctx: VigieContext, trx: Trx, input: unknown): Promise<SupportRequestRow> {
  const { subject, body } = parseInput(NewRequest, input);
  const { account, community } = await requireMember(ctx, trx);
  ctx.authorize(P.supportSend, { communityId: community.id });
  ctx.rateLimit('voisins-vigilants.support', account.accountId, { max: 10, windowMs: 3_600_000 });
  const [row] = await trx<SupportRequestRow>(REQUESTS)
    .insert({
      tenant_id: account.tenantId,
      community_id: community.id,
      author_id: account.accountId,
      subject,
    } as Partial<SupportRequestRow>)
    .returning('*');
  const request = row as SupportRequestRow;
  await trx(MESSAGES).insert({
    tenant_id: account.tenantId,
    request_id: request.id,
    author_id: account.accountId,
    from_referent: false,
    body,
  });
  const referents = await ctx.services.roles.holders(trx, 'referent', community.id);
  await ctx.services.notify(trx, {
    tenantId: account.tenantId,
    accountIds: referents,
    ...texts.supportRequest(subject, request.id),
    meta: { communityId: community.id },
  });
  return request;
}

type Access = { request: SupportRequestRow; asReferent: boolean };

/** The author, or a referent of the request's community; anyone else does not learn that it exists. */
export async function requireAccess(ctx: VigieContext, trx: Trx, id: string): Promise<Access> {
  const me = ctx.requireAccount();
  const request = /^[0-9a-f-]{36}$/i.test(id)
    ? await trx<SupportRequestRow>(REQUESTS).where({ id }).first()
    : undefined;
  if (!request) throw fail('SUPPORT_REQUEST_NOT_FOUND');
  if (request.author_id === me.accountId) return { request: request as SupportRequestRow, asReferent: false };
  if (ctx.can(P.supportAnswer, { communityId: request.community_id }))
    return { request: request as SupportRequestRow, asReferent: true };
  throw fail('SUPPORT_REQUEST_NOT_FOUND');
}

/** Adds a message to the thread: a referent's answer, or the member's follow-up. */
export async function reply(
  ctx: VigieContext,
  trx: Trx,
  id: string,
  input: unknown,
): Promise<SupportRequestRow> {
  const body = parseInput(Body, (input as { body?: unknown }).body);
  const me = ctx.requireAccount();
  const { request, asReferent } = await requireAccess(ctx, trx, id);
  if (request.status === 'closed') throw fail('SUPPORT_REQUEST_CLOSED');
  await trx(MESSAGES).insert({
    tenant_id: me.tenantId,
    request_id: request.id,
    author_id: me.accountId,
    from_referent: asReferent,
    body,
  });
  const [row] = await trx<SupportRequestRow>(REQUESTS)
    .where({ id: request.id })
    .update({
      status: asReferent ? 'answered' : 'open',
      last_message_at: new Date(),
      updated_at: new Date(),
    } as Partial<SupportRequestRow>)
    .returning('*');
  const where = { communityId: request.community_id };
  if (asReferent) {
    await record(ctx, trx, {
      action: 'support.answered',
      communityId: request.community_id,
      target: { type: 'support_request', id: request.id },
      asReferent: true,
    });
    await ctx.services.notify(trx, {
      tenantId: me.tenantId,
      accountIds: [request.author_id],
      ...texts.supportAnswered(request.subject, request.id),
      meta: where,
    });
  } else {
    const referents = await ctx.services.roles.holders(trx, 'referent', request.community_id);
    await ctx.services.notify(trx, {
      tenantId: me.tenantId,
      accountIds: referents,
      ...texts.supportFollowUp(request.subject, request.id),
      meta: where,
    });
  }
  return row as SupportRequestRow;
}

export async function close(ctx: VigieContext, trx: Trx, id: string): Promise<SupportRequestRow> {
  const { request, asReferent } = await requireAccess(ctx, trx, id);
  if (request.status === 'closed') return request;
  const [row] = await trx<SupportRequestRow>(REQUESTS)
    .where({ id: request.id })
    .update({ status: 'closed', closed_at: new Date(), updated_at: new Date() } as Partial<SupportRequestRow>)
    .returning('*');
  if (asReferent)
    await record(ctx, trx, {
      action: 'support.closed',
      communityId: request.community_id,
      target: { type: 'support_request', id: request.id },
      asReferent: true,
    });
  return row as SupportRequestRow;
}

export function requestsOf(trx: Trx, accountId: string): Promise<SupportRequestRow[]> {
  return trx<SupportRequestRow>(REQUESTS)
    .where({ author_id: accountId })
    .orderBy('last_message_at', 'desc')
    .limit(100);
}

export function communityRequests(
  trx: Trx,
  communityId: string,
  status: string | null,
): Promise<SupportRequestRow[]> {
  const q = trx<SupportRequestRow>(REQUESTS)
    .where({ community_id: communityId })
    .orderBy('last_message_at', 'desc')
    .limit(200);
  if (status) q.where('status', status);
  return q;
}

/** The threads of several requests at once (the `messages` loader). */
export async function messagesOf(trx: Trx, requestIds: string[]): Promise<Map<string, SupportMessageRow[]>> {
  const rows = await trx<SupportMessageRow>(MESSAGES)
    .whereIn('request_id', requestIds)
    .orderBy('created_at')
    .orderBy('id');
  const out = new Map<string, SupportMessageRow[]>();
  for (const r of rows as SupportMessageRow[]) out.set(r.request_id, [...(out.get(r.request_id) ?? []), r]);
  return out;
}
