// Who is on duty, at the top of the console: everyone on the staff sees it;
// the chef de poste and the mairie set it (the server checks, as always).
// Urgent alerts nobody takes in charge are escalated to that officer (and the
// chief) instead of every agent.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { Button, Notice, graphql, useErrorMessage, useI18n, useSession } from '@vigie/admin-ui/shell';
import { Select } from './select.js';

const OnDutyDocument = graphql(`
  query ConsoleOnDuty {
    policeOnDuty {
      accountId
      displayName
      since
    }
  }
`);
const OnDutyAgentsDocument = graphql(`
  query ConsoleOnDutyAgents {
    consoleAgents {
      id
      displayName
    }
  }
`);
const SetOnDutyDocument = graphql(`
  mutation ConsoleSetOnDuty($accountId: ID) {
    setPoliceOnDuty(accountId: $accountId) {
      accountId
      displayName
      since
    }
  }
`);

export function OnDuty() {
  const { t, formatDate } = useI18n();
  const { can } = useSession();
  const errorMessage = useErrorMessage();
  const canSet = can('alerts.on_duty.set');
  const [{ data }, reload] = useQuery({ query: OnDutyDocument, requestPolicy: 'cache-and-network' });
  const [{ data: agents }] = useQuery({ query: OnDutyAgentsDocument, pause: !canSet });
  const [, setOnDuty] = useMutation(SetOnDutyDocument);
  const [choice, setChoice] = useState('');
  const [message, setMessage] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const current = data?.policeOnDuty ?? null;

  const save = async () => {
    setMessage(null);
    const r = await setOnDuty({ accountId: choice === 'none' ? null : choice });
    if (r.error) setMessage({ kind: 'error', text: errorMessage(r.error) ?? t('error.NETWORK') });
    else {
      setMessage({ kind: 'success', text: t('mv.onDuty.saved') });
      setChoice('');
      reload({ requestPolicy: 'network-only' });
    }
  };

  return (
    <section className="mv-on-duty" aria-labelledby="mv-on-duty-title">
      <h2 id="mv-on-duty-title">{t('mv.onDuty.title')}</h2>
      <p>
        {current
          ? t('mv.onDuty.current', {
              name: current.displayName,
              since: formatDate(current.since, 'datetime'),
            })
          : t('mv.onDuty.none')}
      </p>
      {canSet ? (
        <div className="mv-action">
          <Select
            label={t('mv.onDuty.choose')}
            value={choice}
            onChange={setChoice}
            options={[
              { value: '', label: t('mv.onDuty.chooseHint') },
              ...(agents?.consoleAgents ?? []).map((g) => ({ value: g.id, label: g.displayName })),
              { value: 'none', label: t('mv.onDuty.nobody') },
            ]}
          />
          <Button variant="secondary" isDisabled={!choice} onPress={() => void save()}>
            {t('mv.onDuty.set')}
          </Button>
        </div>
      ) : null}
      {message ? (
        <Notice kind={message.kind} role={message.kind === 'error' ? 'alert' : 'status'}>
          <p>{message.text}</p>
        </Notice>
      ) : null}
    </section>
  );
}
