import { ok, type Connection } from "./client";
import { CliError, EXIT_FAILED } from "./errors";
import { operationSummary, stepKey, stepLine, visibleSteps, type Operation } from "./render";

/**
 * `--wait`: follows an operation (GET /operations/{id}?wait=… in a loop) and prints each step as
 * it changes. A spinner turns beside the running step only when the stream is a terminal; in a
 * pipe or a log, each change is one plain line.
 */

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
/** Each poll waits at most this long on the server: steps show up within it. */
const POLL_WAIT_SECONDS = 1;

export type Progress = {
  update(op: Operation): void;
  done(): void;
};

export function progressPrinter(stream: NodeJS.WritableStream & { isTTY?: boolean }, header: string): Progress {
  const printed = new Set<string>();
  const tty = Boolean(stream.isTTY);
  let spinner: ReturnType<typeof setInterval> | null = null;
  let frame = 0;
  let status = "";
  const clear = () => tty && stream.write("\r\x1b[2K");
  const draw = () => {
    if (!tty || !status) return;
    clear();
    stream.write(`${FRAMES[frame++ % FRAMES.length]} ${status}`);
  };
  stream.write(`${header}\n`);
  return {
    update(op) {
      const fresh = visibleSteps(op).filter((step) => !printed.has(stepKey(step)) && step.status !== "running");
      if (fresh.length > 0) {
        clear();
        for (const step of fresh) {
          printed.add(stepKey(step));
          stream.write(`${stepLine(step)}\n`);
        }
      }
      const running = op.steps.find((s) => s.status === "running");
      status = op.done
        ? ""
        : running
          ? `${running.name}${running.detail ? ` (${running.detail})` : ""}…`
          : `waiting to be ${op.steps.find((s) => s.status === "pending")?.name ?? "done"}…`;
      if (!tty && running && !printed.has(stepKey(running))) {
        printed.add(stepKey(running));
        stream.write(`${stepLine(running)}\n`);
      }
      if (tty && !op.done && !spinner) spinner = setInterval(draw, 100);
      draw();
    },
    done() {
      if (spinner) clearInterval(spinner);
      spinner = null;
      status = "";
      clear();
    },
  };
}

export async function followOperation(
  connection: Connection,
  operationId: string,
  options: { timeoutSeconds: number; progress?: Progress },
): Promise<Operation> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  try {
    for (;;) {
      let op: Operation;
      try {
        op = await ok(
          connection,
          connection.api.GET("/operations/{operationId}", {
            params: { path: { operationId }, query: { wait: POLL_WAIT_SECONDS } },
          }),
          `operation ${operationId}`,
        );
      } catch (error) {
        // Rate limited while following: wait as told (within the deadline) and ask again.
        const retryAfter = error instanceof CliError ? error.http?.retryAfterSeconds : null;
        if (
          error instanceof CliError &&
          error.http?.status === 429 &&
          retryAfter != null &&
          Date.now() + retryAfter * 1000 < deadline
        ) {
          await new Promise((resolve) => setTimeout(resolve, Math.max(retryAfter, 1) * 1000));
          continue;
        }
        throw error;
      }
      options.progress?.update(op);
      if (op.done) return op;
      if (Date.now() >= deadline) {
        throw new CliError(
          `gave up waiting after ${options.timeoutSeconds} s: the operation is still ${op.status} (follow it with: realmgate op wait ${operationId})`,
        );
      }
    }
  } finally {
    options.progress?.done();
  }
}

/** Exit code of a finished operation: 0 succeeded, 1 failed (its error printed by the caller). */
export function outcome(op: Operation): { exitCode: number; message: string } {
  return { exitCode: op.status === "succeeded" ? 0 : EXIT_FAILED, message: operationSummary(op) };
}
