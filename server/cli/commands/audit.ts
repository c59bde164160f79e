import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type { Command } from "commander";
import { deriveAuditKeys } from "../../audit-chain/keys";
import { verifyExport, type ExportVerifyReport } from "../../audit-chain/verify-export";
import type { components } from "../api-types";
import { ok } from "../client";
import { withJson, type Ctx, type JsonOption } from "../context";
import { CliError, describeApiFailure, EXIT_FAILED, NOT_LOGGED_IN, UsageError } from "../errors";

/**
 * realmgate audit verify | export: the tamper-evident trail from a terminal.
 * - `verify` asks the server to verify the token's realm's chain (GET /audit/verify: record MACs,
 *   digests, tags, signed checkpoints), or, with --file, verifies an export offline with the
 *   public key alone (no server, no secret; REALMGATE_AUDIT_SECRET with --with-secret adds MACs
 *   and tags). Exit 1 when a chain is bad, naming its first bad record.
 * - `export` streams GET /audit/export (NDJSON or CSV, with the trail's filters) to a file or
 *   stdout as it arrives.
 * An API token acts in its own realm only: operators verify every chain on the console's
 * Integrity page (a session), or export with a session and verify the file here.
 */

type VerifyReport = components["schemas"]["AuditVerifyReport"];
type Chain = { realmId: string | null; org?: string | null; ok: boolean; recordsVerified: number; headSeq: string; checkpointSeq: string | null; firstBad: { seq: string | null; eventId: string | null; kind: string; detail: string } | null };

const FILTERS = ["actor", "action", "target", "decision", "layer", "from", "to"] as const;
type FilterOptions = Partial<Record<(typeof FILTERS)[number], string>>;

export function auditIntegrityCommands(audit: Command, ctx: Ctx): void {
  withJson(
    audit
      .command("verify")
      .description("verify the audit chain: your realm's on the server, or an export file offline (--file); exit 1 on a bad chain")
      .option("--realm <slug|id>", "the realm to verify (a token verifies its own realm only; this checks it is the one meant)")
      .option("-f, --file <export>", "verify an export file (NDJSON or CSV; - for stdin) offline, without the server")
      .option("--public-key <base64|file>", "with --file: the Ed25519 public key (32 bytes, base64; or a file holding it), obtained independently of the file")
      .option("--with-secret", "with --file: also check record MACs and chain tags with REALMGATE_AUDIT_SECRET (from the environment)"),
  ).action(async (options: JsonOption & { realm?: string; file?: string; publicKey?: string; withSecret?: boolean }) => {
    if (options.file !== undefined) return verifyFile(ctx, options.file, options);
    if (options.publicKey || options.withSecret) throw new UsageError("--public-key and --with-secret go with --file (offline verification)");
    const connection = ctx.connection();
    if (options.realm) {
      const realm = await ok(connection, connection.api.GET("/realm"));
      const wanted = options.realm.toLowerCase();
      if (wanted !== realm.id.toLowerCase() && wanted !== realm.org.slug.toLowerCase()) {
        throw new CliError(
          `this API token acts in ${realm.org.slug} (realm ${realm.id}), not ${options.realm}: a token verifies its own realm's chain only (operators: the console's Integrity page, or verify an export with --file)`,
        );
      }
    }
    const report = await ok(connection, connection.api.GET("/audit/verify"));
    if (options.json) ctx.json(report);
    else ctx.say(false, renderServerReport(report));
    ctx.exitCode = report.ok ? 0 : EXIT_FAILED;
  });

  let export_ = audit
    .command("export")
    .description("download the realm's audit trail with its chain data (streamed), to verify offline or archive")
    .option("--format <format>", "ndjson or csv", "ndjson")
    .option("-o, --output <file>", "write to this file (default: stdout)");
  for (const name of FILTERS) {
    const what = {
      actor: "a user or token id, system, or words of the actor's email, name or token name",
      action: 'an action ("vm.start") or its family ("vm")',
      target: "a target id, or words of its name",
      decision: "allow or deny",
      layer: "trpc, database, hypervisor, worker or auth",
      from: "events at or after this time (ISO 8601)",
      to: "events before this time (ISO 8601)",
    }[name];
    export_ = export_.option(`--${name} <value>`, what);
  }
  export_.action(async (options: FilterOptions & { format: string; output?: string }) => {
    if (options.format !== "ndjson" && options.format !== "csv") throw new UsageError(`--format must be ndjson or csv (got ${options.format})`);
    const settings = ctx.settings();
    if (!settings.token) throw new CliError(NOT_LOGGED_IN);
    const query = new URLSearchParams({ format: options.format });
    for (const name of FILTERS) if (options[name] !== undefined) query.set(name, options[name]!);
    let response: Response;
    try {
      response = await fetch(`${settings.url}/api/v1/audit/export?${query}`, { headers: { authorization: `Bearer ${settings.token}`, "user-agent": "realmgate-cli" } });
    } catch (error) {
      throw new CliError(`cannot reach ${settings.url}: ${(error as Error).message}`);
    }
    if (!response.ok || !response.body) {
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* plain text */
      }
      throw new CliError(describeApiFailure({ status: response.status, body, tokenSent: true, retryAfter: response.headers.get("retry-after") }));
    }
    const source = Readable.fromWeb(response.body as NodeReadableStream);
    if (options.output) {
      await pipeline(source, createWriteStream(options.output, { mode: 0o600 }));
      ctx.warn(`wrote ${options.output}; verify it with: realmgate audit verify --file ${options.output} --public-key <key>`);
    } else {
      await pipeline(source, ctx.io.stdout, { end: false });
    }
  });
}

