// Error codes of the geo module (registered in the platform catalogue by module.ts).
import { registerErrorCodes, type ErrorSpec } from '../server/errors.js';

export const GEO_ERRORS = {
  GEO_IMPORT_BAD_HEADER: {
    status: 400,
    message:
      "L'en-tête du fichier ne correspond pas au format de la Base Adresse Nationale (colonnes id;id_fantoir;numero;…;lon;lat séparées par « ; »). Rien n'a été importé.",
  },
  GEO_IMPORT_BAD_ENCODING: {
    status: 400,
    message: "Le fichier n'est pas encodé en UTF-8. Rien n'a été importé.",
  },
  GEO_IMPORT_MALFORMED_CSV: { status: 400, message: "Le fichier CSV est mal formé. Rien n'a été importé." },
  GEO_IMPORT_LINES_REJECTED: {
    status: 422,
    message: "Des lignes du fichier ont été refusées ; en mode strict, rien n'a été importé.",
  },
  GEO_TENANT_UNKNOWN: { status: 404, message: 'Aucune commune ne porte cet identifiant.' },
  GEOCODER_UNAVAILABLE: {
    status: 503,
    message: 'Le service de géocodage ne répond pas. Réessayez plus tard.',
  },
  SECTOR_NOT_FOUND: { status: 404, message: 'Ce secteur est introuvable.' },
  SECTOR_RETIRED: { status: 409, message: 'Ce secteur a été retiré : il ne peut plus être modifié.' },
  SECTOR_NAME_TAKEN: { status: 409, message: 'Un secteur actif porte déjà ce nom.' },
  SECTOR_INVALID_GEOMETRY: {
    status: 400,
    message:
      'Le tracé du secteur est invalide : il faut un polygone ou un multipolygone GeoJSON en longitude/latitude.',
  },
  SECTOR_RING_NOT_CLOSED: {
    status: 400,
    message: "Le tracé du secteur n'est pas fermé : le dernier point doit être le premier.",
  },
  SECTOR_TOO_FEW_POINTS: {
    status: 400,
    message: 'Le tracé du secteur a moins de 4 points (3 sommets et le point de fermeture).',
  },
  SECTOR_TOO_COMPLEX: { status: 400, message: 'Le tracé du secteur a trop de points (5 000 au plus).' },
  SECTOR_SELF_INTERSECTING: { status: 400, message: 'Le tracé du secteur se croise lui-même.' },
  SECTOR_INVALID_HOLE: {
    status: 400,
    message: 'Un trou du secteur sort de son contour ou en chevauche un autre.',
  },
  SECTOR_OUTSIDE_COMMUNE: {
    status: 400,
    message: 'Le tracé du secteur sort de la commune (de l’étendue de ses adresses).',
  },
  SECTOR_OVERLAP: {
    status: 409,
    message: "Ce secteur chevauche d'autres secteurs. Confirmez pour l'enregistrer quand même.",
  },
} as const satisfies Record<string, ErrorSpec>;

export type GeoErrorCode = keyof typeof GEO_ERRORS;

// Registered at import as well: the CLI, `tenants apply` and the benchmarks
// throw these codes without building the app (registration is idempotent).
registerErrorCodes(GEO_ERRORS);
