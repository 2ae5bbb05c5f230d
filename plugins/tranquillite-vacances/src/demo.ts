// `npm start`'s demo (development only; the core calls this for communes that
// enabled the plugin, after making the demo residents verified members): so
// that the police console and its calendar are not empty on first start,
// Claire, the demo referent, has declared two absences: one validated,
// starting in two days (on the calendar of the coming weeks), and one further
// ahead still to validate. Alice and Bruno are left free to declare their own
// (the newcomer's journey, the counter's). Each absence gets its absence-watch
// workflow, as a declaration does. Seeded once: if Claire has declared
// anything, the demo is left as it is.
import type { DemoSeedDeps } from '@vigie/platform/plugin';
import { residenceOf, SEALED } from './model.js';
import { PLUGIN_ID } from './settings.js';
import { ABSENCE_WATCH_KIND, ABSENCE_WATCH_WORKFLOW, type AbsenceWatchInput } from './workflows/contract.js';

const DAY = 86_400_000;

/** 09:00 (or 18:00), `days` from now, in the server's zone: dates people would type. */
function at(now: Date, days: number, hour: number): Date {
  const d = new Date(now.getTime() + days * DAY);
  d.setHours(hour, 0, 0, 0);
  return d;
}

export async function seedDemo(d: DemoSeedDeps): Promise<void> {
  const claire = d.residents.find((r) => r.key === 'referent');
  if (!claire) return;
  if (await d.trx('tv_absences').where({ account_id: claire.accountId }).first('id')) return;
  const home = await residenceOf(d.trx, claire.accountId);
  if (!home) return;
  const police = (await d
    .trx('role_assignments as r')
    .join('accounts as a', 'a.id', 'r.account_id')
    .where({ 'r.role': 'police_agent', 'a.status': 'active' })
    .first('a.id')) as { id: string } | undefined;
  const rows = [
    { departs: at(d.now, 2, 9), returns: at(d.now, 16, 18), validated: true },
    { departs: at(d.now, 25, 9), returns: at(d.now, 32, 18), validated: false },
  ];
  for (const r of rows) {
    const [row] = (await d
      .trx('tv_absences')
      .insert({
        tenant_id: d.tenant.id,
        account_id: claire.accountId,
        kind: 'home',
        residence: 'main',
        address_id: home.addressId,
        address_label: home.label,
        lon: home.lon,
        lat: home.lat,
        departs_at: r.departs,
        returns_at: r.returns,
        status: r.validated ? 'validated' : 'pending',
        decided_by: r.validated ? (police?.id ?? null) : null,
        decided_at: r.validated ? d.now : null,
        details: JSON.stringify({
          awayPhone: '06 12 34 56 78',
          contactName: 'Bruno (voisin)',
          contactPhone: '01 60 43 12 34',
          dwelling: 'house',
          alarm: false,
          presenceSimulation: true,
          vehicles: 'Berlingo bleu dans l’allée',
          pets: 'aucun',
          notes: 'Volets du rez-de-chaussée fermés ; courrier relevé par Bruno.',
        }),
        door_code_sealed: d.services.secrets.seal(d.tenant.id, SEALED.doorCode, 'B2580'),
        key_holders_sealed: d.services.secrets.seal(d.tenant.id, SEALED.keyHolders, 'Bruno, le voisin'),
        notice_channels: ['in_app'],
      })
      .returning('id')) as Array<{ id: string }>;
    await d.services.audit(d.trx, {
      tenantId: d.tenant.id,
      actor: { type: 'system', id: null },
      action: `${PLUGIN_ID}.absence.declared`,
      target: { type: 'absence', id: row!.id },
      meta: { demo: true },
    });
    const input: AbsenceWatchInput = { tenantId: d.tenant.id, absenceId: row!.id };
    // Started in the transaction, as a declaration's: if Temporal refuses, nothing is seeded.
    await d.services.workflows.client().workflow.start(ABSENCE_WATCH_WORKFLOW, {
      ...d.services.workflows.options({ id: d.tenant.id, slug: d.tenant.slug }, ABSENCE_WATCH_KIND, row!.id),
      args: [input],
    });
  }
}
