// The referent's desk: membership requests, proofs of address to check,
// residents' support requests and reported content, for each community they
// are referent of. Every decision is the server's (permissions, audit); the page
// only shows what the server let this referent see.
import { Suspense, lazy, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  Button,
  Loading,
  Notice,
  Page,
  RadioGroup,
  TextArea,
  graphql,
  useErrorMessage,
  useI18n,
  type ModeratedContent,
} from '@vigie/admin-ui/shell';

const CommunitiesDocument = graphql(`
  query MyReferentCommunities {
    myReferentCommunities {
      id
      name
    }
  }
`);

const DeskDocument = graphql(`
  query ReferentDesk($communityId: ID!) {
    membershipRequests(communityId: $communityId) {
      id
      createdAt
      message
      addressLabel
      status
      requester {
        id
        displayName
      }
    }
    verificationQueue {
      residenceId
      residentDisplayName
      addressLabel
      sectorName
      submittedAt
      isMove
      escalated
      proof {
        mime
        sizeBytes
      }
    }
    rejectionReasons {
      code
      label
      labelEn
    }
    communitySupportRequests(communityId: $communityId, status: "open") {
      id
      subject
      status
      createdAt
      author {
        displayName
      }
      messages {
        id
        body
        createdAt
        fromReferent
      }
    }
    moderationQueue(communityId: $communityId) {
      contentId
      contentType
      excerpt
      reportCount
      reasons
      firstReportedAt
      author {
        displayName
      }
    }
    reportReasons {
      value
      label
    }
  }
`);

const ApproveDocument = graphql(`
  mutation ApproveMembership($id: ID!) {
    approveMembershipRequest(id: $id) {
      id
      status
    }
  }
`);
const RefuseDocument = graphql(`
  mutation RefuseMembership($id: ID!, $reason: String!) {
    refuseMembershipRequest(id: $id, reason: $reason) {
      id
      status
    }
  }
`);
const ProofLinkDocument = graphql(`
  mutation ProofLink($residenceId: ID!) {
    proofLink(residenceId: $residenceId) {
      url
      expiresAt
    }
  }
`);
const DecideDocument = graphql(`
  mutation DecideVerification(
    $residenceId: ID!
    $decision: VerificationDecision!
    $reason: String
    $comment: String
  ) {
    decideVerification(residenceId: $residenceId, decision: $decision, reason: $reason, comment: $comment) {
      id
      status
    }
  }
`);
const ReplyDocument = graphql(`
  mutation ReplySupport($id: ID!, $body: String!) {
    replyToSupportRequest(id: $id, body: $body) {
      id
      status
    }
  }
`);
const HideDocument = graphql(`
  mutation HideContent($contentId: ID!, $contentType: ModeratedContent!, $reason: String!) {
    hideContent(contentId: $contentId, contentType: $contentType, reason: $reason) {
      id
    }
  }
`);
const DismissDocument = graphql(`
  mutation DismissReports($contentId: ID!, $contentType: ModeratedContent!, $reason: String!) {
    dismissReports(contentId: $contentId, contentType: $contentType, reason: $reason) {
      id
    }
  }
`);

// The boundary editor brings MapLibre and terra-draw: its own chunk, loaded with the desk only.
const BoundaryEditor = lazy(() => import('./boundary.js'));

type Flash = { kind: 'success' | 'error'; text: string } | null;

export default function ReferentPage() {
  const { t } = useI18n();
  const [{ data }] = useQuery({ query: CommunitiesDocument });
  const [chosen, setChosen] = useState<string | null>(null);
  if (!data) return <Loading />;
  const communities = data.myReferentCommunities;
  if (communities.length === 0) {
    return (
      <Page title={t('vv.referent.title')}>
        <p>{t('vv.referent.none')}</p>
      </Page>
    );
  }
  const communityId = chosen ?? communities[0]!.id;
  return (
    <Page title={t('vv.referent.title')}>
      {communities.length > 1 ? (
        <RadioGroup
          name="community"
          label={t('vv.referent.community')}
          value={communityId}
          onChange={setChosen}
          options={communities.map((c) => ({ value: c.id, label: c.name }))}
        />
      ) : (
        <p>{t('vv.referent.of', { name: communities[0]!.name })}</p>
      )}
      <Desk communityId={communityId} />
    </Page>
  );
}

