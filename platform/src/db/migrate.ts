// The migration runner: the core's migrations first, then each plugin's, in
// dependency order. Every migration is a module exporting `up` and `down`, so
// each one can be rolled back (and the tests roll them all back and forth).
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import type { Knex } from 'knex';

export interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
  /** Set to false for statements that cannot run in a transaction. */
  config?: { transaction?: boolean };
}

export interface MigrationSet {
  /** Prefix of every migration name: `core` or the plugin id. */
  owner: string;
  directory: URL;
}

interface Entry {
  name: string;
  file: string;
}

export const CORE_MIGRATIONS: MigrationSet = {
  owner: 'core',
  directory: new URL('../../migrations/', import.meta.url),
};

async function listSet(set: MigrationSet): Promise<Entry[]> {
  const dir = fileURLToPath(set.directory);
  const files = (await readdir(dir)).filter((f) => /^\d{4}_[\w-]+\.ts$/.test(f)).sort();
  return files.map((f) => ({ name: `${set.owner}/${f.replace(/\.ts$/, '')}`, file: path.join(dir, f) }));
}

export function migrationSource(sets: MigrationSet[]): Knex.MigrationSource<Entry> {
  return {
    async getMigrations() {
      const all: Entry[] = [];
      for (const set of sets) all.push(...(await listSet(set)));
      return all;
    },
    getMigrationName: (m) => m.name,
    async getMigration(m) {
      const mod = (await import(pathToFileURL(m.file).href)) as MigrationModule;
      if (typeof mod.up !== 'function' || typeof mod.down !== 'function') {
        throw new Error(`Migration ${m.name} must export up() and down()`);
      }
      return mod;
    },
  };
}

function migratorConfig(sets: MigrationSet[]): Knex.MigratorConfig {
  return {
    migrationSource: migrationSource(sets),
    tableName: 'vigie_migrations',
    disableMigrationsListValidation: false,
  };
}

export async function migrateLatest(owner: Knex, sets: MigrationSet[]): Promise<string[]> {
  const [, applied] = (await owner.migrate.latest(migratorConfig(sets))) as [number, string[]];
  return applied;
}

export async function migrateRollbackAll(owner: Knex, sets: MigrationSet[]): Promise<string[]> {
  const [, rolled] = (await owner.migrate.rollback(migratorConfig(sets), true)) as [number, string[]];
  return rolled;
}

export async function migrationStatus(
  owner: Knex,
  sets: MigrationSet[],
): Promise<{ completed: string[]; pending: string[] }> {
  const [completed, pending] = (await owner.migrate.list(migratorConfig(sets))) as [
    Array<{ name: string }>,
    Entry[],
  ];
  return { completed: completed.map((c) => c.name), pending: pending.map((p) => p.name) };
}
