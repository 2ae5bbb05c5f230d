// Community governance for the mairie and the police municipale: every
// community with its members, its coverage (members' households out of its BAN
// addresses) and its referents, seats left flagged; a community's referent
// round (open one, choose up to the seats left among the candidates, the
// server's refusals shown as messages); the addresses in no sector; the
// exclusion appeals to decide; the moderation log. Each section shows only
// what the server lets this person do, and every action is checked there.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import {
  Button,
  Checkbox,
  Loading,
  Notice,
  Page,
  RadioGroup,
  TextArea,
  graphql,
  useErrorMessage,
  useI18n,
  useSession,
} from '@vigie/admin-ui/shell';

const CommunitiesDocument = graphql(`
  query GovernanceCommunities {
    communities {
      id
      name
    }
  }
`);
const CommunityRowDocument = graphql(`
  query GovernanceCommunity($id: ID!) {
    community(id: $id) {
      id
      memberCount
      coverage {
        addresses
        households
        ratio
      }
    }
    referentRound(communityId: $id) {
      phase
      seatsLeft
      referents {
        id
        displayName
      }
    }
  }
`);
const RoundDocument = graphql(`
  query GovernanceRound($id: ID!) {
    referentRound(communityId: $id) {
      roundId
      phase
      reason
      seatsLeft
      collectUntil
      community {
        id
        name
      }
      candidates {
        id
        displayName
      }
      referents {
        id
        displayName
      }
    }
  }
`);
const OpenRoundDocument = graphql(`
  mutation GovernanceOpenRound($id: ID!) {
    openReferentRound(communityId: $id) {
      phase
    }
  }
`);
const ChooseDocument = graphql(`
  mutation GovernanceChoose($id: ID!, $accountIds: [ID!]!) {
    chooseReferents(communityId: $id, accountIds: $accountIds) {
      phase
    }
  }
`);
const UnassignedDocument = graphql(`
  query GovernanceUnassigned {
    unassignedAddresses(limit: 20) {
      total
      addresses {
        id
        label
      }
    }
  }
`);
const AppealsDocument = graphql(`
  query GovernanceAppeals {
    exclusionAppeals(status: "pending") {
      id
      statement
      createdAt
      exclusion {
        reason
        community {
          name
        }
        member {
          displayName
        }
      }
    }
  }
`);
const DecideDocument = graphql(`
  mutation GovernanceDecide($id: ID!, $decision: AppealDecision!, $reason: String!) {
    decideExclusionAppeal(appealId: $id, decision: $decision, reason: $reason) {
      id
      status
    }
  }
`);
const LogDocument = graphql(`
  query GovernanceModerationLog {
    moderationLog(limit: 20) {
      id
      action
      at
      reason
      contentType
      community {
        name
      }
      actor {
        displayName
      }
    }
  }
`);

type Say = (m: { kind: 'success' | 'error'; text: string } | null) => void;

function CommunityRow(p: { id: string; name: string; onRound(id: string): void; selected: boolean }) {
  const { t } = useI18n();
  const [{ data }] = useQuery({ query: CommunityRowDocument, variables: { id: p.id } });
  const c = data?.community;
  const r = data?.referentRound;
  const pct =
    c?.coverage.ratio === null || c?.coverage.ratio === undefined ? null : Math.round(c.coverage.ratio * 100);
  return (
    <tr>
      <th scope="row">{p.name}</th>
      <td>{c ? c.memberCount : '…'}</td>
      <td>
        {c
          ? t('vv.gov.coverageValue', {
              households: c.coverage.households,
              addresses: c.coverage.addresses,
              // A few households out of hundreds of addresses is not « 0 % ».
              pct: pct === null ? '—' : pct === 0 && c.coverage.households > 0 ? '< 1 %' : `${pct} %`,
            })
          : '…'}
      </td>
      <td>{r ? r.referents.map((x) => x.displayName).join(', ') || '—' : '…'}</td>
      <td>
        {r ? t(`vv.gov.phase.${r.phase}`) : '…'}
        {r && r.seatsLeft > 0 ? (
          <strong className="vv-vacancy"> {t('vv.gov.vacancy', { count: r.seatsLeft })}</strong>
        ) : null}
      </td>
      <td>
        <Button variant={p.selected ? 'primary' : 'secondary'} onPress={() => p.onRound(p.id)}>
          {t('vv.gov.seeRound', { name: p.name })}
        </Button>
      </td>
    </tr>
  );
}

