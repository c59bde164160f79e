import { randomBytes } from "node:crypto";
import { sameBytes } from "./chain";
import { hmac } from "./keys";

/**
 * The realm a cross-realm probe targeted is for operators only, so it is kept beside the event in
 * realmgate_private.audit_target_realms, which the tenant role cannot read; the chain covers the
 * event, not that table. Threat: someone with database write access deleting side rows to hide
 * attempts against a realm (the operators' "attempts against realm X" filter reads them), editing
 * one to blame another realm, or adding one.
 *
 * So the event itself carries a seal of the owner realm (or of "none") in its details, which its
 * record MAC and chain digest cover: `<salt>.<HMAC(K_record, form ‖ salt ‖ realm or "-")>`,
 * base64url. The salt makes every seal different, so a tenant reading its own trail cannot tell a
 * probe of another realm's id from one of an id that exists nowhere, nor test guesses without the
 * key. The verifier (services/audit-integrity.ts) recomputes each seal from the side row and
 * names every event whose side row was deleted, edited or added.
 */

const FORM = "realmgate.audit.target-realm.v1";

const macOf = (recordKey: Buffer, salt: string, realmId: string | null) => hmac(recordKey, `${FORM}\n${salt}\n${realmId?.toLowerCase() ?? "-"}`);

export function sealTargetRealm(recordKey: Buffer, realmId: string | null): string {
  const salt = randomBytes(12).toString("base64url");
  return `${salt}.${macOf(recordKey, salt, realmId).toString("base64url")}`;
}

/** Whether the seal is of this realm (null: of none). A malformed seal matches nothing. */
export function sealMatches(recordKey: Buffer, seal: unknown, realmId: string | null): boolean {
  if (typeof seal !== "string") return false;
  const [salt, mac, extra] = seal.split(".");
  if (!salt || !mac || extra !== undefined) return false;
  return sameBytes(Buffer.from(mac, "base64url"), macOf(recordKey, salt, realmId));
}

/** The details never name the realm: a realm's members may run the verifier on their own chain. */
export type TargetRealmRow = { eventId: bigint; seal: unknown; sideRealmId: string | null; hasSideRow: boolean };

export type TargetRealmProblem = { eventId: string; kind: "deleted" | "edited" | "inserted"; detail: string };

/** Judges each foreign-id denial against its side row (pure; the rows come from repositories/audit-chain.ts). */
export function checkTargetRealms(recordKey: Buffer, rows: Iterable<TargetRealmRow>): { checked: number; problems: TargetRealmProblem[] } {
  const problems: TargetRealmProblem[] = [];
  let checked = 0;
  for (const row of rows) {
    checked++;
    const id = row.eventId.toString();
    if (row.seal === undefined || row.seal === null) {
      // A side row beside an event that never sealed one (events before the migration's watermark are left out by the reader).
      problems.push({ eventId: id, kind: "inserted", detail: `event ${id} has a target-realm row its record never sealed: added afterwards` });
      continue;
    }
    if (sealMatches(recordKey, row.seal, row.sideRealmId)) continue;
    if (row.hasSideRow) problems.push({ eventId: id, kind: "edited", detail: `event ${id}'s target-realm row is not the realm its record sealed: edited` });
    else problems.push({ eventId: id, kind: "deleted", detail: `event ${id} sealed a target realm but its target-realm row is gone: deleted (hides an attempt from "attempts against realm")` });
  }
  return { checked, problems };
}
