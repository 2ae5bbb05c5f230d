// One alert in the console: what the reporter said (the neighbour's form, the
// plate for staff, the photo through its short-lived link, the neighbours'
// answers), and its triage: take in charge, assign to an officer, add notes,
// move forward, close with an outcome. Taking in charge and closing are the
// core's mutations, so the reporter reads the same history in « Mes alertes ».
// The server checks every action; a refused one says why.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import {
  Button,
  Notice,
  RadioGroup,
  SeverityBadge,
  TextArea,
  graphql,
  useErrorMessage,
  useI18n,
  useSession,
} from '@vigie/admin-ui/shell';
import { Select } from './select.js';

const DetailDocument = graphql(`
  query ConsoleAlertDetail($id: ID!) {
    alert(id: $id) {
      id
      ref
      text
      status
      closure
      severity
      createdAt
      acknowledgedAt
      closedAt
      authorName
      authorKind
      photoUrl
      targetKind
      targetSectorIds
      category {
        label
      }
      history {
        status
        at
        note
        closure
      }
      assignee {
        id
        displayName
      }
      consoleNotes {
        id
        text
        authorName
        at
      }
      deliverySummary {
        recipients
        total
        byChannel {
          channel
          status
          count
        }
      }
      canFollowUp
      followUps {
        id
        kind
        text
        createdAt
      }
    }
  }
`);

// Voisins vigilants' fields: absent where the commune has not enabled it, so asked apart.
const NeighbourDocument = graphql(`
  query ConsoleAlertNeighbours($id: ID!) {
    alert(id: $id) {
      id
      reactions {
        seenToo
        canHelp
      }
      neighbourReport {
        what
        place
        seenAt
        vehicle
        plate
        called17
        mergedReports
      }
    }
  }
`);

const AgentsDocument = graphql(`
  query ConsoleAgents {
    consoleAgents {
      id
      displayName
    }
  }
`);

const AcknowledgeDocument = graphql(`
  mutation ConsoleAcknowledge($id: ID!) {
    acknowledgeAlert(id: $id) {
      id
      status
      acknowledgedAt
    }
  }
`);
const StatusDocument = graphql(`
  mutation ConsoleSetStatus($id: ID!, $status: AlertStatus!, $closure: AlertClosure, $note: String) {
    setAlertStatus(id: $id, status: $status, closure: $closure, note: $note) {
      id
      status
      closure
      closedAt
    }
  }
`);
const FollowUpDocument = graphql(`
  mutation ConsoleFollowUp($alertId: ID!, $text: String!) {
    addAlertFollowUp(alertId: $alertId, text: $text) {
      id
      followUps {
        id
        kind
        text
        createdAt
      }
    }
  }
`);
const EndDocument = graphql(`
  mutation ConsoleEndAlert($alertId: ID!, $text: String!, $closure: AlertClosure) {
    endAlert(alertId: $alertId, text: $text, closure: $closure) {
      id
      status
      closure
      closedAt
      followUps {
        id
        kind
        text
        createdAt
      }
    }
  }
`);
const AssignDocument = graphql(`
  mutation ConsoleAssign($alertId: ID!, $agentId: ID!) {
    assignAlert(alertId: $alertId, agentId: $agentId) {
      id
      assignee {
        id
        displayName
      }
    }
  }
`);
const NoteDocument = graphql(`
  mutation ConsoleNote($alertId: ID!, $text: String!) {
    addAlertNote(alertId: $alertId, text: $text) {
      id
      consoleNotes {
        id
        text
        authorName
        at
      }
    }
  }
`);