function Round(p: { id: string; say: Say }) {
  const { t, formatDate } = useI18n();
  const { can } = useSession();
  const errorMessage = useErrorMessage();
  const [{ data }, reload] = useQuery({
    query: RoundDocument,
    variables: { id: p.id },
    requestPolicy: 'network-only',
  });
  const [, open] = useMutation(OpenRoundDocument);
  const [, choose] = useMutation(ChooseDocument);
  const [picked, setPicked] = useState<string[]>([]);
  const r = data?.referentRound;
  if (!r) return <Loading />;
  const done = (res: { error?: unknown }, ok: string) => {
    if (res.error) p.say({ kind: 'error', text: errorMessage(res.error as never) ?? t('error.NETWORK') });
    else {
      p.say({ kind: 'success', text: ok });
      setPicked([]);
      reload({ requestPolicy: 'network-only' });
    }
  };
  return (
    <section aria-labelledby="vv-gov-round">
      <h2 id="vv-gov-round">{t('vv.gov.roundTitle', { name: r.community.name })}</h2>
      <p>
        {t(`vv.gov.phase.${r.phase}`)}
        {r.collectUntil ? ` — ${t('vv.gov.collectUntil', { date: formatDate(r.collectUntil, 'date') })}` : ''}
        {' · '}
        {t('vv.gov.seatsLeft', { count: r.seatsLeft })}
      </p>
      {can('voisins-vigilants.referent.open_round') &&
      r.seatsLeft > 0 &&
      (r.phase === 'none' || r.phase === 'staffed') ? (
        <Button
          variant="secondary"
          onPress={() => void open({ id: p.id }).then((res) => done(res, t('vv.gov.opened')))}
        >
          {t('vv.gov.openRound')}
        </Button>
      ) : null}
      {r.candidates.length === 0 ? (
        <p>{t('vv.gov.noCandidate')}</p>
      ) : can('voisins-vigilants.referent.choose') ? (
        <fieldset>
          <legend>{t('vv.gov.candidates', { count: r.seatsLeft })}</legend>
          {r.candidates.map((c) => (
            <Checkbox
              key={c.id}
              isSelected={picked.includes(c.id)}
              onChange={(on) => setPicked((l) => (on ? [...l, c.id] : l.filter((x) => x !== c.id)))}
            >
              {c.displayName}
            </Checkbox>
          ))}
          <Button
            isDisabled={picked.length === 0}
            onPress={() =>
              void choose({ id: p.id, accountIds: picked }).then((res) => done(res, t('vv.gov.chosen')))
            }
          >
            {t('vv.gov.choose')}
          </Button>
        </fieldset>
      ) : (
        <>
          <h3>{t('vv.gov.candidates', { count: r.seatsLeft })}</h3>
          <ul className="list">
            {r.candidates.map((c) => (
              <li key={c.id}>{c.displayName}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Unassigned() {
  const { t } = useI18n();
  const [{ data }] = useQuery({ query: UnassignedDocument });
  if (!data) return <Loading />;
  const u = data.unassignedAddresses;
  return (
    <section aria-labelledby="vv-gov-holes">
      <h2 id="vv-gov-holes">{t('vv.gov.holesTitle')}</h2>
      <p>{u.total === 0 ? t('vv.gov.noHole') : t('vv.gov.holes', { count: u.total })}</p>
      {u.addresses.length ? (
        <ul className="list">
          {u.addresses.map((a) => (
            <li key={a.id}>{a.label}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function Appeals(p: { say: Say }) {
  const { t, formatDate } = useI18n();
  const errorMessage = useErrorMessage();
  const [{ data }, reload] = useQuery({ query: AppealsDocument, requestPolicy: 'network-only' });
  const [, decide] = useMutation(DecideDocument);
  const [decision, setDecision] = useState<Record<string, string>>({});
  const [reason, setReason] = useState<Record<string, string>>({});
  if (!data) return <Loading />;
  return (
    <section aria-labelledby="vv-gov-appeals">
      <h2 id="vv-gov-appeals">{t('vv.gov.appealsTitle')}</h2>
      {data.exclusionAppeals.length === 0 ? <p>{t('vv.gov.noAppeal')}</p> : null}
      {data.exclusionAppeals.map((a) => (
        <article key={a.id} className="card" aria-labelledby={`appeal-${a.id}`}>
          <h3 id={`appeal-${a.id}`}>
            {t('vv.gov.appealOf', {
              name: a.exclusion.member.displayName,
              community: a.exclusion.community.name,
              date: formatDate(a.createdAt, 'date'),
            })}
          </h3>
          <p>{t('vv.gov.exclusionReason', { reason: a.exclusion.reason })}</p>
          <blockquote>{a.statement}</blockquote>
          <RadioGroup
            name={`decision-${a.id}`}
            label={t('vv.gov.decision')}
            value={decision[a.id] ?? ''}
            onChange={(v) => setDecision((d) => ({ ...d, [a.id]: v }))}
            options={[
              { value: 'reinstate', label: t('vv.gov.reinstate') },
              { value: 'uphold', label: t('vv.gov.uphold') },
            ]}
          />
          <TextArea
            name={`reason-${a.id}`}
            label={t('vv.gov.decisionReason')}
            value={reason[a.id] ?? ''}
            onChange={(v) => setReason((r) => ({ ...r, [a.id]: v }))}
            maxLength={1000}
          />
          <Button
            isDisabled={!decision[a.id] || !(reason[a.id] ?? '').trim()}
            onPress={() =>
              void decide({
                id: a.id,
                decision: decision[a.id] as 'uphold' | 'reinstate',
                reason: (reason[a.id] ?? '').trim(),
              }).then((res) => {
                if (res.error) p.say({ kind: 'error', text: errorMessage(res.error) ?? t('error.NETWORK') });
                else {
                  p.say({ kind: 'success', text: t('vv.gov.decided') });
                  reload({ requestPolicy: 'network-only' });
                }
              })
            }
          >
            {t('vv.gov.decide')}
          </Button>
        </article>
      ))}
    </section>
  );
}

function ModerationLog() {
  const { t, formatDate } = useI18n();
  const [{ data }] = useQuery({ query: LogDocument });
  if (!data) return <Loading />;
  return (
    <section aria-labelledby="vv-gov-log">
      <h2 id="vv-gov-log">{t('vv.gov.logTitle')}</h2>
      {data.moderationLog.length === 0 ? (
        <p>{t('vv.gov.noLog')}</p>
      ) : (
        <div className="table-wrap">
          <table className="data-table">
            <caption>{t('vv.gov.logCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('vv.gov.logAt')}</th>
                <th scope="col">{t('vv.gov.logCommunity')}</th>
                <th scope="col">{t('vv.gov.logAction')}</th>
                <th scope="col">{t('vv.gov.logBy')}</th>
                <th scope="col">{t('vv.gov.logReason')}</th>
              </tr>
            </thead>
            <tbody>
              {data.moderationLog.map((e) => (
                <tr key={e.id}>
                  <td>{formatDate(e.at, 'datetime')}</td>
                  <td>{e.community.name}</td>
                  <td>{t(`vv.gov.action.${e.action}`)}</td>
                  <td>{e.actor.displayName}</td>
                  <td>{e.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export default function GovernancePage() {
  const { t } = useI18n();
  const { can } = useSession();
  const [{ data }] = useQuery({ query: CommunitiesDocument });
  const [round, setRound] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  return (
    <Page title={t('vv.gov.title')}>
      {message ? (
        <Notice kind={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>
          <p>{message.text}</p>
        </Notice>
      ) : null}
      <section aria-labelledby="vv-gov-communities">
        <h2 id="vv-gov-communities">{t('vv.gov.communitiesTitle')}</h2>
        {!data ? (
          <Loading />
        ) : (
          <div className="table-wrap">
            <table className="data-table">
              <caption>{t('vv.gov.communitiesCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('vv.gov.community')}</th>
                  <th scope="col">{t('vv.gov.members')}</th>
                  <th scope="col">{t('vv.gov.coverage')}</th>
                  <th scope="col">{t('vv.gov.referents')}</th>
                  <th scope="col">{t('vv.gov.round')}</th>
                  <th scope="col">{t('vv.gov.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {data.communities.map((c) => (
                  <CommunityRow
                    key={c.id}
                    id={c.id}
                    name={c.name}
                    selected={round === c.id}
                    onRound={(id) => {
                      setMessage(null);
                      setRound(id);
                    }}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {round ? <Round key={round} id={round} say={setMessage} /> : null}
      {can('geo.coverage.read') ? <Unassigned /> : null}
      {can('voisins-vigilants.exclusion.appeal_decide') ? <Appeals say={setMessage} /> : null}
      {can('voisins-vigilants.moderation.read_log') ? <ModerationLog /> : null}
    </Page>
  );
}
