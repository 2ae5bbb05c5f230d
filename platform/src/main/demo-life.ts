// The demo commune lives: after the demo accounts exist (demo.ts), their
// residents become verified members of the commune's first community (an
// active residence at one of its real BAN addresses, validated by the demo
// mairie), with alerts in every status and their history, notifications, and
// whatever each enabled plugin seeds for them (seedDemo). Development only
// (the caller checks). Idempotent and quick: each part looks for what it
// made last time and stops there, so a restart adds nothing and a demo's own
// changes (an alert closed, a residence ended) stay as the demo left them.
import type { Knex } from 'knex';
import { withTenant } from '../db/index.js';
import {
  changeAlertStatus,
  parseRaiseAlertInput,
  type AlertClosure,
  type AlertStatus,
} from '../alerts/index.js';
import { recordAlert } from '../alerts/index.js';
import { storeInAppMany } from '../notifications/index.js';
import { alertInApp } from '../alerts/index.js';
import { activeResidence, resolveAddress } from '../residents/index.js';
import type { DemoResident, PlatformServices, VigiePlugin } from '../plugins/index.js';
import { enabledPlugins } from '../tenants/index.js';

type Trx = Knex.Transaction;

/** The demo residents that live in the community, in demo.ts's PEOPLE (by email local part). */
const RESIDENTS: Array<{ key: string; local: string }> = [
  { key: 'referent', local: 'referent' },
  { key: 'alice', local: 'alice' },
  { key: 'bruno', local: 'bruno' },
];

interface DemoAlert {
  author: string;
  category: string;
  severity: 'info' | 'important' | 'urgent';
  text: string;
  /** How long ago it was raised. */
  minutesAgo: number;
  /** The police's steps after it, each a few minutes apart. */
  steps: Array<{ to: AlertStatus; closure?: AlertClosure; note?: string }>;
}

const ALERTS: DemoAlert[] = [
  {
    author: 'alice',
    category: 'vehicule-reperage',
    severity: 'important',
    text: 'Une camionnette blanche sans inscription fait le tour du quartier au ralenti depuis une demi-heure, deux personnes à bord regardent les maisons.',
    minutesAgo: 25,
    steps: [],
  },
  {
    author: 'bruno',
    category: 'demarchage-frauduleux',
    severity: 'important',
    text: 'Deux faux agents « du gaz » sonnent aux portes et demandent à entrer pour un contrôle. Ne leur ouvrez pas.',
    minutesAgo: 3 * 60,
    steps: [
      { to: 'acknowledged', note: 'Reçu, une patrouille part vers le secteur.' },
      { to: 'in_progress', note: 'Patrouille sur place, recherche en cours.' },
    ],
  },
  {
    author: 'referent',
    category: 'ouverture-absence',
    severity: 'urgent',
    text: 'Le portail de la maison des voisins partis en vacances est ouvert et une fenêtre est entrouverte.',
    minutesAgo: 2 * 24 * 60,
    steps: [
      { to: 'acknowledged' },
      { to: 'in_progress', note: 'Équipage sur place.' },
      {
        to: 'closed',
        closure: 'solved',
        note: 'Fenêtre mal fermée par le jardinier, propriétaires prévenus.',
      },
    ],
  },
  {
    author: 'alice',
    category: 'animal-perdu',
    severity: 'info',
    text: 'Un chien noir et blanc sans collier erre près de l’aire de jeux.',
    minutesAgo: 5 * 24 * 60,
    steps: [
      { to: 'closed', closure: 'unfounded', note: 'Le chien était rentré chez lui avant notre passage.' },
    ],
  },
];

export interface DemoLife {
  communityId: string;
  communityName: string;
  residents: Array<DemoResident & { email: string; address: string }>;
}

async function accountByLocal(trx: Trx, slug: string, local: string) {
  return (await trx('accounts')
    .whereRaw('lower(email) = ?', [`${local}@${slug}.example`])
    .where('status', 'active')
    .first('id', 'email', 'display_name')) as { id: string; email: string; display_name: string } | undefined;
}

export async function ensureDemoLife(
  db: Knex,
  tenant: { id: string; slug: string; name: string },
  plugins: readonly VigiePlugin[],
  /** What plugin seeds may use (a workflow to start with their rows). */
  services: PlatformServices,
  now = new Date(),
): Promise<DemoLife | null> {
  return withTenant(db, tenant.id, async (trx) => {
    // The same community as the demo referent's scope (demo.ts).
    const sector = (await trx('sectors').where({ status: 'active' }).orderBy('name').first('id', 'name')) as
      { id: string; name: string } | undefined;
    if (!sector) return null;
    const addresses = (await trx('addresses')
      .where({ sector_id: sector.id })
      .orderBy(['nom_voie', 'numero', 'id'])
      .limit(RESIDENTS.length)
      .pluck('id')) as string[];
    const mairie = await accountByLocal(trx, tenant.slug, 'mairie');
    const police = await accountByLocal(trx, tenant.slug, 'agent.police');
    if (addresses.length === 0 || !mairie || !police) return null;

    const residents: DemoLife['residents'] = [];
    for (const [i, r] of RESIDENTS.entries()) {
      const a = await accountByLocal(trx, tenant.slug, r.local);
      if (!a) continue;
      const address = await resolveAddress(trx, { addressId: addresses[i % addresses.length]! });
      const label = await settleResidence(trx, tenant.id, a.id, address, mairie.id, now);
      residents.push({
        key: r.key,
        accountId: a.id,
        displayName: a.display_name,
        email: a.email,
        address: label,
      });
    }
    if (residents.length === 0) return null;
    await seedAlerts(trx, tenant.id, sector.id, residents, police.id, now);

    const enabled = await enabledPlugins(trx, tenant.id);
    for (const p of plugins) {
      if (!p.seedDemo || !enabled.has(p.id)) continue;
      await p.seedDemo({
        trx,
        tenant,
        communityId: sector.id,
        residents: residents.map(({ key, accountId, displayName }) => ({ key, accountId, displayName })),
        settings: (enabled.get(p.id) ?? {}) as Record<string, unknown>,
        services,
        now,
      });
    }
    return { communityId: sector.id, communityName: sector.name, residents };
  });
}