export default function AlertPanel(p: {
  id: string;
  sectorName: Map<string, string>;
  onClose(): void;
  onChanged(): void;
}) {
  const { t, formatDate } = useI18n();
  const { can } = useSession();
  const errorMessage = useErrorMessage();
  const [{ data, error }, reload] = useQuery({
    query: DetailDocument,
    variables: { id: p.id },
    requestPolicy: 'cache-and-network',
  });
  const [{ data: neighbours }] = useQuery({ query: NeighbourDocument, variables: { id: p.id } });
  const canAssign = can('mairie-vigilante.alert.assign');
  const canTriage = can('alerts.alert.triage');
  const canNote = can('mairie-vigilante.alert.note');
  const [{ data: agents }] = useQuery({ query: AgentsDocument, pause: !canAssign });
  const [, acknowledge] = useMutation(AcknowledgeDocument);
  const [, setStatus] = useMutation(StatusDocument);
  const [, assign] = useMutation(AssignDocument);
  const [, addNote] = useMutation(NoteDocument);
  const [, addFollowUp] = useMutation(FollowUpDocument);
  const [, endAlert] = useMutation(EndDocument);
  const [followUpText, setFollowUpText] = useState('');
  const [endText, setEndText] = useState('');
  const [endClosure, setEndClosure] = useState('solved');
  const canReport = can('alerts.delivery.read');
  const [agent, setAgent] = useState('');
  const [note, setNote] = useState('');
  const [closure, setClosure] = useState('');
  const [closeNote, setCloseNote] = useState('');
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  // The delivery report changes as messages go out: read it again every 5 seconds while the panel is open.
  useEffect(() => {
    const id = setInterval(() => reload({ requestPolicy: 'network-only' }), 5_000);
    return () => clearInterval(id);
  }, [reload]);

  const a = data?.alert;
  const report = neighbours?.alert?.neighbourReport;
  const reactions = neighbours?.alert?.reactions;

  const run = async (
    action: () => Promise<{ error?: Parameters<typeof errorMessage>[0] }>,
    done: string,
    after?: () => void,
  ): Promise<void> => {
    setBusy(true);
    const r = await action();
    setBusy(false);
    if (r.error) {
      setOutcome({ ok: false, text: errorMessage(r.error) ?? '' });
      return;
    }
    after?.();
    setOutcome({ ok: true, text: done });
    reload({ requestPolicy: 'network-only' });
    p.onChanged();
  };

  if (error)
    return (
      <Notice kind="error" role="alert">
        <p>{errorMessage(error)}</p>
      </Notice>
    );
  if (!a) return null;
  const closed = a.status === 'closed';
  const where =
    a.targetKind === 'commune'
      ? t('mv.target.commune')
      : a.targetSectorIds.map((id) => p.sectorName.get(id) ?? '?').join(', ');

  return (
    <section className="card mv-panel" aria-labelledby="mv-panel-title">
      <div className="mv-panel-head">
        <h2 id="mv-panel-title">{t('mv.panel.title', { ref: a.ref })}</h2>
        <Button variant="quiet" onPress={p.onClose}>
          {t('mv.panel.close')}
        </Button>
      </div>
      <p>
        <SeverityBadge severity={a.severity} label={t(`mv.severity.${a.severity}`)} />{' '}
        <strong>{a.category.label}</strong> · {t(`mv.status.${a.status}`)}
        {a.closure ? ` · ${t(`mv.closure.${a.closure}`)}` : ''}
      </p>
      <p className="mv-panel-text">{a.text}</p>
      <dl className="mv-facts">
        <dt>{t('mv.panel.received')}</dt>
        <dd>{formatDate(a.createdAt)}</dd>
        <dt>{t('mv.panel.where')}</dt>
        <dd>{where}</dd>
        <dt>{t('mv.panel.author')}</dt>
        <dd>{a.authorName ?? t(`mv.authorKind.${a.authorKind}`)}</dd>
        <dt>{t('mv.panel.assignee')}</dt>
        <dd>{a.assignee?.displayName ?? t('mv.panel.nobody')}</dd>
        {a.deliverySummary ? (
          <>
            <dt>{t('mv.panel.recipients')}</dt>
            <dd>{a.deliverySummary.recipients}</dd>
          </>
        ) : null}
        {reactions ? (
          <>
            <dt>{t('mv.panel.reactions')}</dt>
            <dd>{t('mv.panel.reactionCounts', { seen: reactions.seenToo, help: reactions.canHelp })}</dd>
          </>
        ) : null}
      </dl>
      {a.deliverySummary && a.deliverySummary.byChannel.length ? (
        <div className="table-wrap">
          <table>
            <caption>{t('mv.delivery.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('mv.compose.channel')}</th>
                <th scope="col">{t('mv.delivery.status')}</th>
                <th scope="col">{t('mv.delivery.count')}</th>
              </tr>
            </thead>
            <tbody>
              {a.deliverySummary.byChannel.map((c) => (
                <tr key={`${c.channel}-${c.status}`}>
                  <th scope="row">{t(`mv.channel.${c.channel}`)}</th>
                  <td>{t(`mv.delivery.${c.status}`)}</td>
                  <td>{c.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {canReport ? (
        <p>
          <Link to={`/console/alertes/${a.id}/diffusion`}>{t('mv.dr.open')}</Link>
        </p>
      ) : null}
      {report ? (
        <section aria-labelledby="mv-report-title">
          <h3 id="mv-report-title">{t('mv.report.title')}</h3>
          <dl className="mv-facts">
            <dt>{t('mv.report.what')}</dt>
            <dd>{report.what}</dd>
            <dt>{t('mv.report.place')}</dt>
            <dd>{report.place}</dd>
            <dt>{t('mv.report.seenAt')}</dt>
            <dd>{formatDate(report.seenAt)}</dd>
            {report.vehicle ? (
              <>
                <dt>{t('mv.report.vehicle')}</dt>
                <dd>{report.vehicle}</dd>
              </>
            ) : null}
            {report.plate ? (
              <>
                <dt>{t('mv.report.plate')}</dt>
                <dd>{report.plate}</dd>
              </>
            ) : null}
            <dt>{t('mv.report.called17')}</dt>
            <dd>{report.called17 ? t('common.yes') : t('common.no')}</dd>
          </dl>
        </section>
      ) : null}
      {a.photoUrl ? (
        <p>
          <a href={a.photoUrl} target="_blank" rel="noreferrer">
            {t('mv.panel.photo')}
          </a>
        </p>
      ) : null}

      <div aria-live="polite" role="status">
        {outcome ? (
          <Notice kind={outcome.ok ? 'success' : 'error'}>
            <p>{outcome.text}</p>
          </Notice>
        ) : null}
      </div>

      {!closed && canTriage ? (
        <div className="btn-row">
          {a.status === 'received' ? (
            <Button
              isDisabled={busy}
              onPress={() => void run(() => acknowledge({ id: a.id }), t('mv.triage.acknowledged'))}
            >
              {t('mv.triage.acknowledge')}
            </Button>
          ) : null}
          {a.status === 'acknowledged' ? (
            <Button
              variant="secondary"
              isDisabled={busy}
              onPress={() =>
                void run(() => setStatus({ id: a.id, status: 'in_progress' }), t('mv.triage.inProgressDone'))
              }
            >
              {t('mv.triage.inProgress')}
            </Button>
          ) : null}
        </div>
      ) : null}

      {!closed && canAssign ? (
        <div className="mv-action">
          <Select
            label={t('mv.triage.agent')}
            value={agent}
            onChange={setAgent}
            options={[
              { value: '', label: t('mv.triage.chooseAgent') },
              ...(agents?.consoleAgents ?? []).map((g) => ({ value: g.id, label: g.displayName })),
            ]}
          />
          <Button
            variant="secondary"
            isDisabled={busy || !agent}
            onPress={() =>
              void run(
                () => assign({ alertId: a.id, agentId: agent }),
                t('mv.triage.assigned'),
                () => setAgent(''),
              )
            }
          >
            {t('mv.triage.assign')}
          </Button>
        </div>
      ) : null}

      {canNote ? (
        <div className="mv-action">
          <TextArea
            name="mv-note"
            label={t('mv.triage.note')}
            value={note}
            onChange={setNote}
            maxLength={2000}
          />
          <Button
            variant="secondary"
            isDisabled={busy || !note.trim()}
            onPress={() =>
              void run(
                () => addNote({ alertId: a.id, text: note }),
                t('mv.triage.noted'),
                () => setNote(''),
              )
            }
          >
            {t('mv.triage.addNote')}
          </Button>
        </div>
      ) : null}

      <section className="mv-action" aria-labelledby="mv-followups-title">
        <h3 id="mv-followups-title">{t('mv.followUp.title')}</h3>
        <p className="meta">{t('mv.followUp.intro')}</p>
        {a.followUps.length ? (
          <ol className="timeline" aria-label={t('mv.followUp.title')}>
            {a.followUps.map((f) => (
              <li key={f.id}>
                <strong>{t(`mv.followUp.kind.${f.kind}`)}</strong> ·{' '}
                <span className="meta">{formatDate(f.createdAt)}</span>
                <p className="mv-panel-text">{f.text}</p>
                {canReport ? (
                  <Link to={`/console/alertes/${f.id}/diffusion`}>{t('mv.followUp.report')}</Link>
                ) : null}
              </li>
            ))}
          </ol>
        ) : (
          <p>{t('mv.followUp.none')}</p>
        )}
        {a.canFollowUp && !a.followUps.some((f) => f.kind === 'end') ? (
          <>
            <TextArea
              name="mv-follow-up"
              label={t('mv.followUp.text')}
              hint={t('mv.followUp.textHint')}
              value={followUpText}
              onChange={setFollowUpText}
              maxLength={980}
            />
            <Button
              variant="secondary"
              isDisabled={busy || !followUpText.trim()}
              onPress={() =>
                void run(
                  () => addFollowUp({ alertId: a.id, text: followUpText }),
                  t('mv.followUp.sent'),
                  () => setFollowUpText(''),
                )
              }
            >
              {t('mv.followUp.send')}
            </Button>
            <h4>{t('mv.followUp.endTitle')}</h4>
            {!closed ? (
              <RadioGroup
                name="mv-end-closure"
                label={t('mv.followUp.outcome')}
                value={endClosure}
                onChange={setEndClosure}
                options={[
                  { value: 'solved', label: t('mv.followUp.solved') },
                  { value: 'unfounded', label: t('mv.followUp.unfounded') },
                ]}
              />
            ) : null}
            <TextArea
              name="mv-end-text"
              label={t('mv.followUp.endText')}
              hint={t('mv.followUp.endHint')}
              value={endText}
              onChange={setEndText}
              maxLength={980}
            />
            <Button
              variant="danger"
              isDisabled={busy || !endText.trim()}
              onPress={() =>
                void run(
                  () =>
                    endAlert({
                      alertId: a.id,
                      text: endText,
                      closure: endClosure as 'solved' | 'unfounded',
                    }),
                  t('mv.followUp.ended'),
                  () => setEndText(''),
                )
              }
            >
              {t('mv.followUp.end')}
            </Button>
          </>
        ) : null}
      </section>

      {!closed && canTriage ? (
        <section className="mv-action" aria-labelledby="mv-close-title">
          <h3 id="mv-close-title">{t('mv.triage.closeTitle')}</h3>
          <RadioGroup
            name="mv-closure"
            label={t('mv.triage.outcome')}
            value={closure}
            onChange={setClosure}
            options={[
              { value: 'solved', label: t('mv.closure.solved') },
              { value: 'unfounded', label: t('mv.closure.unfounded') },
            ]}
          />
          <TextArea
            name="mv-close-note"
            label={t('mv.triage.closeNote')}
            hint={t('mv.triage.closeNoteHint')}
            value={closeNote}
            onChange={setCloseNote}
            maxLength={2000}
          />
          <Button
            variant="danger"
            isDisabled={busy || !closure}
            onPress={() =>
              void run(
                () =>
                  setStatus({
                    id: a.id,
                    status: 'closed',
                    closure: closure as 'solved' | 'unfounded',
                    note: closeNote.trim() || null,
                  }),
                t('mv.triage.closed'),
              )
            }
          >
            {t('mv.triage.close')}
          </Button>
        </section>
      ) : null}

      <h3>{t('mv.panel.history')}</h3>
      <ol className="timeline" aria-label={t('mv.panel.history')}>
        {a.history.map((h, i) => (
          <li key={i}>
            <strong>{t(`mv.status.${h.status}`)}</strong> · <span className="meta">{formatDate(h.at)}</span>
            {h.closure ? ` · ${t(`mv.closure.${h.closure}`)}` : ''}
            {h.note ? <p>{h.note}</p> : null}
          </li>
        ))}
      </ol>
      {a.consoleNotes.length ? (
        <>
          <h3>{t('mv.panel.notes')}</h3>
          <ul className="list" aria-label={t('mv.panel.notes')}>
            {a.consoleNotes.map((n) => (
              <li key={n.id}>
                <p>{n.text}</p>
                <p className="meta">
                  {n.authorName} · {formatDate(n.at)}
                </p>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
