// Who is staff: the roles that the server holds to two-factor authentication.
const STAFF = ['police_agent', 'police_chief', 'mairie_admin', 'ccas_agent'];

export function isStaff(roles: ReadonlyArray<{ role: string }>): boolean {
  return roles.some((r) => STAFF.includes(r.role));
}
