import { z } from "zod";
import { CONSOLE_INPUT_MAX } from "../../../contracts/agent";
import { id, vmMutationInput } from "../../../contracts/vm";
import { DomainError } from "../../../errors";
import { closeConsole, openConsole, readConsole, resolveSession, sendInput, streamHeartbeat, streamRead } from "../../../services/console";
import { realmEvents } from "../../../services/realm-hub";
import { realmAction, router, streamStillAllowed, vmAction } from "../../trpc";
import { actorScope } from "../actor-scope";

/**
 * vm.console.*: a running VM's serial console, behind vm.console (operator-role members and up).
 *
 * Threat: reading or typing into another realm's (or another member's) console. Every procedure
 * resolves the VM or the session inside the caller's realm, for the caller (a foreign or someone
 * else's session answers NOT_FOUND, as a missing one); the web tier never reaches an agent: the
 * worker relays, and the agent asks XSM with the realm's management domain as subject. The stream
 * re-checks, every heartbeat, that the member may still use the console in this realm and that the
 * session is open; input is size-limited per call and back-pressured per session.
 */

const consoleIdInput = z.object({ consoleId: id }).strict();
const sendInputSchema = z
  .object({
    consoleId: id,
    data: z
      .string({ error: "data is required" })
      .min(1, "data must not be empty")
      .max(CONSOLE_INPUT_MAX, `data must be at most ${CONSOLE_INPUT_MAX} characters`),
  })
  .strict();
const cursor = z
  .string()
  .regex(/^\d{1,18}$/, "after must be a cursor from a previous read")
  .default("0");
const readInput = z.object({ consoleId: id, after: cursor }).strict();

const TAGS = ["Console"];
const consoleStatus = z.enum(["opening", "open", "closed"]);
const outputPage = z
  .object({
    status: consoleStatus,
    closeReason: z.string().nullable(),
    chunks: z.array(z.object({ id: z.string(), data: z.string() })),
    cursor: z.string().meta({ description: "Pass as `after` to read what follows" }),
  })
  .meta({ id: "ConsoleOutput" });

const open = vmAction("vm.console", vmMutationInput)
  .meta({
    openapi: {
      method: "POST",
      path: "/vms/{vmId}/console",
      tags: TAGS,
      summary: "Open a running VM's serial console",
      description: "Audited (vm.console.open). The worker opens it at the VM's host; read the boot log and answers with GET /consoles/{consoleId}/output. Closed after REALMGATE_CONSOLE_IDLE_MS (default ten minutes) without input or an open stream.",
    },
  })
  .output(z.object({ consoleId: z.uuid() }).meta({ id: "ConsoleOpened" }))
  .mutation(({ ctx }) => openConsole(ctx.db, actorScope(ctx), ctx.vm));

const send = realmAction("vm.console")
  .meta({ openapi: { method: "POST", path: "/consoles/{consoleId}/input", tags: TAGS, summary: "Type into a console", description: "Keystrokes as the terminal sends them (a line ends with \\r); at most 1,024 characters a call." } })
  .input(sendInputSchema)
  .output(z.object({ accepted: z.number().int() }))
  .mutation(({ ctx, input }) => sendInput(ctx.db, actorScope(ctx), input.consoleId, input.data));

const close = realmAction("vm.console")
  .meta({ openapi: { method: "POST", path: "/consoles/{consoleId}/close", tags: TAGS, summary: "Close a console", description: "Audited (vm.console.close) the first time." } })
  .input(consoleIdInput)
  .output(z.object({ closed: z.boolean() }))
  .mutation(({ ctx, input }) => closeConsole(ctx.db, actorScope(ctx), input.consoleId));

/** Output after a cursor: the polling fallback (and what an API client uses). */
const read = realmAction("vm.console")
  .meta({ openapi: { method: "GET", path: "/consoles/{consoleId}/output", tags: TAGS, summary: "A console's output after a cursor" } })
  .input(readInput)
  .output(outputPage)
  .query(({ ctx, input }) => readConsole(ctx.db, actorScope(ctx), input.consoleId, BigInt(input.after)));

/** The stream re-validates this often (and keeps the session alive while the browser listens). */
export const CONSOLE_HEARTBEAT_MS = 15_000;


/**
 * Output as it arrives (server-sent events, like vm.onChange): everything after the cursor first,
 * then each time the relay announces output for this session. Ends when the session closes, the
 * member loses the console permission or the browser goes away.
 */
const stream = realmAction("vm.console")
  .input(readInput)
  .use(async ({ ctx, input, next }) => {
    // Resolved inside the realm transaction first, so a foreign id answers as a missing one
    // whatever the credential; then: a browser's stream only (API clients poll vm.console.read).
    await resolveSession(ctx.db, actorScope(ctx), input.consoleId);
    if (ctx.token) throw new DomainError("forbidden", "the console stream needs a signed-in session; API clients poll vm.console.read");
    return next();
  })
  .subscription(async function* ({ ctx, input, signal }) {
    const realmId = ctx.realm.id;
    const ended = new AbortController();
    const stop = signal ? AbortSignal.any([signal, ended.signal]) : ended.signal;
    let after = BigInt(input.after);
    const heartbeat = setInterval(() => {
      streamStillAllowed(ctx, "vm.console").then(
        (allowed) => (allowed ? streamHeartbeat(ctx.platformDb, realmId, input.consoleId) : ended.abort()),
        () => ended.abort(),
      );
    }, CONSOLE_HEARTBEAT_MS);
    heartbeat.unref();
    try {
      await streamHeartbeat(ctx.platformDb, realmId, input.consoleId);
      for await (const event of realmEvents(realmId, stop)) {
        if (event.kind === "console" && event.consoleId !== input.consoleId) continue;
        if (event.kind !== "console" && event.kind !== "sync") continue;
        const page = await streamRead(ctx.platformDb, realmId, input.consoleId, after);
        if (!page) return;
        // Each row with its id: a client that reconnects (and is sent everything again) skips what it has.
        if (page.chunks.length > 0) {
          after = BigInt(page.cursor);
          yield { chunks: page.chunks, cursor: page.cursor, status: page.status, closeReason: page.closeReason };
        } else if (page.status === "closed") {
          yield { chunks: [], cursor: page.cursor, status: page.status, closeReason: page.closeReason };
        }
        if (page.status === "closed") return;
      }
    } catch (error) {
      if (!stop.aborted) throw error;
    } finally {
      clearInterval(heartbeat);
    }
  });

export const consoleRouter = router({ open, send, close, read, stream });
