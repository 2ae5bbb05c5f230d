// The RGPD export and erasure: an account's own entry in the register (and
// those it made for a relative, which it may withdraw), its volunteering and
// the people it keeps in touch with (first names only). Health notes are
// named in the export, never printed: the CCAS reads them out on request.
import type { PersonalDataKind } from '@vigie/platform/plugin';
import { callKeyOf, type PersonRow, type VolunteerRow } from './model.js';
import { PLUGIN_ID } from './settings.js';

export const personalData: PersonalDataKind[] = [
  {
    name: 'solidarity-register',
    label: 'Registre des personnes isolées et vulnérables (CCAS) : inscription et bénévolat',
    onErasure: 'inscription supprimée (avec ses nouvelles et sa tournée), bénévolat retiré',
    async export(trx, accountId) {
      const people = (await trx('sol_people')
        .where({ account_id: accountId })
        .orWhere({ recorded_by: accountId })
        .orderBy('created_at')) as PersonRow[];
      const v = (await trx('sol_volunteers').where({ account_id: accountId }).first()) as
        VolunteerRow | undefined;
      const followed = v
        ? ((await trx('sol_pairings as p')
            .join('sol_people as s', 's.id', 'p.person_id')
            .where('p.volunteer_id', v.id)
            .pluck('s.first_name')) as string[])
        : [];
      return [
        ...people.map((p) => ({
          inscription:
            p.account_id === accountId ? 'vous-même' : `${p.first_name} ${p.last_name} (inscrit par vous)`,
          adresse: p.address_label,
          contact: p.contact_method,
          nouvellesTousLesJours: p.interval_days,
          prevenirLaPolice: p.escalate_police,
          visibilite: p.visibility,
          consentement: { par: p.consent_by, nom: p.consent_name, le: p.consent_at.toISOString() },
          notesDeSante: p.health_notes_sealed ? 'renseignées (chiffrées, lisibles par le CCAS)' : null,
          dernieresNouvelles: p.last_sign_at.toISOString(),
        })),
        ...(v
          ? [
              {
                benevole: true,
                disponibilites: v.availability,
                depuis: v.created_at.toISOString(),
                personnesSuivies: followed,
              },
            ]
          : []),
      ];
    },
    async erase(trx, accountId, services) {
      // An entry is the person's: erasing the account deletes it (signs, pairings and contacts cascade),
      // and the calls and texts to their phone (sealed number, their first name in the words) at once.
      const gone = (await trx('sol_people')
        .where({ account_id: accountId })
        .delete()
        .returning('id')) as Array<{
        id: string;
      }>;
      for (const p of gone)
        await services.phoneCalls.forget(trx, { handler: PLUGIN_ID, keyPrefix: callKeyOf(p.id) });
      await trx('sol_people').where({ recorded_by: accountId }).update({ recorded_by: null });
      await trx('sol_volunteers').where({ account_id: accountId }).delete();
    },
  },
];