function Desk({ communityId }: { communityId: string }) {
  const { t, locale, formatDate } = useI18n();
  const [{ data, error }, reload] = useQuery({
    query: DeskDocument,
    variables: { communityId },
    requestPolicy: 'cache-and-network',
  });
  const errorMessage = useErrorMessage();
  const [flash, setFlash] = useState<Flash>(null);
  const [, approve] = useMutation(ApproveDocument);
  const [, refuse] = useMutation(RefuseDocument);
  const [, proofLink] = useMutation(ProofLinkDocument);
  const [, decide] = useMutation(DecideDocument);
  const [, reply] = useMutation(ReplyDocument);
  const [, hide] = useMutation(HideDocument);
  const [, dismiss] = useMutation(DismissDocument);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [rejectCode, setRejectCode] = useState<Record<string, string>>({});
  const [replies, setReplies] = useState<Record<string, string>>({});

  if (!data && !error) return <Loading />;
  if (!data) {
    return (
      <Notice kind="error" role="alert">
        <p>{errorMessage(error)}</p>
      </Notice>
    );
  }
  const done = (r: { error?: Parameters<typeof errorMessage>[0] }, ok: string) => {
    if (r.error) setFlash({ kind: 'error', text: errorMessage(r.error) ?? '' });
    else {
      setFlash({ kind: 'success', text: ok });
      reload({ requestPolicy: 'network-only' });
    }
  };
  const reasonLabel = (v: string) => data.reportReasons.find((r) => r.value === v)?.label ?? v;

  return (
    <>
      <div aria-live="polite" role="status">
        {flash ? (
          <Notice kind={flash.kind}>
            <p>{flash.text}</p>
          </Notice>
        ) : null}
      </div>

      <section className="card" aria-labelledby="ref-members">
        <h2 id="ref-members">{t('vv.referent.memberships', { count: data.membershipRequests.length })}</h2>
        {data.membershipRequests.length === 0 ? <p>{t('vv.referent.noMemberships')}</p> : null}
        <ul className="list">
          {data.membershipRequests.map((m) => (
            <li key={m.id}>
              <p>
                <strong>{m.requester.displayName}</strong> · {m.addressLabel}
              </p>
              <p className="meta">{formatDate(m.createdAt)}</p>
              {m.message ? <p>« {m.message} »</p> : null}
              <TextArea
                name={`refuse-${m.id}`}
                label={t('vv.referent.refuseReason')}
                hint={t('vv.referent.refuseHint')}
                value={reasons[m.id] ?? ''}
                onChange={(v) => setReasons((s) => ({ ...s, [m.id]: v }))}
              />
              <div className="btn-row">
                <Button
                  onPress={() =>
                    void approve({ id: m.id }).then((r) =>
                      done(r, t('vv.referent.approved', { name: m.requester.displayName })),
                    )
                  }
                >
                  {t('vv.referent.approve', { name: m.requester.displayName })}
                </Button>
                <Button
                  variant="danger"
                  onPress={() => {
                    const reason = (reasons[m.id] ?? '').trim();
                    if (!reason) {
                      setFlash({ kind: 'error', text: t('vv.referent.refuseNeedsReason') });
                      return;
                    }
                    void refuse({ id: m.id, reason }).then((r) =>
                      done(r, t('vv.referent.refused', { name: m.requester.displayName })),
                    );
                  }}
                >
                  {t('vv.referent.refuse', { name: m.requester.displayName })}
                </Button>
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="ref-proofs">
        <h2 id="ref-proofs">{t('vv.referent.proofs', { count: data.verificationQueue.length })}</h2>
        <p className="hint">{t('vv.referent.proofsHelp')}</p>
        {data.verificationQueue.length === 0 ? <p>{t('vv.referent.noProofs')}</p> : null}
        <ul className="list">
          {data.verificationQueue.map((v) => (
            <li key={v.residenceId}>
              <p>
                <strong>{v.residentDisplayName}</strong> · {v.addressLabel}{' '}
                {v.sectorName ? `(${v.sectorName})` : ''}
              </p>
              <p className="meta">
                {formatDate(v.submittedAt)}
                {v.isMove ? ` · ${t('vv.referent.move')}` : ''}
                {v.escalated ? ` · ${t('vv.referent.escalated')}` : ''}
              </p>
              {v.proof ? (
                <Button
                  variant="secondary"
                  onPress={() =>
                    void proofLink({ residenceId: v.residenceId }).then((r) => {
                      if (r.error || !r.data) setFlash({ kind: 'error', text: errorMessage(r.error) ?? '' });
                      else window.open(r.data.proofLink.url, '_blank', 'noopener');
                    })
                  }
                >
                  {t('vv.referent.openProof', { name: v.residentDisplayName })}
                </Button>
              ) : null}
              <RadioGroup
                name={`reject-${v.residenceId}`}
                label={t('vv.referent.rejectReason')}
                value={rejectCode[v.residenceId] ?? ''}
                onChange={(c) => setRejectCode((s) => ({ ...s, [v.residenceId]: c }))}
                options={data.rejectionReasons.map((r) => ({
                  value: r.code,
                  label: locale === 'en' ? r.labelEn : r.label,
                }))}
              />
              <div className="btn-row">
                <Button
                  onPress={() =>
                    void decide({ residenceId: v.residenceId, decision: 'APPROVE' }).then((r) =>
                      done(r, t('vv.referent.proofApproved', { name: v.residentDisplayName })),
                    )
                  }
                >
                  {t('vv.referent.approveProof', { name: v.residentDisplayName })}
                </Button>
                <Button
                  variant="danger"
                  onPress={() => {
                    const reason = rejectCode[v.residenceId];
                    if (!reason) {
                      setFlash({ kind: 'error', text: t('vv.referent.rejectNeedsReason') });
                      return;
                    }
                    void decide({ residenceId: v.residenceId, decision: 'REJECT', reason }).then((r) =>
                      done(r, t('vv.referent.proofRejected', { name: v.residentDisplayName })),
                    );
                  }}
                >
                  {t('vv.referent.rejectProof', { name: v.residentDisplayName })}
                </Button>
              </div>
            </li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="ref-support">
        <h2 id="ref-support">{t('vv.referent.support', { count: data.communitySupportRequests.length })}</h2>
        {data.communitySupportRequests.length === 0 ? <p>{t('vv.referent.noSupport')}</p> : null}
        <ul className="list">
          {data.communitySupportRequests.map((s) => (
            <li key={s.id}>
              <p>
                <strong>{s.subject}</strong> · {s.author.displayName} ·{' '}
                <span className="meta">{formatDate(s.createdAt)}</span>
              </p>
              {s.messages.map((m) => (
                <p key={m.id} className={m.fromReferent ? 'meta' : undefined}>
                  {m.fromReferent ? `${t('vv.referent.you')} : ` : ''}
                  {m.body}
                </p>
              ))}
              <TextArea
                name={`reply-${s.id}`}
                label={t('vv.referent.reply')}
                value={replies[s.id] ?? ''}
                onChange={(v) => setReplies((r) => ({ ...r, [s.id]: v }))}
              />
              <Button
                onPress={() => {
                  const body = (replies[s.id] ?? '').trim();
                  if (!body) return;
                  void reply({ id: s.id, body }).then((r) => done(r, t('vv.referent.replied')));
                }}
              >
                {t('vv.referent.send')}
              </Button>
            </li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="ref-moderation">
        <h2 id="ref-moderation">{t('vv.referent.moderation', { count: data.moderationQueue.length })}</h2>
        {data.moderationQueue.length === 0 ? <p>{t('vv.referent.noModeration')}</p> : null}
        <ul className="list">
          {data.moderationQueue.map((m) => (
            <ModerationRow
              key={`${m.contentType}:${m.contentId}`}
              item={m}
              reasonLabel={reasonLabel}
              onHide={(reason) =>
                void hide({ contentId: m.contentId, contentType: m.contentType, reason }).then((r) =>
                  done(r, t('vv.referent.hidden')),
                )
              }
              onDismiss={(reason) =>
                void dismiss({ contentId: m.contentId, contentType: m.contentType, reason }).then((r) =>
                  done(r, t('vv.referent.dismissed')),
                )
              }
            />
          ))}
        </ul>
      </section>

      <Suspense fallback={<Loading />}>
        <BoundaryEditor communityId={communityId} />
      </Suspense>
    </>
  );
}

function ModerationRow(p: {
  item: {
    contentId: string;
    contentType: ModeratedContent;
    excerpt: string;
    reportCount: number;
    reasons: string[];
    author: { displayName: string };
  };
  reasonLabel(v: string): string;
  onHide(reason: string): void;
  onDismiss(reason: string): void;
}) {
  const { t } = useI18n();
  const [why, setWhy] = useState('');
  const [missing, setMissing] = useState(false);
  const go = (f: (r: string) => void) => {
    if (!why.trim()) {
      setMissing(true);
      return;
    }
    setMissing(false);
    f(why.trim());
  };
  const m = p.item;
  return (
    <li>
      <p>
        <span className="badge status">{t(`vv.content.${m.contentType}`)}</span> {m.author.displayName} ·{' '}
        {t('vv.referent.reports', { count: m.reportCount })} · {m.reasons.map(p.reasonLabel).join(', ')}
      </p>
      <blockquote>{m.excerpt}</blockquote>
      <TextArea
        name={`mod-${m.contentId}`}
        label={t('vv.referent.moderationReason')}
        error={missing ? t('vv.referent.moderationNeedsReason') : undefined}
        value={why}
        onChange={setWhy}
      />
      <div className="btn-row">
        <Button variant="danger" onPress={() => go(p.onHide)}>
          {t('vv.referent.hide')}
        </Button>
        <Button variant="secondary" onPress={() => go(p.onDismiss)}>
          {t('vv.referent.dismiss')}
        </Button>
      </div>
    </li>
  );
}
