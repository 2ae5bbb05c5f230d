// Onboarding a commune: its INSEE code (official name, postal codes and
// population), its BAN file checked whole on the server (lines refused with
// their numbers, nothing stored), the proposed sectors on a map and in a
// table, accepted to create the commune, then its first mairie admin invited.
import { lazy, Suspense, useState } from 'react';
import { Link } from 'react-router';
import { Form } from 'react-aria-components';
import { useI18n } from '../../shell/i18n.js';
import { Loading } from '../../shell/page.js';
import { Button, ErrorSummary, fieldId, Notice, TextField } from '../../ds/index.js';
import {
  opCall,
  OperatorError,
  type CommuneInfo,
  type Onboarded,
  type OperatorSession,
  type Proposal,
} from './api.js';
import { errorText, OperatorPage } from './common.js';
import { sectorColour } from './sectors-map.js';

const SectorsMap = lazy(() => import('./sectors-map.js'));

type Errors = Array<{ field?: string; message: string }>;
interface Rejected {
  line: number;
  reason: string;
  detail: string;
}
interface BalIssue {
  line: number | null;
  code: string;
  label: string;
  level: 'E' | 'W' | 'I';
}

/** The BAN team validator's report, row by row (its labels are in French only). */
function BalReport(p: { issues: BalIssue[]; caption: string }) {
  const { t } = useI18n();
  return (
    <div className="table-wrap">
      <table>
        <caption>{p.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('op.col.line')}</th>
            <th scope="col">{t('op.col.level')}</th>
            <th scope="col">{t('op.col.problem')}</th>
          </tr>
        </thead>
        <tbody>
          {p.issues.map((i, n) => (
            <tr key={`${i.line}-${i.code}-${n}`}>
              <td>{i.line ?? t('op.wholeFile')}</td>
              <td>{t(`op.level.${i.level}`)}</td>
              <td>
                <span lang="fr">{i.label}</span> <code>{i.code}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function OnboardingPage() {
  const { t } = useI18n();
  return <OperatorPage title={t('op.onboardTitle')}>{(s) => <Onboarding session={s} />}</OperatorPage>;
}

function StepTitle(p: { n: number; id: string }) {
  const { t } = useI18n();
  return <h2 id={p.id}>{t('op.step', { n: p.n, name: t(`op.step${p.n}`) })}</h2>;
}

function Onboarding({ session }: { session: OperatorSession }) {
  const { t } = useI18n();
  const csrf = session.csrfToken;
  const [errors, setErrors] = useState<Errors>([]);
  const [busy, setBusy] = useState<string | null>(null);
  const [insee, setInsee] = useState('');
  const [info, setInfo] = useState<CommuneInfo | null>(null);
  const [form, setForm] = useState({ displayName: '', phone: '', email: '', street: '' });
  const [file, setFile] = useState<File | null>(null);
  const [rejected, setRejected] = useState<{ count: number; rows: Rejected[] } | null>(null);
  const [balErrors, setBalErrors] = useState<{ count: number; issues: BalIssue[] } | null>(null);
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const [count, setCount] = useState('');
  /** The operator may rename the proposed sectors before saving (the mairie redraws them later in its portal). */
  const [names, setNames] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<Onboarded | null>(null);
  const [admin, setAdmin] = useState({ email: '', name: '' });
  const [invited, setInvited] = useState<string | null>(null);
  const set = (k: keyof typeof form) => (v: string) => setForm((s) => ({ ...s, [k]: v }));
  const fieldError = (f: string) => errors.find((e) => e.field === f)?.message;

  const run = async (what: string, field: string | undefined, fn: () => Promise<void>) => {
    setBusy(what);
    setErrors([]);
    try {
      await fn();
    } catch (e) {
      setErrors([{ ...(field ? { field } : {}), message: errorText(t, e) }]);
    } finally {
      setBusy(null);
    }
  };

  const lookup = () =>
    run('lookup', 'insee', async () => {
      setInfo(null);
      setProposal(null);
      const r = await opCall<CommuneInfo>(
        'GET',
        `/operator/onboarding/communes/${encodeURIComponent(insee.trim().toUpperCase())}`,
      );
      setInfo(r);
      setForm((f) => ({ ...f, displayName: f.displayName || r.name }));
    });

  const propose = (sectors?: number) =>
    run('check', 'ban', async () => {
      if (!file || !info) throw new OperatorError('BAN_MISSING', t('op.banMissing'));
      setRejected(null);
      setBalErrors(null);
      try {
        const r = await opCall<Proposal>(
          'POST',
          `/operator/onboarding/addresses?inseeCode=${info.inseeCode}${sectors ? `&sectors=${sectors}` : ''}`,
          { csrf, body: file, contentType: 'text/csv' },
        );
        setProposal(r);
        setCount(String(r.sectors.length));
        setNames(Object.fromEntries(r.sectors.map((x) => [x.key, x.name])));
      } catch (e) {
        setProposal(null);
        if (e instanceof OperatorError && e.code === 'GEO_BAL_INVALID')
          setBalErrors({
            count: Number(e.details?.errorCount ?? 0),
            issues: (e.details?.issues as BalIssue[] | undefined) ?? [],
          });
        if (e instanceof OperatorError && e.code === 'ONBOARDING_ADDRESSES_REFUSED')
          setRejected({
            count: Number(e.details?.rejectedCount ?? 0),
            rows: (e.details?.rejected as Rejected[] | undefined) ?? [],
          });
        throw e;
      }
    });

  const accept = () =>
    run('create', undefined, async () => {
      if (!info || !file || !proposal) return;
      const r = await opCall<Onboarded>('POST', '/operator/onboarding', {
        csrf,
        json: {
          inseeCode: info.inseeCode,
          slug: info.slug,
          displayName: form.displayName,
          police: { phone: form.phone, email: form.email, street: form.street },
          addressesCsv: await file.text(),
          sectors: proposal.sectors.map((s) => ({
            key: s.key,
            name: (names[s.key] ?? s.name).trim() || s.name,
            geometry: s.geometry,
          })),
        },
      });
      setCreated(r);
    });

  const invite = () =>
    run('invite', 'adminEmail', async () => {
      if (!created) return;
      const r = await opCall<{ outcome: 'invited' | 'granted' | 'exists' }>(
        'POST',
        `/operator/communes/${created.slug}/admin-invitations`,
        {
          csrf,
          json: {
            email: admin.email.trim(),
            ...(admin.name.trim() ? { displayName: admin.name.trim() } : {}),
          },
        },
      );
      const key =
        r.outcome === 'invited'
          ? 'op.invited'
          : r.outcome === 'granted'
            ? 'op.inviteGranted'
            : 'op.inviteExists';
      setInvited(t(key, { email: admin.email.trim() }));
    });

  const locked = !!created;
  return (
    <>
      <p>{t('op.onboardIntro')}</p>
      <ErrorSummary title={t('op.errorsTitle')} errors={errors} />

      <section aria-labelledby="step1">
        <StepTitle n={1} id="step1" />
        <Form
          validationBehavior="aria"
          onSubmit={(e) => {
            e.preventDefault();
            void lookup();
          }}
        >
          <TextField
            name="insee"
            label={t('op.insee')}
            hint={t('op.inseeHint')}
            value={insee}
            onChange={setInsee}
            maxLength={5}
            error={fieldError('insee')}
            required
          />
          <Button type="submit" isDisabled={busy !== null || locked}>
            {t('op.lookup')}
          </Button>
        </Form>
        {info ? (
          <dl className="facts" data-testid="commune-info">
            <dt>{t('op.info.name')}</dt>
            <dd>{info.name}</dd>
            <dt>{t('op.info.postalCodes')}</dt>
            <dd>{info.postalCodes.join(', ')}</dd>
            <dt>{t('op.info.population')}</dt>
            <dd>{info.population ?? '—'}</dd>
            <dt>{t('op.info.departement')}</dt>
            <dd>{info.departement ?? '—'}</dd>
            <dt>{t('op.info.slug')}</dt>
            <dd>{`${info.slug}.${window.location.hostname}`}</dd>
          </dl>
        ) : null}
      </section>

      {info ? (
        <section aria-labelledby="step2">
          <StepTitle n={2} id="step2" />
          <Form
            validationBehavior="aria"
            onSubmit={(e) => {
              e.preventDefault();
              void propose();
            }}
          >
            <TextField
              name="displayName"
              label={t('op.displayName')}
              value={form.displayName}
              onChange={set('displayName')}
              maxLength={80}
              required
            />
            <TextField
              name="policePhone"
              label={t('op.policePhone')}
              hint={t('op.policePhoneHint')}
              type="tel"
              value={form.phone}
              onChange={set('phone')}
              required
            />
            <TextField
              name="policeEmail"
              label={t('op.policeEmail')}
              type="email"
              value={form.email}
              onChange={set('email')}
              required
            />
            <TextField
              name="policeStreet"
              label={t('op.policeStreet')}
              value={form.street}
              onChange={set('street')}
              maxLength={120}
              required
            />
            <div className="field">
              <label htmlFor={fieldId('ban')}>{t('op.banFile')}</label>
              <p className="hint" id="ban-hint">
                {t('op.banFileHint')}
              </p>
              <input
                id={fieldId('ban')}
                type="file"
                accept=".csv,text/csv"
                aria-describedby={`ban-hint${fieldError('ban') ? ' ban-error' : ''}`}
                aria-invalid={fieldError('ban') ? true : undefined}
                disabled={locked}
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  setProposal(null);
                  setRejected(null);
                  setBalErrors(null);
                }}
              />
              {fieldError('ban') ? (
                <p className="field-error" id="ban-error">
                  {fieldError('ban')}
                </p>
              ) : null}
            </div>
            <Button type="submit" isDisabled={busy !== null || locked}>
              {busy === 'check' ? t('op.checking') : t('op.check')}
            </Button>
          </Form>
          {balErrors ? (
            <BalReport issues={balErrors.issues} caption={t('op.balErrors', { count: balErrors.count })} />
          ) : null}
          {rejected ? (
            <div className="table-wrap">
              <table>
                <caption>{t('op.rejectedTitle', { count: rejected.count })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('op.col.line')}</th>
                    <th scope="col">{t('op.col.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rejected.rows.map((r) => {
                    const key = `op.reason.${r.reason}`;
                    return (
                      <tr key={r.line}>
                        <td>{r.line}</td>
                        <td>{t(key) !== key ? t(key) : r.detail}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          ) : null}
        </section>
      ) : null}

      {proposal ? (
        <section aria-labelledby="step3">
          <StepTitle n={3} id="step3" />
          <p role="status">
            {t('op.checked', { addresses: proposal.addresses, streets: proposal.streets, ms: proposal.ms })}
          </p>
          {proposal.format === 'bal' && proposal.issues.length ? (
            <BalReport
              issues={proposal.issues}
              caption={t('op.balWarnings', { count: proposal.issues.length })}
            />
          ) : null}
          <p>{t('op.sectorsIntro')}</p>
          <Form
            validationBehavior="aria"
            onSubmit={(e) => {
              e.preventDefault();
              const n = Number(count);
              if (Number.isInteger(n) && n >= 1 && n <= 50) void propose(n);
            }}
          >
            <TextField
              name="sectorCount"
              label={t('op.sectorCount')}
              inputMode="numeric"
              maxLength={2}
              value={count}
              onChange={setCount}
            />
            <Button type="submit" variant="secondary" isDisabled={busy !== null || locked}>
              {t('op.repropose')}
            </Button>
          </Form>
          <Suspense fallback={<Loading />}>
            <SectorsMap
              label={t('op.mapLabel')}
              canvasLabel={t('op.mapCanvas')}
              zoomIn={t('op.zoomIn')}
              zoomOut={t('op.zoomOut')}
              sectors={proposal.sectors}
              points={proposal.points}
            />
          </Suspense>
          <div className="table-wrap">
            <table>
              <caption>{t('op.sectorsCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('op.col.sector')}</th>
                  <th scope="col">{t('op.col.households')}</th>
                  <th scope="col">{t('op.col.streets')}</th>
                </tr>
              </thead>
              <tbody>
                {proposal.sectors.map((s, i) => (
                  <tr key={s.key}>
                    <th scope="row">
                      <span className="swatch" aria-hidden="true" style={{ background: sectorColour(i) }} />{' '}
                      <TextField
                        name={`sector-${s.key}`}
                        label={t('op.sectorName', { n: i + 1 })}
                        value={names[s.key] ?? s.name}
                        onChange={(v) => setNames((m) => ({ ...m, [s.key]: v }))}
                        maxLength={120}
                      />
                    </th>
                    <td>{s.households}</td>
                    <td>
                      {s.streets.length > 3
                        ? t('op.streetsMore', {
                            first: s.streets.slice(0, 3).join(', '),
                            count: s.streets.length - 3,
                          })
                        : s.streets.join(', ')}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Button onPress={() => void accept()} isDisabled={busy !== null || locked}>
            {busy === 'create' ? t('op.creating') : t('op.accept')}
          </Button>
        </section>
      ) : null}

      {created ? (
        <section aria-labelledby="step4">
          <StepTitle n={4} id="step4" />
          <Notice kind="success" role="status">
            <p>
              {t('op.created', {
                name: created.name,
                addresses: created.addresses,
                sectors: created.sectors,
                ms: created.ms,
              })}
            </p>
            <p>{t('op.portal', { url: created.portalUrl })}</p>
          </Notice>
          <Form
            validationBehavior="aria"
            onSubmit={(e) => {
              e.preventDefault();
              void invite();
            }}
          >
            <TextField
              name="adminEmail"
              label={t('op.adminEmail')}
              type="email"
              value={admin.email}
              onChange={(v) => setAdmin((a) => ({ ...a, email: v }))}
              error={fieldError('adminEmail')}
              required
            />
            <TextField
              name="adminName"
              label={t('op.adminName')}
              value={admin.name}
              onChange={(v) => setAdmin((a) => ({ ...a, name: v }))}
              maxLength={40}
            />
            <Button type="submit" isDisabled={busy !== null || !!invited}>
              {busy === 'invite' ? t('op.inviting') : t('op.invite')}
            </Button>
          </Form>
          <div role="status">
            {invited ? (
              <Notice kind="success">
                <p>{invited}</p>
              </Notice>
            ) : null}
          </div>
          <div className="btn-row">
            <Link to="/operateur/communes" className="btn secondary">
              {t('op.backToCommunes')}
            </Link>
            <a className="btn secondary" href={`/operator/communes/${created.slug}/export`} download>
              {t('op.exportAfter', { slug: created.slug })}
            </a>
          </div>
        </section>
      ) : null}
    </>
  );
}
