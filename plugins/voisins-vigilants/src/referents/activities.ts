// Activities of the referent-selection workflow. Each one does its I/O inside
// withTenant and is safe to retry: rounds are keyed by the run that opened
// them, grants are idempotent and notifications carry a dedupe key.
import { withTenant, type ActivityDeps, type PlatformServices, type Trx } from '@vigie/platform/plugin';
import {
  MAX_REFERENTS_PER_COMMUNITY,
  REFERENT_FAILURES,
  type ReferentSelectionActivities,
} from '../workflows/contracts.js';
import { PLUGIN_ID } from '../settings.js';
import { candidacyOf, eligibleCandidates, setCandidacyStatus } from './candidacies.js';
import { texts, type Text } from './messages.js';

const ROUNDS = 'vv_referent_rounds';

async function tell(
  services: PlatformServices,
  trx: Trx,
  tenantId: string,
  accountIds: string[],
  text: Text,
  dedupeKey: string,
  communityId: string,
): Promise<void> {
  // A commune that switched the plugin off gets no more of its notifications.
  if (accountIds.length === 0 || (await services.plugins.settings(trx, PLUGIN_ID)) === null) return;
  await services.notify(trx, { tenantId, accountIds, ...text, meta: { communityId }, dedupeKey });
}

async function police(services: PlatformServices, trx: Trx): Promise<string[]> {
  return [
    ...(await services.roles.holders(trx, 'police_chief', null)),
    ...(await services.roles.holders(trx, 'police_agent', null)),
  ];
}

async function communityName(services: PlatformServices, trx: Trx, id: string): Promise<string | null> {
  return (await services.communities.get(trx, id))?.name ?? null;
}

