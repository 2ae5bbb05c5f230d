// The RGPD export and erasure of an account's declarations and their visits.
// The door code and key holders stay sealed: the export says they were given
// (the resident reads them on the declaration's page), and erasure deletes all.
import type { PersonalDataKind } from '@vigie/platform/plugin';
import type { AbsenceRow } from './model.js';
import { OUTCOMES } from './texts.js';
import { forgetContactCalls } from './contact-call.js';

export const personalData: PersonalDataKind[] = [
  {
    name: 'absences',
    label: 'Absences déclarées (Opération Tranquillité Vacances) et passages de la police',
    onErasure: 'supprimées, avec leurs passages',
    async export(trx, accountId) {
      const rows = (await trx('tv_absences')
        .where({ account_id: accountId })
        .orderBy('departs_at')) as AbsenceRow[];
      const visits = (await trx('tv_visits')
        .whereIn(
          'absence_id',
          rows.map((r) => r.id),
        )
        .orderBy('visited_at')
        .select('absence_id', 'visited_at', 'outcome')) as Array<{
        absence_id: string;
        visited_at: Date;
        outcome: keyof typeof OUTCOMES;
      }>;
      return rows.map((r) => ({
        adresse: r.address_label,
        type:
          r.kind === 'shop'
            ? 'commerce'
            : r.residence === 'secondary'
              ? 'résidence secondaire'
              : 'résidence principale',
        depart: r.departs_at.toISOString(),
        retour: r.returns_at.toISOString(),
        statut: r.status,
        motifRefus: r.refusal_reason,
        declareeLe: r.created_at.toISOString(),
        renseignements: r.details,
        codeDePorte: r.door_code_sealed ? 'renseigné (chiffré)' : null,
        detenteursDesCles: r.key_holders_sealed ? 'renseignés (chiffrés)' : null,
        avisDePassage: r.notice_channels,
        passages: visits
          .filter((v) => v.absence_id === r.id)
          .map((v) => ({ le: v.visited_at.toISOString(), constat: OUTCOMES[v.outcome].fr })),
      }));
    },
    async erase(trx, accountId, services) {
      // The calls to the persons to contact (their number sealed, the address in the words) go at once;
      // visits go with their absence (foreign key on delete cascade).
      const ids = (await trx('tv_absences').where({ account_id: accountId }).pluck('id')) as string[];
      await forgetContactCalls(services, trx, ids);
      await trx('tv_absences').whereIn('id', ids).delete();
    },
  },
];
