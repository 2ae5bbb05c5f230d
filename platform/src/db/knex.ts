import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { APP_ROLE, OPERATOR_ROLE } from './roles.js';

// Dates come back as ISO strings from bigint/numeric-free columns we control;
// int8 (count(*)) is parsed to a number because our counts stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));

export interface DbUrls {
  owner: string;
  app: string;
  operator: string;
}

export function createKnex(connectionString: string, poolMax = 10, applicationName = 'vigie'): Knex {
  return knexFactory({
    client: 'pg',
    connection: { connectionString, application_name: applicationName },
    pool: { min: 0, max: poolMax, idleTimeoutMillis: 10_000 },
    acquireConnectionTimeout: 15_000,
  });
}

/** Derives the app and operator URLs from the owner's when they are not given. */
export function deriveUrls(
  ownerUrl: string,
  opts: {
    appUrl?: string | undefined;
    operatorUrl?: string | undefined;
    appPassword: string;
    operatorPassword: string;
  },
): DbUrls {
  const withRole = (role: string, password: string) => {
    const u = new URL(ownerUrl);
    u.username = role;
    u.password = password;
    return u.toString();
  };
  return {
    owner: ownerUrl,
    app: opts.appUrl ?? withRole(APP_ROLE, opts.appPassword),
    operator: opts.operatorUrl ?? withRole(OPERATOR_ROLE, opts.operatorPassword),
  };
}

/** A URL safe to print: the password is masked. */
export function redactUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '****';
  return u.toString();
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
