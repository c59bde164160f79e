import { DomainError } from "../../../errors";
import { acquireStreamSlot, onAccessRevoked } from "../../../services/access-revocations";
import { realmEvents } from "../../../services/realm-hub";
import { realmAction, streamStillAllowed } from "../../trpc";

/**
 * Live updates (server-sent events) for the caller's realm only; payloads carry ids only.
 *
 * Threat: a stream that outlives the access it was opened with (a removed member, a revoked or
 * expired break-glass grant, a revoked session or sign-out). The stream races the realm's events
 * with the user's revocation signal (services/access-revocations.ts) and a periodic check, and
 * on either re-validates exactly what the procedure chain checked: the session is live and the
 * caller's membership or grant still resolves to this realm with vm.read. If not, or if the
 * check keeps failing (fail closed), the stream ends. Streams per user are capped.
 */

/** Expiries (a grant's or a session's) announce nothing: re-checked this often. */
export const REVALIDATE_INTERVAL_MS = 30_000;
const CHECK_RETRY_MS = 1_000;
const MAX_CHECK_FAILURES = 3;


export const onChange = realmAction("vm.read")
  .use(async ({ ctx, next, signal }) => {
    // A browser's stream: its re-validation follows the session (API clients follow operations).
    if (ctx.token) throw new DomainError("unauthorized", "live updates need a signed-in session; API clients follow /api/v1/operations/{id}?wait=");
    // Taken before the stream starts, so the 9th stream is refused with TOO_MANY_REQUESTS
    // rather than opened and failed; released when the stream ends or the client goes away.
    const releaseSlot = acquireStreamSlot(ctx.user.id);
    signal?.addEventListener("abort", releaseSlot, { once: true });
    try {
      return await next({ ctx: { ...ctx, releaseSlot } });
    } catch (error) {
      releaseSlot();
      throw error;
    }
  })
  .subscription(async function* ({ ctx, signal }) {
    const revoked = new AbortController();
    const stop = signal ? AbortSignal.any([signal, revoked.signal]) : revoked.signal;
    let failures = 0;
    const revalidate = () => {
      streamStillAllowed(ctx, "vm.read").then(
        (allowed) => {
          failures = 0;
          if (!allowed) revoked.abort();
        },
        // A failed check is retried (a database restart drops pooled connections); one that
        // keeps failing ends the stream (fail closed).
        () => {
          if (++failures >= MAX_CHECK_FAILURES) revoked.abort();
          else setTimeout(revalidate, CHECK_RETRY_MS).unref();
        },
      );
    };
    let unsubscribe = () => {};
    const timer = setInterval(revalidate, REVALIDATE_INTERVAL_MS);
    timer.unref();
    try {
      unsubscribe = await onAccessRevoked(ctx.user.id, revalidate);
      // A revocation committed between the procedure's checks and the LISTEN above is caught here.
      revalidate();
      for await (const event of realmEvents(ctx.realm.id, stop)) {
        // Console output is for its own session's stream (vm/console.ts), not every page of the realm.
        if (event.kind === "console") continue;
        yield { kind: event.kind, vmId: event.vmId ?? null, operationId: event.operationId ?? null };
      }
    } catch (error) {
      // Access ended (or the client left): the stream ends quietly.
      if (!stop.aborted) throw error;
    } finally {
      clearInterval(timer);
      unsubscribe();
      ctx.releaseSlot();
    }
  });
