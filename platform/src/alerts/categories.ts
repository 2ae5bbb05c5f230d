// The per-commune list of alert categories, seeded with the categories of the
// French neighbourhood-watch networks. Seeding is idempotent: it runs on first
// use and can be called by the commune's onboarding (tenants apply).
import type { Knex } from 'knex';
import type { Severity } from '../notifications/index.js';

export interface CategorySeed {
  slug: string;
  labelFr: string;
  labelEn: string;
  defaultSeverity: Severity;
}

export const DEFAULT_CATEGORIES: readonly CategorySeed[] = [
  {
    slug: 'vehicule-reperage',
    labelFr: 'Véhicule en repérage',
    labelEn: 'Vehicle casing the area',
    defaultSeverity: 'important',
  },
  {
    slug: 'individu-suspect',
    labelFr: 'Individu suspect',
    labelEn: 'Suspicious person',
    defaultSeverity: 'important',
  },
  {
    slug: 'demarchage-frauduleux',
    labelFr: 'Démarchage frauduleux',
    labelEn: 'Fraudulent door-to-door selling',
    defaultSeverity: 'important',
  },
  {
    slug: 'ouverture-absence',
    labelFr: 'Fenêtre ou porte ouverte en l’absence des occupants',
    labelEn: 'Window or door open while the occupants are away',
    defaultSeverity: 'important',
  },
  {
    slug: 'personne-agee',
    labelFr: 'Personne âgée sans nouvelles',
    labelEn: 'Elderly person not heard from',
    defaultSeverity: 'urgent',
  },
  { slug: 'animal-perdu', labelFr: 'Animal perdu', labelEn: 'Lost animal', defaultSeverity: 'info' },
  { slug: 'incident', labelFr: 'Incident', labelEn: 'Incident', defaultSeverity: 'important' },
  { slug: 'information', labelFr: 'Information', labelEn: 'Information', defaultSeverity: 'info' },
];

export interface Category {
  id: string;
  slug: string;
  labelFr: string;
  labelEn: string;
  defaultSeverity: Severity;
  position: number;
  active: boolean;
}

interface CategoryRow {
  id: string;
  slug: string;
  label_fr: string;
  label_en: string;
  default_severity: Severity;
  position: number;
  active: boolean;
}

export function toCategory(r: CategoryRow): Category {
  return {
    id: r.id,
    slug: r.slug,
    labelFr: r.label_fr,
    labelEn: r.label_en,
    defaultSeverity: r.default_severity,
    position: r.position,
    active: r.active,
  };
}

/** Inserts the default categories a commune does not have yet (by slug); a renamed or retired one is left alone. */
export async function seedCategories(trx: Knex.Transaction, tenantId: string): Promise<number> {
  const rows = DEFAULT_CATEGORIES.map((c, i) => ({
    tenant_id: tenantId,
    slug: c.slug,
    label_fr: c.labelFr,
    label_en: c.labelEn,
    default_severity: c.defaultSeverity,
    position: i,
  }));
  const inserted = await trx('alert_categories')
    .insert(rows)
    .onConflict(['tenant_id', 'slug'])
    .ignore()
    .returning('id');
  return inserted.length;
}

/** Active categories in display order, seeding them the first time a commune needs them. */
export async function listCategories(
  trx: Knex.Transaction,
  tenantId: string,
  opts: { includeRetired?: boolean } = {},
): Promise<Category[]> {
  let rows = (await trx('alert_categories').orderBy(['position', 'slug'])) as CategoryRow[];
  if (rows.length === 0) {
    await seedCategories(trx, tenantId);
    rows = (await trx('alert_categories').orderBy(['position', 'slug'])) as CategoryRow[];
  }
  return rows.map(toCategory).filter((c) => opts.includeRetired || c.active);
}

export async function categoryBySlug(
  trx: Knex.Transaction,
  tenantId: string,
  slug: string,
): Promise<Category | undefined> {
  const all = await listCategories(trx, tenantId, { includeRetired: true });
  return all.find((c) => c.slug === slug);
}

export async function categoriesById(
  trx: Knex.Transaction,
  ids: readonly string[],
): Promise<Map<string, Category>> {
  if (ids.length === 0) return new Map();
  const rows = (await trx('alert_categories').whereIn('id', [...new Set(ids)])) as CategoryRow[];
  return new Map(rows.map((r) => [r.id, toCategory(r)]));
}
