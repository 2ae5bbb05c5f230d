// Error codes of the geo module: BAN imports, geocoding, sectors.
import { defineErrors } from '../lib/errors.js';

export const geoErrors = defineErrors({
  GEO_IMPORT_BAD_HEADER: {
    status: 400,
    fr: "L'en-tête du fichier ne correspond pas au format de la Base Adresse Nationale (colonnes id;id_fantoir;numero;…;lon;lat séparées par « ; »). Rien n'a été importé.",
    en: 'The file\'s header does not match the Base Adresse Nationale format (columns id;id_fantoir;numero;…;lon;lat separated by ";"). Nothing was imported.',
  },
  GEO_IMPORT_BAD_ENCODING: {
    status: 400,
    fr: "Le fichier n'est pas encodé en UTF-8. Rien n'a été importé.",
    en: 'The file is not UTF-8 encoded. Nothing was imported.',
  },
  GEO_IMPORT_MALFORMED_CSV: {
    status: 400,
    fr: "Le fichier CSV est mal formé. Rien n'a été importé.",
    en: 'The CSV file is malformed. Nothing was imported.',
  },
  GEO_IMPORT_LINES_REJECTED: {
    status: 422,
    fr: "Des lignes du fichier ont été refusées ; en mode strict, rien n'a été importé.",
    en: 'Some lines of the file were refused; in strict mode, nothing was imported.',
  },
  GEO_BAL_INVALID: {
    status: 422,
    fr: "Le fichier Base Adresse Locale n'est pas conforme au format BAL 1.4 (voir le rapport ligne par ligne). Rien n'a été importé.",
    en: 'The Base Adresse Locale file does not conform to the BAL 1.4 format (see the line-by-line report). Nothing was imported.',
  },
  GEO_TENANT_UNKNOWN: {
    status: 404,
    fr: 'Aucune commune ne porte cet identifiant.',
    en: 'No commune has this identifier.',
  },
  GEOCODER_UNAVAILABLE: {
    status: 503,
    fr: 'Le service de géocodage ne répond pas. Réessayez plus tard.',
    en: 'The geocoding service is not answering. Try again later.',
  },
  SECTOR_NOT_FOUND: { status: 404, fr: 'Ce secteur est introuvable.', en: 'This sector cannot be found.' },
  SECTOR_RETIRED: {
    status: 409,
    fr: 'Ce secteur a été retiré : il ne peut plus être modifié.',
    en: 'This sector has been retired: it can no longer be changed.',
  },
  SECTOR_NAME_TAKEN: {
    status: 409,
    fr: 'Un secteur actif porte déjà ce nom.',
    en: 'An active sector already has this name.',
  },
  SECTOR_INVALID_GEOMETRY: {
    status: 400,
    fr: 'Le tracé du secteur est invalide : il faut un polygone ou un multipolygone GeoJSON en longitude/latitude.',
    en: "The sector's outline is invalid: a GeoJSON polygon or multipolygon in longitude/latitude is expected.",
  },
  SECTOR_RING_NOT_CLOSED: {
    status: 400,
    fr: "Le tracé du secteur n'est pas fermé : le dernier point doit être le premier.",
    en: "The sector's outline is not closed: the last point must be the first one.",
  },
  SECTOR_TOO_FEW_POINTS: {
    status: 400,
    fr: 'Le tracé du secteur a moins de 4 points (3 sommets et le point de fermeture).',
    en: "The sector's outline has fewer than 4 points (3 vertices and the closing point).",
  },
  SECTOR_TOO_COMPLEX: {
    status: 400,
    fr: 'Le tracé du secteur a trop de points (5 000 au plus).',
    en: "The sector's outline has too many points (5,000 at most).",
  },
  SECTOR_SELF_INTERSECTING: {
    status: 400,
    fr: 'Le tracé du secteur se croise lui-même.',
    en: "The sector's outline crosses itself.",
  },
  SECTOR_INVALID_HOLE: {
    status: 400,
    fr: 'Un trou du secteur sort de son contour ou en chevauche un autre.',
    en: 'A hole of the sector goes outside its outline or overlaps another one.',
  },
  SECTOR_OUTSIDE_COMMUNE: {
    status: 400,
    fr: 'Le tracé du secteur sort de la commune (de l’étendue de ses adresses).',
    en: "The sector's outline goes outside the commune (the extent of its addresses).",
  },
  SECTOR_OVERLAP: {
    status: 409,
    fr: "Ce secteur chevauche d'autres secteurs. Confirmez pour l'enregistrer quand même.",
    en: 'This sector overlaps other sectors. Confirm to save it anyway.',
  },
} as const);

export const { fail } = geoErrors;