async function verifyFile(ctx: Ctx, file: string, options: JsonOption & { publicKey?: string; withSecret?: boolean }): Promise<void> {
  if (!options.publicKey) throw new UsageError("--file needs --public-key: the installation's public key (operators: the Integrity page, or GET /api/v1/operator/audit/public-key), obtained independently of the file");
  const publicKey = readPublicKey(options.publicKey);
  let keys: { record: Buffer; chain: Buffer } | null = null;
  if (options.withSecret) {
    const secret = ctx.io.env.REALMGATE_AUDIT_SECRET;
    if (!secret) throw new UsageError("--with-secret reads REALMGATE_AUDIT_SECRET from the environment, which is not set");
    const derived = deriveAuditKeys(secret);
    if (!derived.publicKeyRaw.equals(publicKey)) throw new UsageError("REALMGATE_AUDIT_SECRET is not the secret of this public key");
    keys = { record: derived.record, chain: derived.chain };
  }
  // Two passes over the file (the checkpoints come last): stdin is kept in a temporary file.
  let temp: string | null = null;
  let name = file;
  if (file === "-") {
    temp = mkdtempSync(path.join(os.tmpdir(), "realmgate-verify-"));
    name = path.join(temp, "export");
    await pipeline(ctx.io.stdin, createWriteStream(name, { mode: 0o600 }));
  } else if (!existsSync(file)) throw new UsageError(`no such file: ${file}`);
  try {
    const report = await verifyExport(() => createReadStream(name, { highWaterMark: 1 << 20 }), { publicKey, keys });
    if (options.json) ctx.json(report);
    else ctx.say(false, renderFileReport(file === "-" ? "stdin" : file, report));
    ctx.exitCode = report.ok ? 0 : EXIT_FAILED;
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

/** 32 raw bytes from base64 (given, or in a file: base64 text, JSON with publicKey, or the raw bytes). */
export function readPublicKey(value: string): Buffer {
  let text = value.trim();
  if (existsSync(value)) {
    const bytes = readFileSync(value);
    if (bytes.length === 32) return bytes;
    text = bytes.toString("utf8").trim();
    if (text.startsWith("{")) {
      try {
        text = String((JSON.parse(text) as { publicKey?: unknown }).publicKey ?? "");
      } catch {
        throw new UsageError(`${value} is not a public key (JSON without publicKey)`);
      }
    }
  }
  const raw = /^[A-Za-z0-9+/_-]+=*$/.test(text) ? Buffer.from(text, "base64") : Buffer.alloc(0);
  if (raw.length !== 32) throw new UsageError("--public-key must be an Ed25519 public key: 32 bytes in base64 (44 characters), or a file holding it");
  return raw;
}

const chainName = (c: Chain) => (c.realmId === null ? "platform chain" : `realm ${c.realmId}${c.org ? ` (${c.org})` : ""}`);

function chainLine(c: Chain & { gaps?: number; checkpointMatchedSeq?: string | null }): string {
  if (c.ok) {
    const anchor = c.checkpointSeq === null ? "no signed checkpoint" : c.checkpointMatchedSeq === undefined || c.checkpointMatchedSeq === c.checkpointSeq ? `signed checkpoint at seq ${c.checkpointSeq} matched` : `signed checkpoint at seq ${c.checkpointSeq} not among the records`;
    const gaps = c.gaps ? `, ${c.gaps} gaps (filtered)` : "";
    return `OK   ${chainName(c)}: ${c.recordsVerified} records up to seq ${c.headSeq}${gaps}; ${anchor}`;
  }
  const bad = c.firstBad!;
  const where = bad.seq !== null ? `seq ${bad.seq}${bad.eventId ? ` (event ${bad.eventId})` : ""}` : `event ${bad.eventId}`;
  return `BAD  ${chainName(c)}: first bad record at ${where}: ${bad.kind}\n     ${bad.detail}`;
}

function renderServerReport(report: VerifyReport): string {
  const lines = report.chains.length ? report.chains.map((c) => chainLine(c)) : ["no sealed records yet"];
  for (const invalid of report.checkpoints.invalid) lines.push(`BAD  checkpoint ${invalid.name}: ${invalid.reason}`);
  lines.push("", report.note, report.ok ? "audit chain verified" : "audit chain NOT verified");
  return lines.join("\n");
}

function renderFileReport(file: string, report: ExportVerifyReport): string {
  const lines = [`${file}: ${report.format}, ${report.records} records${report.header ? `, exported ${report.header.exportedAt} (${report.header.scope}${report.header.filtered ? ", filtered" : ""})` : ""}`];
  lines.push(...report.chains.map((c) => chainLine(c)));
  for (const invalid of report.checkpoints.invalid) lines.push(`BAD  checkpoint ${invalid.name}: ${invalid.reason}`);
  for (const problem of report.fileProblems) lines.push(`BAD  file: ${problem}`);
  lines.push("", report.note);
  for (const limit of report.limits) lines.push(`note: ${limit}`);
  lines.push(report.ok ? "export verified" : "export NOT verified");
  return lines.join("\n");
}
