// What the plugin holds about a resident, for their RGPD rights: the export
// lists each kind, and the erasure of the account runs each `erase` in one
// transaction (README, « Personal data (RGPD) »).
//
// The rule for erasure: what others rely on stays, signed « Ancien membre »
// (the core keeps the account row under that name, so author ids still
// resolve); what concerns only the resident goes.
//   kept, signed « Ancien membre »: alerts they sent and « j'ai vu aussi »
//     (the police's record), threads, comments, events they organised,
//     private messages they sent (the recipient's conversation), replies they
//     gave as referent to someone's support request, reports they filed (the
//     moderation queue still needs them)
//   deleted: « je peux aider » (nobody would come), answers to events,
//     referent candidacy, their support requests and the whole exchange in
//     them, exclusions and appeals about them, charter acceptances,
//     membership requests (they carry an address)
import type { PersonalDataKind, Trx } from '@vigie/platform/plugin';

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** Content that others rely on: the account row becomes « Ancien membre », the rows stay as they are. */
const keep = async (): Promise<void> => undefined;
/** Erasure that deletes the account's rows of a table (`where` narrows them further). */
const deleteRows =
  (table: string, column = 'account_id', where: Record<string, unknown> = {}) =>
  async (trx: Trx, accountId: string): Promise<void> => {
    await trx(table)
      .where({ ...where, [column]: accountId })
      .delete();
  };
const KEPT = 'conservés pour la communauté, signés « Ancien membre »';

interface Moderated {
  hidden_at: Date | null;
  hidden_reason: string | null;
}

/** Whether moderation hid it and why; never who hid it (a referent's identity is theirs). */
const moderation = (r: Moderated) => ({ hiddenAt: iso(r.hidden_at), hiddenBecause: r.hidden_reason });

const threads: PersonalDataKind = {
  name: 'threads',
  label: 'Discussions que vous avez ouvertes',
  onErasure: `${KEPT} (les commentaires des voisins y répondent)`,
  async export(trx: Trx, accountId) {
    const rows = await trx('vv_threads')
      .where({ author_id: accountId })
      .orderBy('created_at')
      .select('id', 'community_id', 'category', 'title', 'body', 'created_at', 'hidden_at', 'hidden_reason');
    return rows.map((r) => ({
      id: r.id,
      communityId: r.community_id,
      category: r.category,
      title: r.title,
      body: r.body,
      createdAt: iso(r.created_at),
      ...moderation(r),
    }));
  },
  erase: keep,
};

const comments: PersonalDataKind = {
  name: 'comments',
  label: 'Vos commentaires',
  onErasure: KEPT,
  async export(trx, accountId) {
    const rows = await trx('vv_comments')
      .where({ author_id: accountId })
      .orderBy('created_at')
      .select('id', 'thread_id', 'body', 'created_at', 'hidden_at', 'hidden_reason');
    return rows.map((r) => ({
      id: r.id,
      threadId: r.thread_id,
      body: r.body,
      createdAt: iso(r.created_at),
      ...moderation(r),
    }));
  },
  erase: keep,
};

const events: PersonalDataKind = {
  name: 'events',
  label: 'Événements que vous avez organisés',
  onErasure: `${KEPT} (les voisins inscrits les retrouvent)`,
  async export(trx, accountId) {
    const rows = await trx('vv_events')
      .where({ author_id: accountId })
      .orderBy('starts_at')
      .select(
        'id',
        'community_id',
        'kind',
        'title',
        'description',
        'place',
        'starts_at',
        'ends_at',
        'cancelled_at',
        'cancel_reason',
        'created_at',
        'hidden_at',
        'hidden_reason',
      );
    return rows.map((r) => ({
      id: r.id,
      communityId: r.community_id,
      kind: r.kind,
      title: r.title,
      description: r.description,
      place: r.place,
      startsAt: iso(r.starts_at),
      endsAt: iso(r.ends_at),
      cancelledAt: iso(r.cancelled_at),
      cancelledBecause: r.cancel_reason,
      createdAt: iso(r.created_at),
      ...moderation(r),
    }));
  },
  erase: keep,
};

const rsvps: PersonalDataKind = {
  name: 'eventAnswers',
  label: 'Vos réponses aux événements',
  onErasure: 'supprimées',
  async export(trx, accountId) {
    const rows = await trx('vv_event_rsvps as r')
      .join('vv_events as e', 'e.id', 'r.event_id')
      .where('r.account_id', accountId)
      .orderBy('e.starts_at')
      .select('r.event_id', 'e.title', 'e.starts_at', 'r.answer', 'r.updated_at');
    return rows.map((r) => ({
      eventId: r.event_id,
      event: r.title,
      startsAt: iso(r.starts_at),
      answer: r.answer,
      answeredAt: iso(r.updated_at),
    }));
  },
  erase: deleteRows('vv_event_rsvps'),
};

