import type { Command } from "commander";
import { connect, type Connection } from "./client";
import { resolveSettings, type Settings } from "./config";
import { CliError, UsageError } from "./errors";
import type { Io } from "./io";
import { outcome, followOperation, progressPrinter } from "./wait";
import type { components } from "./api-types";

/**
 * What every command gets: the process (io), the settings and a connection made on first use,
 * and the two ways to answer: human text (stdout, or stderr under --json) or the API's JSON.
 */

export type Accepted = components["schemas"]["Accepted"];

export class Ctx {
  exitCode = 0;
  private settingsCache: Settings | null = null;
  private connectionCache: Connection | null = null;

  constructor(readonly io: Io) {}

  settings(): Settings {
    return (this.settingsCache ??= resolveSettings(this.io.env));
  }

  connection(): Connection {
    return (this.connectionCache ??= connect(this.settings()));
  }

  /** Human output: stdout, unless --json reserves stdout for the document. */
  say(json: boolean | undefined, text: string): void {
    (json ? this.io.stderr : this.io.stdout).write(`${text}\n`);
  }

  /** One JSON document on stdout and nothing else. */
  json(value: unknown): void {
    this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  warn(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  /**
   * A lifecycle request's answer: without --wait, the operation to follow; with --wait, its
   * steps as they happen, then success (exit 0) or its error (exit 1).
   */
  async accepted(answer: Accepted, options: WaitOptions & JsonOption, what: string): Promise<void> {
    if (!options.wait) {
      if (options.json) this.json(answer);
      else
        this.say(
          false,
          `${what}: accepted as operation ${answer.operationId}\n  follow it with: realmgate op wait ${answer.operationId}`,
        );
      return;
    }
    await this.follow(answer.operationId, options, `${what}: operation ${answer.operationId}`);
  }

  async follow(operationId: string, options: WaitOptions & JsonOption, header: string): Promise<void> {
    const stream = options.json ? this.io.stderr : this.io.stdout;
    const op = await followOperation(this.connection(), operationId, {
      timeoutSeconds: options.timeout ?? DEFAULT_TIMEOUT_SECONDS,
      progress: progressPrinter(stream, header),
    });
    const { exitCode, message } = outcome(op);
    if (options.json) this.json(op);
    if (exitCode === 0) this.say(options.json, message);
    else this.warn(message);
    this.exitCode = exitCode;
  }
}

export type JsonOption = { json?: boolean };
export type WaitOptions = { wait?: boolean; timeout?: number };

export const DEFAULT_TIMEOUT_SECONDS = 600;

export function positiveInt(name: string, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max)
      throw new UsageError(`${name} must be a whole number from 1 to ${max} (got ${value})`);
    return Number(value);
  };
}

export const withJson = (command: Command) =>
  command.option("--json", "print the API's JSON answer (one document) and nothing else on stdout");

export const withWait = (command: Command) =>
  withJson(command)
    .option("-w, --wait", "follow the operation, showing each step; exit 1 if it fails")
    .option(
      "--timeout <seconds>",
      `with --wait, give up after this long (default ${DEFAULT_TIMEOUT_SECONDS})`,
      positiveInt("--timeout"),
    );

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isId = (ref: string) => UUID.test(ref);

/**
 * A name or an id: an id is used as given (a foreign one then answers "not found" like a
 * missing one); a name is looked up in the list.
 */
export async function resolveRef<T extends { id: string; name: string }>(
  ref: string,
  kind: string,
  list: () => Promise<T[]>,
): Promise<{ id: string; label: string }> {
  if (isId(ref)) return { id: ref.toLowerCase(), label: `${kind} ${ref}` };
  const matches = (await list()).filter((item) => item.name === ref);
  if (matches.length === 0) throw new CliError(`${kind} ${ref} not found`);
  if (matches.length > 1)
    throw new UsageError(
      `${matches.length} ${kind}s are named ${ref}: give the id (${matches.map((m) => m.id).join(", ")})`,
    );
  return { id: matches[0]!.id, label: `${kind} ${ref}` };
}
