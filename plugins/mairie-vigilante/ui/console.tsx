// The live console of the mairie and the police municipale: the map and the
// filterable list of the commune's alerts side by side, new alerts arriving
// without reloading (the core's alertRaised subscription), a chime that can be
// turned off, an aria-live announcement and a pause (RGAA 13.8), and urgent
// alerts nobody has taken in charge shown first with the time since they
// arrived. Selecting an alert opens its triage panel.
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import {
  Button,
  Checkbox,
  Icon,
  Loading,
  Notice,
  Page,
  SeverityBadge,
  graphql,
  useErrorMessage,
  useI18n,
  useSession,
} from '@vigie/admin-ui/shell';
import { Select } from './select.js';
import { OnDuty } from './on-duty.js';
import AlertPanel from './alert-panel.js';
import type { Pin } from './alerts-map.js';
import {
  ALL_SEVERITIES,
  ALL_STATUSES,
  DEFAULT_FILTER,
  chime,
  consoleOrder,
  escalated,
  matches,
  minutesSince,
  serverFilter,
  type ConsoleFilter,
} from './live.js';
import './console.css';

const AlertsMap = lazy(() => import('./alerts-map.js'));

const ConsoleAlertsDocument = graphql(`
  query ConsoleAlerts($filter: AlertFilter) {
    alerts(filter: $filter, limit: 100) {
      items {
        id
        ref
        text
        status
        closure
        severity
        createdAt
        acknowledgedAt
        targetKind
        targetSectorIds
        authorKind
        location {
          lon
          lat
        }
        category {
          id
          slug
          label
        }
        assignee {
          id
          displayName
        }
      }
    }
  }
`);

const ConsoleContextDocument = graphql(`
  query ConsoleContext {
    alertCategories {
      id
      slug
      label
    }
    sectors {
      id
      name
      geometry
      bbox
    }
  }
`);

const RaisedDocument = graphql(`
  subscription ConsoleAlertRaised {
    alertRaised {
      id
      ref
      text
      status
      closure
      severity
      createdAt
      acknowledgedAt
      targetKind
      targetSectorIds
      authorKind
      location {
        lon
        lat
      }
      category {
        id
        slug
        label
      }
    }
  }
`);

const StatusDocument = graphql(`
  subscription ConsoleAlertStatus {
    alertStatusChanged {
      id
      status
      closure
      acknowledgedAt
    }
  }
`);

interface Item {
  id: string;
  ref: string;
  text: string;
  status: string;
  closure?: string | null;
  severity: string;
  createdAt: string;
  acknowledgedAt?: string | null;
  targetKind: string;
  targetSectorIds: string[];
  authorKind: string;
  location?: { lon: number; lat: number } | null;
  category: { id: string; slug: string; label: string };
  assignee?: { id: string; displayName: string } | null;
}

const SOUND_KEY = 'mv.console.sound';