export function referentActivities(deps: ActivityDeps): ReferentSelectionActivities {
  const { db, services } = deps;
  return {
    async referentOpenRound(i) {
      return withTenant(db, i.tenantId, async (trx) => {
        const referents = await services.roles.holders(trx, 'referent', i.communityId);
        const candidates = await eligibleCandidates(trx, services, i.communityId);
        if (referents.length >= MAX_REFERENTS_PER_COMMUNITY)
          return { roundId: null, collectUntil: null, candidates, referents };
        let round = await trx(ROUNDS).where({ round_key: i.roundKey }).first('id', 'collect_until');
        if (!round) {
          [round] = await trx(ROUNDS)
            .insert({
              tenant_id: i.tenantId,
              community_id: i.communityId,
              round_key: i.roundKey,
              reason: i.reason,
              opened_by: i.openedBy,
              collect_until: new Date(Date.now() + i.collectSeconds * 1000),
            })
            .returning(['id', 'collect_until']);
          await services.audit(trx, {
            tenantId: i.tenantId,
            actor: i.openedBy ? { type: 'account', id: i.openedBy } : { type: 'system' },
            action: `${PLUGIN_ID}.referent.round_opened`,
            target: { type: 'referent_round', id: round.id },
            meta: { communityId: i.communityId, reason: i.reason, candidates: candidates.length },
          });
        }
        return {
          roundId: round.id as string,
          collectUntil: (round.collect_until as Date).toISOString(),
          candidates,
          referents,
        };
      });
    },

    async referentCollectionEnded(i) {
      await withTenant(db, i.tenantId, async (trx) => {
        await trx(ROUNDS)
          .where({ id: i.roundId, status: 'collecting' })
          .update({ status: 'choosing', updated_at: new Date() });
        const text = texts.roundReady(
          await communityName(services, trx, i.communityId),
          i.candidates.length,
          i.communityId,
        );
        await tell(
          services,
          trx,
          i.tenantId,
          await police(services, trx),
          text,
          `referent-round:${i.roundId}:ready`,
          i.communityId,
        );
      });
    },

    async referentRemindPolice(i) {
      await withTenant(db, i.tenantId, async (trx) => {
        const text = texts.roundReminder(
          await communityName(services, trx, i.communityId),
          i.candidates,
          i.communityId,
        );
        await tell(
          services,
          trx,
          i.tenantId,
          await police(services, trx),
          text,
          `referent-round:${i.roundId}:remind:${i.reminder}`,
          i.communityId,
        );
      });
    },

    async referentAppoint(i) {
      return withTenant(db, i.tenantId, async (trx) => {
        // The roles are the truth: a seat given outside this workflow still counts.
        const others = (await services.roles.holders(trx, 'referent', i.communityId)).filter(
          (id) => !i.accountIds.includes(id),
        );
        if (others.length + i.accountIds.length > MAX_REFERENTS_PER_COMMUNITY)
          return { ok: false as const, code: REFERENT_FAILURES.tooMany, accountId: i.accountIds[0]! };
        for (const accountId of i.accountIds) {
          const c = await candidacyOf(trx, accountId);
          const member = (await services.communities.of(trx, accountId))?.id === i.communityId;
          // 'chosen' already: this activity is being retried after a partial run.
          if (!member || !c || (c.status !== 'active' && c.status !== 'chosen'))
            return { ok: false as const, code: REFERENT_FAILURES.ineligible, accountId };
        }
        const name = await communityName(services, trx, i.communityId);
        for (const accountId of i.accountIds) {
          await services.roles.grant(trx, {
            tenantId: i.tenantId,
            accountId,
            role: 'referent',
            scopeId: i.communityId,
            grantedBy: i.chosenBy,
          });
          await setCandidacyStatus(trx, [accountId], 'chosen');
          if (i.roundId)
            await trx(ROUNDS)
              .where({ id: i.roundId })
              .update({
                chosen: trx.raw('array(select distinct unnest(chosen || ?::uuid[]))', [[accountId]]),
                updated_at: new Date(),
              });
          await services.audit(trx, {
            tenantId: i.tenantId,
            actor: { type: 'account', id: i.chosenBy },
            action: `${PLUGIN_ID}.referent.chosen`,
            target: { type: 'account', id: accountId },
            meta: { communityId: i.communityId, roundId: i.roundId },
          });
          await tell(
            services,
            trx,
            i.tenantId,
            [accountId],
            texts.chosen(name),
            `referent-chosen:${i.communityId}:${accountId}:${i.roundId ?? 'none'}`,
            i.communityId,
          );
        }
        return { ok: true as const };
      });
    },

    async referentRoundClosed(i) {
      await withTenant(db, i.tenantId, async (trx) => {
        await trx(ROUNDS)
          .where({ id: i.roundId })
          .update({ status: 'closed', closed_at: new Date(), updated_at: new Date() });
        await services.audit(trx, {
          tenantId: i.tenantId,
          actor: { type: 'system' },
          action: `${PLUGIN_ID}.referent.round_closed`,
          target: { type: 'referent_round', id: i.roundId },
          meta: { communityId: i.communityId, chosen: i.chosen.length, unchosen: i.unchosen.length },
        });
        const text = texts.notChosen(await communityName(services, trx, i.communityId));
        await tell(
          services,
          trx,
          i.tenantId,
          i.unchosen,
          text,
          `referent-round:${i.roundId}:not-chosen`,
          i.communityId,
        );
      });
    },

    async referentVacancy(i) {
      return withTenant(db, i.tenantId, async (trx) => {
        const remaining = (await services.roles.holders(trx, 'referent', i.communityId)).length;
        if (remaining === 0) {
          await services.audit(trx, {
            tenantId: i.tenantId,
            actor: { type: 'system' },
            action: `${PLUGIN_ID}.referent.community_flagged`,
            target: { type: 'community', id: i.communityId },
            meta: { communityId: i.communityId, lastReferent: i.accountId },
          });
          const text = texts.withoutReferent(
            await communityName(services, trx, i.communityId),
            i.communityId,
          );
          await tell(
            services,
            trx,
            i.tenantId,
            await services.roles.holders(trx, 'mairie_admin', null),
            text,
            `referent-vacancy:${i.eventKey}`,
            i.communityId,
          );
        }
        return { remaining };
      });
    },
  };
}