const messages: PersonalDataKind = {
  name: 'privateMessagesSent',
  label: 'Messages privés que vous avez envoyés',
  onErasure: 'conservés dans la conversation de leur destinataire, signés « Ancien membre »',
  async export(trx, accountId, displayNames) {
    const rows = await trx('vv_messages')
      .where({ author_id: accountId })
      .orderBy('created_at')
      .select('id', 'recipient_id', 'body', 'created_at', 'read_at', 'hidden_at', 'hidden_reason');
    const names = await displayNames(rows.map((r) => r.recipient_id));
    return rows.map((r) => ({
      id: r.id,
      to: names.get(r.recipient_id) ?? 'Ancien membre',
      body: r.body,
      sentAt: iso(r.created_at),
      readAt: iso(r.read_at),
      ...moderation(r),
    }));
  },
  erase: keep,
};

const candidacy: PersonalDataKind = {
  name: 'referentCandidacy',
  label: 'Votre candidature pour devenir référent',
  onErasure: 'supprimée (un tour de désignation en cours ne peut plus vous choisir)',
  async export(trx, accountId) {
    const rows = await trx('vv_referent_candidacies')
      .where({ account_id: accountId })
      .select('community_id', 'status', 'status_at', 'created_at');
    return rows.map((r) => ({
      communityId: r.community_id,
      status: r.status,
      since: iso(r.status_at),
      firstAnsweredAt: iso(r.created_at),
    }));
  },
  erase: deleteRows('vv_referent_candidacies'),
};

const supportRequests: PersonalDataKind = {
  name: 'supportRequests',
  label: 'Vos demandes d’aide aux référents',
  onErasure: 'supprimées, avec tous les messages échangés dans chacune',
  async export(trx, accountId) {
    const rows = await trx('vv_support_requests')
      .where({ author_id: accountId })
      .orderBy('created_at')
      .select('id', 'community_id', 'subject', 'status', 'created_at', 'closed_at');
    return rows.map((r) => ({
      id: r.id,
      communityId: r.community_id,
      subject: r.subject,
      status: r.status,
      createdAt: iso(r.created_at),
      closedAt: iso(r.closed_at),
    }));
  },
  // The messages go with their request (foreign key ON DELETE CASCADE).
  erase: deleteRows('vv_support_requests', 'author_id'),
};

const supportMessages: PersonalDataKind = {
  name: 'supportMessages',
  label:
    'Vos messages dans les demandes d’aide (les vôtres, ou celles auxquelles vous avez répondu comme référent)',
  onErasure:
    'supprimés avec vos demandes ; vos réponses de référent aux demandes des autres sont conservées, signées « Ancien membre »',
  async export(trx, accountId) {
    const rows = await trx('vv_support_messages')
      .where({ author_id: accountId })
      .orderBy('created_at')
      .select('request_id', 'from_referent', 'body', 'created_at');
    return rows.map((r) => ({
      requestId: r.request_id,
      asReferent: r.from_referent,
      body: r.body,
      sentAt: iso(r.created_at),
    }));
  },
  // Those in the account's own requests are gone with them (supportRequests, erased first).
  erase: keep,
};

const exclusions: PersonalDataKind = {
  name: 'exclusions',
  label: 'Exclusions d’une communauté vous concernant',
  onErasure: 'supprimées (elles ne visent plus personne)',
  async export(trx, accountId) {
    const rows = await trx('vv_exclusions')
      .where({ account_id: accountId })
      .orderBy('created_at')
      .select('id', 'community_id', 'reason', 'status', 'created_at');
    return rows.map((r) => ({
      id: r.id,
      communityId: r.community_id,
      reason: r.reason,
      status: r.status,
      excludedAt: iso(r.created_at),
    }));
  },
  // Their appeals, and any appeal against them, go with them (ON DELETE CASCADE).
  erase: deleteRows('vv_exclusions'),
};

