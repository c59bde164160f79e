import { randomBytes } from "node:crypto";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import type { Tx } from "../db/client";
import {
  unsafeConsumeChallenge,
  unsafeFindPasskey,
  unsafeInsertChallenge,
  unsafeInsertPasskey,
  unsafeListPasskeys,
  unsafeTouchPasskey,
} from "../repositories/mfa";

/**
 * Passkeys (WebAuthn, @simplewebauthn/server 14) as a second factor. Threats: a replayed
 * assertion, an assertion made for another site, a passkey of another user. The relying party is
 * NEXTAUTH_URL (RP ID = its hostname, origin = its origin), so an assertion for any other origin
 * fails; every challenge is stored server-side, expires after 5 minutes and is consumed by its
 * first use; the credential must belong to the user whose password was just verified.
 *
 * Sign-in asks for a discoverable credential (no allowCredentials), so issuing a challenge needs
 * no email and reveals nothing about which accounts exist or have passkeys.
 */

const CHALLENGE_TTL_MS = 5 * 60_000;

export function relyingParty(): { rpID: string; origin: string; rpName: string } {
  const url = new URL(process.env.NEXTAUTH_URL ?? "http://localhost:3000");
  return { rpID: url.hostname, origin: url.origin, rpName: "Realmgate" };
}

function newChallenge(): string {
  return randomBytes(32).toString("base64url");
}

export async function passkeyRegistrationOptions(db: Tx, user: { id: string; email: string; name: string }) {
  const rp = relyingParty();
  const existing = await unsafeListPasskeys(db, user.id);
  const challenge = newChallenge();
  const options = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(user.id),
    challenge,
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: p.transports })),
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
  });
  await unsafeInsertChallenge(db, { challenge: options.challenge, userId: user.id, purpose: "register", expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS) });
  return options;
}

/** Verifies a registration against a challenge issued to this user; stores the passkey. */
export async function registerPasskey(db: Tx, userId: string, name: string, response: RegistrationResponseJSON): Promise<{ id: string } | null> {
  const rp = relyingParty();
  let consumed = false;
  const result = await verifyRegistrationResponse({
    response,
    expectedChallenge: async (challenge) => (consumed = await unsafeConsumeChallenge(db, challenge, "register", userId)),
    expectedOrigin: rp.origin,
    expectedRPID: rp.rpID,
    requireUserVerification: false,
  }).catch(() => null);
  if (!result?.verified || !consumed) return null;
  const { credential } = result.registrationInfo;
  await unsafeInsertPasskey(db, {
    id: credential.id,
    userId,
    name,
    publicKey: credential.publicKey,
    counter: credential.counter,
    transports: credential.transports ?? [],
  });
  return { id: credential.id };
}

/** Options for the sign-in second step: a fresh challenge, any discoverable credential of this site. */
export async function passkeySignInOptions(db: Tx) {
  const rp = relyingParty();
  const options = await generateAuthenticationOptions({ rpID: rp.rpID, challenge: newChallenge(), userVerification: "preferred" });
  await unsafeInsertChallenge(db, { challenge: options.challenge, userId: null, purpose: "authenticate", expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS) });
  return options;
}

/** Whether `json` is a valid assertion by one of this user's passkeys, for a live challenge. */
export async function verifyPasskeyAssertion(db: Tx, userId: string, json: string): Promise<boolean> {
  let response: AuthenticationResponseJSON;
  try {
    response = JSON.parse(json) as AuthenticationResponseJSON;
  } catch {
    return false;
  }
  if (typeof response?.id !== "string") return false;
  const passkey = await unsafeFindPasskey(db, response.id);
  if (!passkey || passkey.userId !== userId) return false;
  const rp = relyingParty();
  let consumed = false;
  const result = await verifyAuthenticationResponse({
    response,
    expectedChallenge: async (challenge) => (consumed = await unsafeConsumeChallenge(db, challenge, "authenticate", null)),
    expectedOrigin: rp.origin,
    expectedRPID: rp.rpID,
    credential: { id: passkey.id, publicKey: passkey.publicKey, counter: passkey.counter, transports: passkey.transports },
    requireUserVerification: false,
  }).catch(() => null);
  if (!result?.verified || !consumed) return false;
  await unsafeTouchPasskey(db, passkey.id, result.authenticationInfo.newCounter);
  return true;
}
