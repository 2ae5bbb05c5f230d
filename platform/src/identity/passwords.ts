// The native argon2 binding (about 3 MB resident) loads with the first
// password hashed or checked: an API serving sessions only never needs it.
const argon2 = () => import('@node-rs/argon2');

// Algorithm.Argon2id (a const enum, which isolated modules cannot import).
const ARGON2ID = 2;

// argon2id with OWASP's recommended floor (19 MiB, 2 passes). A dummy hash is
// verified when an account does not exist, so that response time does not tell
// whether an email is registered.
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 10;

export async function hashPassword(password: string): Promise<string> {
  return (await argon2()).hash(password, OPTIONS);
}

let dummy: Promise<string> | undefined;

export async function verifyPassword(hashed: string | null | undefined, password: string): Promise<boolean> {
  const { verify } = await argon2();
  if (!hashed) {
    dummy ??= hashPassword('not-a-real-password-just-for-timing');
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(hashed, password);
  } catch {
    return false;
  }
}

/** Null when acceptable, otherwise a reason code. */
export type PasswordProblem =
  'PASSWORD_TOO_SHORT' | 'PASSWORD_TOO_LONG' | 'PASSWORD_TOO_PERSONAL' | 'PASSWORD_TOO_SIMPLE';

export function passwordProblem(password: string, context: string[] = []): PasswordProblem | null {
  if (password.length < MIN_PASSWORD_LENGTH) return 'PASSWORD_TOO_SHORT';
  if (password.length > 256) return 'PASSWORD_TOO_LONG';
  const lower = password.toLowerCase();
  if (context.some((c) => c.length >= 4 && lower.includes(c.toLowerCase()))) return 'PASSWORD_TOO_PERSONAL';
  if (new Set(password).size < 4) return 'PASSWORD_TOO_SIMPLE';
  return null;
}