const appeals: PersonalDataKind = {
  name: 'exclusionAppeals',
  label: 'Vos recours auprès de la mairie',
  onErasure: 'supprimés',
  async export(trx, accountId) {
    const rows = await trx('vv_exclusion_appeals')
      .where({ account_id: accountId })
      .orderBy('created_at')
      .select('exclusion_id', 'statement', 'status', 'created_at', 'decided_at', 'decision_reason');
    return rows.map((r) => ({
      exclusionId: r.exclusion_id,
      statement: r.statement,
      status: r.status,
      sentAt: iso(r.created_at),
      decidedAt: iso(r.decided_at),
      decision: r.decision_reason,
    }));
  },
  erase: deleteRows('vv_exclusion_appeals'),
};

const charter: PersonalDataKind = {
  name: 'charterAcceptances',
  label: 'Vos acceptations de la charte',
  onErasure: 'supprimées',
  async export(trx, accountId) {
    const rows = await trx('vv_charter_acceptances')
      .where({ account_id: accountId })
      .orderBy('accepted_at')
      .select('version', 'accepted_at');
    return rows.map((r) => ({ version: r.version, acceptedAt: iso(r.accepted_at) }));
  },
  erase: deleteRows('vv_charter_acceptances'),
};

const membershipRequests: PersonalDataKind = {
  name: 'membershipRequests',
  label: 'Vos demandes d’adhésion validées à la main',
  onErasure: 'supprimées (elles contiennent votre adresse)',
  async export(trx, accountId) {
    const rows = await trx('vv_membership_requests')
      .where({ account_id: accountId })
      .orderBy('created_at')
      .select(
        'community_id',
        'address_label',
        'message',
        'status',
        'created_at',
        'decided_at',
        'decision_reason',
      );
    return rows.map((r) => ({
      communityId: r.community_id,
      address: r.address_label,
      message: r.message,
      status: r.status,
      sentAt: iso(r.created_at),
      decidedAt: iso(r.decided_at),
      decision: r.decision_reason,
    }));
  },
  erase: deleteRows('vv_membership_requests'),
};

const reports: PersonalDataKind = {
  name: 'reports',
  label: 'Vos signalements de contenus',
  onErasure: 'conservés pour la modération, sans lien avec vous',
  async export(trx, accountId) {
    const rows = await trx('vv_reports')
      .where({ reporter_id: accountId })
      .orderBy('created_at')
      .select('content_type', 'content_id', 'reason', 'details', 'status', 'created_at');
    return rows.map((r) => ({
      contentType: r.content_type,
      contentId: r.content_id,
      reason: r.reason,
      details: r.details,
      status: r.status,
      reportedAt: iso(r.created_at),
    }));
  },
  erase: keep,
};

const alertReports: PersonalDataKind = {
  name: 'alerts',
  label: 'Alertes que vous avez envoyées à vos voisins et à la police',
  onErasure: 'conservées pour la police municipale et la mairie, signées « Ancien membre »',
  async export(trx, accountId) {
    const rows = await trx('vv_alert_reports')
      .where({ author_id: accountId })
      .orderBy('created_at')
      .select(
        'alert_id',
        'category',
        'severity',
        'what',
        'place',
        'seen_at',
        'vehicle',
        'plate',
        'called_17',
        'merged',
        'created_at',
      );
    return rows.map((r) => ({
      alertId: r.alert_id,
      category: r.category,
      severity: r.severity,
      what: r.what,
      place: r.place,
      seenAt: iso(r.seen_at),
      vehicle: r.vehicle,
      plate: r.plate,
      called17: r.called_17,
      addedToYourPreviousAlert: r.merged,
      sentAt: iso(r.created_at),
    }));
  },
  erase: keep,
};

const alertReactions: PersonalDataKind = {
  name: 'alertReactions',
  label: 'Vos réponses aux alertes des voisins (« j’ai vu aussi », « je peux aider »)',
  onErasure:
    '« je peux aider » supprimées (plus personne ne pourrait venir) ; « j’ai vu aussi » conservées, signées « Ancien membre », car elles confirment l’alerte pour la police',
  async export(trx, accountId) {
    const rows = await trx('vv_alert_reactions')
      .where({ account_id: accountId })
      .orderBy('created_at')
      .select('alert_id', 'kind', 'created_at');
    return rows.map((r) => ({ alertId: r.alert_id, reaction: r.kind, at: iso(r.created_at) }));
  },
  erase: deleteRows('vv_alert_reactions', 'account_id', { kind: 'can_help' }),
};

/** In the order of the readable summary. Support requests are erased before the messages in them are considered. */
export const personalData: PersonalDataKind[] = [
  alertReports,
  alertReactions,
  threads,
  comments,
  events,
  rsvps,
  messages,
  membershipRequests,
  charter,
  exclusions,
  appeals,
  candidacy,
  supportRequests,
  supportMessages,
  reports,
];
