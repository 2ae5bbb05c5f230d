// Who may do what, as data. The register is the CCAS's: its agents see every
// entry and the health notes; a mairie agent may enter someone at the counter
// with their consent; a resident may enter themselves or a relative; a
// volunteer sees only the first name and how to reach the people paired with
// them. Nothing of the register is shown to the rest of the community.
import type { PermissionDef } from '@vigie/platform/plugin';

export const permissions: PermissionDef[] = [
  {
    name: 'solidarite.register.join',
    description: 'S’inscrire ou inscrire un proche au registre, avec son consentement, et s’en retirer',
    roles: ['resident', 'referent'],
  },
  {
    name: 'solidarite.register.manage',
    description:
      'Inscrire une personne au registre pour son compte (consentement recueilli), voir et tenir le registre (chaque consultation est journalisée)',
    roles: ['ccas_agent', 'mairie_admin'],
  },
  {
    name: 'solidarite.health.read',
    description: 'Lire et écrire les notes de santé du registre (chiffrées)',
    roles: ['ccas_agent'],
  },
  {
    name: 'solidarite.pairing.manage',
    description: 'Associer une personne du registre à un ou deux bénévoles',
    roles: ['ccas_agent'],
  },
  {
    name: 'solidarite.volunteer.offer',
    description: 'Se proposer comme bénévole et donner des nouvelles des personnes suivies',
    roles: ['resident', 'referent'],
  },
  {
    name: 'solidarite.plan.manage',
    description: 'Activer et désactiver le plan canicule ou grand froid, suivre la tournée',
    roles: ['ccas_agent', 'mairie_admin'],
  },
];