/**
 * An active residence, validated by hand by the mairie (source `manual`):
 * the verification a resident's proof would go through is the workflow's
 * business, not a demo's. A resident who already has one (or whose demo
 * ended it) is left as they are.
 */
async function settleResidence(
  trx: Trx,
  tenantId: string,
  accountId: string,
  address: { addressId: string | null; sectorId: string | null; label: string },
  mairieId: string,
  now: Date,
): Promise<string> {
  const active = await activeResidence(trx, accountId);
  if (active) return active.address_label ?? address.label;
  const any = await trx('residences').where({ account_id: accountId }).first('id');
  if (any) return address.label;
  await trx('residences').insert({
    tenant_id: tenantId,
    account_id: accountId,
    address_id: address.addressId,
    sector_id: address.sectorId,
    address_label: address.label,
    status: 'active',
    source: 'manual',
    submitted_at: now,
    activated_at: now,
    decided_at: now,
    decided_by: mairieId,
  });
  return address.label;
}

/**
 * The residents' alerts, raised and moved through their statuses by the same
 * functions as the raiseAlert and setAlertStatus mutations, then dated back
 * so the history reads as a past week. They are marked delivered at the
 * time: the housekeeping would otherwise send them now, as alerts whose
 * start was lost. Their notifications go straight to the neighbours' inboxes.
 */
async function seedAlerts(
  trx: Trx,
  tenantId: string,
  sectorId: string,
  residents: DemoLife['residents'],
  policeId: string,
  now: Date,
): Promise<void> {
  const ids = residents.map((r) => r.accountId);
  if (await trx('alerts').whereIn('author_account_id', ids).first('id')) return;
  const byKey = new Map(residents.map((r) => [r.key, r]));
  for (const a of ALERTS) {
    const author = byKey.get(a.author);
    if (!author) continue;
    const raisedAt = new Date(now.getTime() - a.minutesAgo * 60_000);
    const input = parseRaiseAlertInput({ category: a.category, severity: a.severity, text: a.text });
    const alert = await recordAlert(trx, tenantId, {
      author: { accountId: author.accountId, kind: 'resident' },
      origin: 'web',
      target: { kind: 'community', sectorIds: [sectorId] },
      input,
    });
    for (const s of a.steps)
      await changeAlertStatus(trx, tenantId, alert.id, {
        to: s.to,
        closure: s.closure ?? null,
        note: s.note ?? null,
        byAccountId: policeId,
      });
    // History entries in the order written, each step 7 minutes after the one before.
    const history = (await trx('alert_status_history')
      .where({ alert_id: alert.id })
      .orderBy([{ column: 'at' }, { column: 'id' }])
      .select('id', 'status')) as Array<{ id: string; status: string }>;
    const order = ['received', ...a.steps.map((s) => s.to)];
    for (const h of history) {
      const k = order.indexOf(h.status);
      await trx('alert_status_history')
        .where({ id: h.id })
        .update({ at: new Date(raisedAt.getTime() + Math.max(0, k) * 7 * 60_000) });
    }
    const last = new Date(raisedAt.getTime() + a.steps.length * 7 * 60_000);
    const acked = a.steps.length > 0 ? new Date(raisedAt.getTime() + 7 * 60_000) : null;
    await trx('alerts')
      .where({ id: alert.id })
      .update({
        created_at: raisedAt,
        updated_at: last,
        acknowledged_at: acked,
        closed_at: a.steps.some((s) => s.to === 'closed') ? last : null,
        delivery_started_at: raisedAt,
        delivery_completed_at: raisedAt,
        recipients_resolved_at: raisedAt,
      });
    const category = (await trx('alert_categories')
      .where({ id: alert.categoryId })
      .first('label_fr', 'label_en')) as { label_fr: string; label_en: string };
    // The words the delivery workflow would have stored (alertInApp), in French: the demo accounts' language.
    const words = alertInApp(
      {
        alertId: alert.id,
        communeName: '',
        severity: a.severity,
        categoryFr: category.label_fr,
        categoryEn: category.label_en,
        text: alert.text,
        link: `/alertes/${alert.id}`,
        preferencesUrl: '/preferences',
        purpose: 'alert',
      },
      'fr',
    );
    await storeInAppMany(
      trx,
      residents
        .filter((r) => r.accountId !== author.accountId)
        .map((r) => ({
          tenantId,
          accountId: r.accountId,
          kind: 'alert',
          title: words.title,
          body: words.body,
          link: `/alertes/${alert.id}`,
          meta: { alertId: alert.id, severity: a.severity },
          idempotencyKey: `demo:${alert.id}:${r.accountId}`,
        })),
    );
  }
}
