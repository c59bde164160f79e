/**
 * The password strength rule (pure): the server applies it to password changes and sign-ups
 * through an invitation, and the forms check it first so the field says why at once.
 */

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 1024;

/** The problem with a new password, worded for its field, or null: at least 12 characters, and not the account's email. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `the new password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `the new password must have at most ${MAX_PASSWORD_LENGTH} characters`;
  const lowered = password.trim().toLowerCase();
  const address = email.trim().toLowerCase();
  if (lowered === address || lowered === address.split("@")[0]) return "the new password must not be your email address";
  return null;
}
