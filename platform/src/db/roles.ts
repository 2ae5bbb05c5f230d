// Three roles, three powers. The owner runs migrations and owns every table.
// The application role owns nothing and cannot bypass row-level security, so a
// forgotten WHERE tenant_id = … cannot leak another commune's rows. The operator
// role is the separate code path of platform operators (tenant onboarding).
import type { Knex } from 'knex';

export const APP_ROLE = 'vigie_app';
export const OPERATOR_ROLE = 'vigie_operator';

export interface RolePasswords {
  app: string;
  operator: string;
}

/** Creates the login roles when the owner may (CREATEROLE); otherwise they must already exist. */
export async function ensureRoles(owner: Knex, passwords: RolePasswords): Promise<void> {
  for (const [role, password] of [
    [APP_ROLE, passwords.app],
    [OPERATOR_ROLE, passwords.operator],
  ] as const) {
    const exists = await owner.raw('select 1 from pg_roles where rolname = ?', [role]);
    if (exists.rows.length === 0) {
      await owner.raw(
        `create role ${role} login nosuperuser nocreatedb nocreaterole nobypassrls password ${quoteLiteral(password)}`,
      );
    } else {
      const canAlter = await owner.raw(
        'select rolsuper or rolcreaterole as can from pg_roles where rolname = current_user',
      );
      if (canAlter.rows[0]?.can)
        await owner.raw(`alter role ${role} with login password ${quoteLiteral(password)}`);
    }
  }
  const db = await owner.raw('select current_database() as name');
  const name = db.rows[0].name as string;
  await owner.raw(`grant connect on database ${quoteIdent(name)} to ${APP_ROLE}, ${OPERATOR_ROLE}`);
  await owner.raw(`grant usage on schema public to ${APP_ROLE}, ${OPERATOR_ROLE}`);
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function quoteIdent(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}
