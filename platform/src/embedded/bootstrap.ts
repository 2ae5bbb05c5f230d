import pg from 'pg';
import { quoteIdent, quoteLiteral } from '../db/index.js';
import { withDatabase } from '../db/index.js';

export const OWNER_ROLE = 'vigie_owner';

/**
 * On a cluster we own (embedded), creates the owner role and the database it
 * owns. The owner gets CREATEROLE so that migrations can create the app and
 * operator roles, but it is not a superuser: FORCE ROW LEVEL SECURITY applies to it.
 */
export async function bootstrapDatabase(
  superuserUrl: string,
  database: string,
  ownerPassword: string,
): Promise<string> {
  const client = new pg.Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    const role = await client.query('select 1 from pg_roles where rolname = $1', [OWNER_ROLE]);
    if (role.rowCount === 0) {
      await client.query(
        `create role ${OWNER_ROLE} login createrole nosuperuser password ${quoteLiteral(ownerPassword)}`,
      );
    } else {
      await client.query(
        `alter role ${OWNER_ROLE} login createrole nosuperuser password ${quoteLiteral(ownerPassword)}`,
      );
    }
    const db = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (db.rowCount === 0)
      await client.query(
        `create database ${quoteIdent(database)} owner ${OWNER_ROLE} encoding 'UTF8' template template0`,
      );
  } finally {
    await client.end();
  }
  const u = new URL(withDatabase(superuserUrl, database));
  u.username = OWNER_ROLE;
  u.password = ownerPassword;
  return u.toString();
}