function useNow(ms: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

export default function ConsolePage() {
  const { t, formatDate } = useI18n();
  const { tenant } = useSession();
  const errorMessage = useErrorMessage();
  const now = useNow(15_000);
  const [filter, setFilter] = useState<ConsoleFilter>(DEFAULT_FILTER);
  // The period's start is fixed when the filter changes, not every 15 seconds (the query would rerun).
  const variables = useMemo(() => ({ filter: serverFilter(filter, Date.now()) }), [filter]);
  const [{ data, error, fetching }, reload] = useQuery({
    query: ConsoleAlertsDocument,
    variables,
    requestPolicy: 'cache-and-network',
  });
  const [{ data: context }] = useQuery({ query: ConsoleContextDocument });
  const [arrived, setArrived] = useState<Item[]>([]);
  const [held, setHeld] = useState<Item[]>([]);
  const [changes, setChanges] = useState<Record<string, Partial<Item>>>({});
  const [paused, setPaused] = useState(false);
  const [sound, setSound] = useState(() => localStorage.getItem(SOUND_KEY) !== 'off');
  const [announce, setAnnounce] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const audio = useRef<AudioContext | null>(null);
  const latest = useRef({ paused, sound, filter });
  latest.current = { paused, sound, filter };

  // A new list from the server replaces what arrived live before it.
  useEffect(() => {
    setArrived([]);
    setChanges({});
  }, [data]);

  const [raised] = useSubscription({ query: RaisedDocument });
  useEffect(() => {
    const a = raised.data?.alertRaised as Item | undefined;
    if (!a) return;
    const { paused: isPaused, sound: withSound, filter: f } = latest.current;
    if (!matches(a, f, Date.now())) return;
    if (isPaused) {
      setHeld((h) => (h.some((x) => x.id === a.id) ? h : [a, ...h]));
      return;
    }
    setArrived((list) => (list.some((x) => x.id === a.id) ? list : [a, ...list]));
    setAnnounce(
      t(a.severity === 'urgent' ? 'mv.live.urgentArrived' : 'mv.live.arrived', {
        category: a.category.label,
        ref: a.ref,
      }),
    );
    if (withSound && audio.current) chime(audio.current, a.severity === 'urgent');
  }, [raised.data, t]);

  const [status] = useSubscription({ query: StatusDocument });
  useEffect(() => {
    const s = status.data?.alertStatusChanged;
    if (!s) return;
    setChanges((c) => ({
      ...c,
      [s.id]: { status: s.status, closure: s.closure, acknowledgedAt: s.acknowledgedAt },
    }));
  }, [status.data]);

  const items = useMemo(() => {
    const base = (data?.alerts.items ?? []) as Item[];
    const seen = new Set(base.map((a) => a.id));
    const all = [...arrived.filter((a) => !seen.has(a.id)), ...base].map((a) => ({ ...a, ...changes[a.id] }));
    return consoleOrder(all.filter((a) => !filter.category || a.category.slug === filter.category));
  }, [data, arrived, changes, filter.category]);

  const sectors = useMemo(() => context?.sectors ?? [], [context]);
  const sectorName = useMemo(() => new Map(sectors.map((s) => [s.id, s.name])), [sectors]);
  const pins = useMemo<Pin[]>(
    () =>
      items.flatMap((a): Pin[] => {
        if (a.location) return [{ id: a.id, ...a.location, severity: a.severity, approximate: false }];
        const box = sectors.find((s) => s.id === a.targetSectorIds[0])?.bbox;
        if (!box || box.length !== 4) return [];
        return [
          {
            id: a.id,
            lon: (box[0]! + box[2]!) / 2,
            lat: (box[1]! + box[3]!) / 2,
            severity: a.severity,
            approximate: true,
          },
        ];
      }),
    [items, sectors],
  );
  const waiting = items.filter(escalated).length;

  const toggleSound = () => {
    const next = !sound;
    setSound(next);
    localStorage.setItem(SOUND_KEY, next ? 'on' : 'off');
    if (next) enableAudio();
  };
  // Browsers play sound only after a gesture on the page: the first click or key creates the context.
  const enableAudio = () => {
    if (!audio.current && typeof AudioContext !== 'undefined') audio.current = new AudioContext();
    void audio.current?.resume();
  };
  const resume = () => {
    setPaused(false);
    setArrived((list) => [...held.filter((h) => !list.some((x) => x.id === h.id)), ...list]);
    if (held.length) setAnnounce(t('mv.live.resumed', { count: held.length }));
    setHeld([]);
  };

  const where = (a: Item) =>
    a.targetKind === 'commune'
      ? t('mv.target.commune')
      : a.targetSectorIds.map((id) => sectorName.get(id) ?? '?').join(', ');

  return (
    <Page title={t('mv.console.title')}>
      <div className="mv-console" onPointerDown={enableAudio} onKeyDown={enableAudio}>
        <div className="mv-toolbar" role="group" aria-label={t('mv.live.controls')}>
          <Button
            variant={paused ? 'primary' : 'secondary'}
            onPress={paused ? resume : () => setPaused(true)}
          >
            {paused ? t('mv.live.resume') : t('mv.live.pause')}
          </Button>
          <Checkbox isSelected={sound} onChange={toggleSound}>
            {t('mv.live.sound')}
          </Checkbox>
          <span className="meta">
            {paused ? t('mv.live.pausedHint', { count: held.length }) : t('mv.live.on')}
          </span>
          {waiting > 0 ? (
            <span className="mv-escalation-count">
              <Icon name="urgent" />
              {t('mv.escalation.count', { count: waiting })}
            </span>
          ) : null}
        </div>
        <OnDuty />
        {/* Announced once per arrival; silent while paused. */}
        <p className="visually-hidden" aria-live="polite" role="status">
          {paused ? '' : announce}
        </p>

        <form className="mv-filters" aria-label={t('mv.filter.title')} onSubmit={(e) => e.preventDefault()}>
          <fieldset>
            <legend>{t('mv.filter.status')}</legend>
            {ALL_STATUSES.map((s) => (
              <Checkbox
                key={s}
                isSelected={filter.statuses.includes(s)}
                onChange={(on) =>
                  setFilter((f) => ({
                    ...f,
                    statuses: on ? [...f.statuses, s] : f.statuses.filter((x) => x !== s),
                  }))
                }
              >
                {t(`mv.status.${s}`)}
              </Checkbox>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('mv.filter.severity')}</legend>
            {ALL_SEVERITIES.map((s) => (
              <Checkbox
                key={s}
                isSelected={filter.severities.includes(s)}
                onChange={(on) =>
                  setFilter((f) => ({
                    ...f,
                    severities: on ? [...f.severities, s] : f.severities.filter((x) => x !== s),
                  }))
                }
              >
                {t(`mv.severity.${s}`)}
              </Checkbox>
            ))}
          </fieldset>
          <Select
            label={t('mv.filter.category')}
            value={filter.category}
            onChange={(category) => setFilter((f) => ({ ...f, category }))}
            options={[
              { value: '', label: t('mv.filter.all') },
              ...(context?.alertCategories ?? []).map((c) => ({ value: c.slug, label: c.label })),
            ]}
          />
          <Select
            label={t('mv.filter.sector')}
            value={filter.sector}
            onChange={(sector) => setFilter((f) => ({ ...f, sector }))}
            options={[
              { value: '', label: t('mv.filter.all') },
              ...sectors.map((s) => ({ value: s.id, label: s.name })),
            ]}
          />
          <Select
            label={t('mv.filter.period')}
            value={String(filter.periodHours)}
            onChange={(v) => setFilter((f) => ({ ...f, periodHours: Number(v) }))}
            options={[
              { value: '0', label: t('mv.filter.anyTime') },
              { value: '24', label: t('mv.filter.day') },
              { value: '168', label: t('mv.filter.week') },
              { value: '720', label: t('mv.filter.month') },
            ]}
          />
        </form>

        {error ? (
          <Notice kind="error" role="alert">
            <p>{errorMessage(error)}</p>
          </Notice>
        ) : null}

        <div className="mv-split">
          <section className="mv-feed" aria-labelledby="mv-feed-title">
            <h2 id="mv-feed-title">
              {t('mv.feed.title')}{' '}
              <span className="meta">({t('mv.feed.count', { count: items.length })})</span>
            </h2>
            {!data && fetching ? <Loading /> : null}
            {data && items.length === 0 ? <p>{t('mv.feed.none')}</p> : null}
            <ul className="mv-list" aria-label={t('mv.feed.title')}>
              {items.map((a) => {
                const late = escalated(a);
                return (
                  <li
                    key={a.id}
                    className={`mv-item${late ? ' mv-escalated' : ''}${selected === a.id ? ' mv-selected' : ''}`}
                    data-alert-id={a.id}
                  >
                    <button
                      type="button"
                      className="mv-item-button"
                      aria-pressed={selected === a.id}
                      onClick={() => setSelected(a.id)}
                    >
                      <span className="mv-item-head">
                        <SeverityBadge severity={a.severity} label={t(`mv.severity.${a.severity}`)} />
                        <strong>{a.category.label}</strong>
                        <span className="meta">
                          {a.ref} · {formatDate(a.createdAt)}
                        </span>
                      </span>
                      <span className="mv-item-text">{a.text}</span>
                      <span className="meta">
                        {t(`mv.status.${a.status}`)}
                        {a.closure ? ` · ${t(`mv.closure.${a.closure}`)}` : ''} · {where(a)}
                        {a.assignee ? ` · ${t('mv.assignedTo', { name: a.assignee.displayName })}` : ''}
                      </span>
                      {late ? (
                        <span className="mv-escalation">
                          <Icon name="urgent" />
                          {t('mv.escalation.waiting', { count: minutesSince(a.createdAt, now) })}
                        </span>
                      ) : null}
                    </button>
                  </li>
                );
              })}
            </ul>
          </section>
          <div className="mv-side">
            <Suspense fallback={<Loading />}>
              <AlertsMap
                label={t('mv.map.label')}
                canvasLabel={t('mv.map.canvas')}
                zoomIn={t('mv.map.zoomIn')}
                zoomOut={t('mv.map.zoomOut')}
                basemap={tenant?.basemap ?? 'none'}
                sectors={sectors}
                pins={pins}
                selected={selected}
                onSelect={setSelected}
              />
            </Suspense>
            <p className="meta">{t('mv.map.hint')}</p>
            {selected ? (
              <AlertPanel
                key={selected}
                id={selected}
                sectorName={sectorName}
                onClose={() => setSelected(null)}
                onChanged={() => reload({ requestPolicy: 'network-only' })}
              />
            ) : null}
          </div>
        </div>
      </div>
    </Page>
  );
}
