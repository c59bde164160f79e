import type { Command } from "commander";
import type { components } from "../api-types";
import { allPages, ok } from "../client";
import {
  isId,
  positiveInt,
  resolveRef,
  withJson,
  withWait,
  type Ctx,
  type JsonOption,
  type WaitOptions,
} from "../context";
import { CliError } from "../errors";
import { listing, operationDetail, timestamp } from "../render";

/** realmgate op get|wait, audit ls, token ls|revoke. */

type AuditEvent = components["schemas"]["AuditEvent"];
type ApiToken = components["schemas"]["ApiToken"];

const opId = (ref: string) => {
  if (!isId(ref)) throw new CliError(`operation ${ref} not found (an operation id looks like 0b6c1e9a-…)`, 2);
  return ref.toLowerCase();
};

export function operationCommands(program: Command, ctx: Ctx): void {
  const op = program.command("op").alias("operation").description("operations (what lifecycle requests start)");

  withJson(
    op
      .command("get")
      .description("show an operation: status, steps, error")
      .argument("<operation>", "the operation's id"),
  ).action(async (ref: string, options: JsonOption) => {
    const connection = ctx.connection();
    const operationId = opId(ref);
    const data = await ok(
      connection,
      connection.api.GET("/operations/{operationId}", { params: { path: { operationId } } }),
      `operation ${operationId}`,
    );
    if (options.json) ctx.json(data);
    else ctx.say(false, operationDetail(data));
  });

  const wait = withWait(
    op
      .command("wait")
      .description("follow an operation until it is done; exit 1 if it fails")
      .argument("<operation>", "the operation's id"),
  );
  wait.options.find((o) => o.long === "--wait")!.hidden = true;
  wait.action(async (ref: string, options: WaitOptions & JsonOption) => {
    const operationId = opId(ref);
    await ctx.follow(operationId, options, `operation ${operationId}`);
  });
}

export function auditCommands(program: Command, ctx: Ctx): void {
  const audit = program.command("audit").description("the realm's audit trail");
  withJson(
    audit
      .command("ls")
      .alias("list")
      .description("the newest audit events (follows pages up to --limit)")
      .option("-n, --limit <n>", "how many events (default 50)", positiveInt("--limit", 10_000), 50),
  ).action(async (options: JsonOption & { limit: number }) => {
    const connection = ctx.connection();
    const items: AuditEvent[] = [];
    let cursor: string | undefined;
    let nextCursor: string | null = null;
    do {
      const page = await ok(
        connection,
        connection.api.GET("/audit", {
          params: { query: { cursor, limit: Math.min(200, options.limit - items.length) } },
        }),
      );
      items.push(...page.items);
      nextCursor = page.nextCursor;
      cursor = nextCursor ?? undefined;
    } while (cursor && items.length < options.limit);
    if (options.json) ctx.json({ items, nextCursor });
    else
      ctx.say(
        false,
        listing(
          ["TIME", "ACTOR", "ACTION", "TARGET", "DECISION", "REASON"],
          items.map((e) => [
            timestamp(e.createdAt),
            e.actor,
            e.action,
            e.targetId ? `${e.targetType} ${e.targetId}` : e.targetType,
            `${e.decision} (${e.layer})`,
            e.reason,
          ]),
          "no audit events",
        ),
      );
  });
}

export function tokenCommands(program: Command, ctx: Ctx): void {
  const token = program.command("token").description("API tokens (create them on the console's API page)");
  const listTokens = async (all: boolean): Promise<ApiToken[]> => {
    const connection = ctx.connection();
    return allPages(connection, (cursor) =>
      connection.api.GET("/tokens", { params: { query: { all, limit: 200, cursor } } }),
    );
  };

  withJson(
    token
      .command("ls")
      .alias("list")
      .description("list your API tokens, newest first (every page; --json: one {items, nextCursor: null} document)")
      .option("-a, --all", "every member's (owners)"),
  ).action(async (options: JsonOption & { all?: boolean }) => {
    const tokens = await listTokens(Boolean(options.all));
    if (options.json) ctx.json({ items: tokens, nextCursor: null });
    else
      ctx.say(
        false,
        listing(
          ["NAME", "ID", "OWNER", "STATUS", "EXPIRES", "LAST USED", "PERMISSIONS"],
          tokens.map((t) => [
            t.name,
            t.id,
            t.owner,
            t.status,
            t.expiresAt.slice(0, 10),
            t.lastUsedAt && timestamp(t.lastUsedAt).slice(0, 16),
            t.permissions.join(","),
          ]),
          "no tokens",
        ),
      );
  });

  withJson(
    token
      .command("revoke")
      .description("revoke an API token (yours, or as an owner anyone's)")
      .argument("<token>", "the token's name or id")
      .option("-a, --all", "look the name up among every member's tokens (owners)"),
  ).action(async (ref: string, options: JsonOption & { all?: boolean }) => {
    const connection = ctx.connection();
    const { id, label } = await resolveRef(ref, "token", () => listTokens(Boolean(options.all)));
    const revoked = await ok(
      connection,
      connection.api.DELETE("/tokens/{tokenId}", { params: { path: { tokenId: id } } }),
      label,
    );
    if (options.json) ctx.json(revoked);
    else ctx.say(false, `revoked ${label}`);
  });
}
