/** What a password must be: long enough to resist guessing, and not the login itself. */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/** The reason a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, login: string): string | null {
  if ([...password].length < PASSWORD_MIN_LENGTH) return `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
  const p = password.trim().toLowerCase();
  const l = login.trim().toLowerCase();
  if (p === l || (l.includes('@') && p === l.slice(0, l.indexOf('@')))) return 'The password may not be the login.';
  if (new Set(p).size < 3) return 'Use more than two different characters.';
  return null;
}

/** Logins are compared case-insensitively, without surrounding spaces. */
export function normalizeLogin(login: string): string {
  return login.trim().toLowerCase();
}
