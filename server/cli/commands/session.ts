import type { Command } from "commander";
import { connect, ok } from "../client";
import {
  configFile,
  normalizeUrl,
  readStoredConfig,
  removeStoredConfig,
  resolveSettings,
  writeStoredConfig,
} from "../config";
import { withJson, type Ctx, type JsonOption } from "../context";
import { UsageError } from "../errors";
import { readLine, readSecret } from "../io";

/** realmgate login | logout | whoami */

const TOKEN_SHAPE = /^rgt_[a-z2-7]{16}_[A-Za-z0-9]{32}$/;

export function sessionCommands(program: Command, ctx: Ctx): void {
  withJson(
    program
      .command("login")
      .description("check an API token and save it (with the URL) in your config file, readable by you only")
      .option("--url <url>", "the server (default: REALMGATE_URL, the saved one, or http://localhost:3000)")
      .option(
        "--token <token>",
        "the API token (default: asked for on stdin; tokens are made on the console's API page)",
      ),
  ).action(async (options: JsonOption & { url?: string; token?: string }) => {
    const settings = resolveSettings(ctx.io.env, { url: options.url });
    const url = normalizeUrl(settings.url);
    let token = options.token?.trim();
    if (!token)
      token = (
        ctx.io.stdin.isTTY ? await readSecret(ctx.io, "API token: ") : await readLine(ctx.io, "API token: ")
      )?.trim();
    if (!token) throw new UsageError("no token given: pass --token or type it when asked");
    if (!TOKEN_SHAPE.test(token))
      ctx.warn("warning: this does not look like a Realmgate API token (rgt_…); checking it anyway");
    const connection = connect({ url, token });
    const realm = await ok(connection, connection.api.GET("/realm"));
    writeStoredConfig(settings.configFile, { url, token });
    if (options.json) ctx.json(realm);
    ctx.say(
      options.json,
      `logged in to ${url} as ${realm.role} of ${realm.org.name} (realm ${realm.id}); saved to ${settings.configFile}`,
    );
    if (ctx.io.env.REALMGATE_TOKEN?.trim())
      ctx.warn("note: REALMGATE_TOKEN is set and takes precedence over the saved token");
  });

  program
    .command("logout")
    .description("forget the saved token (the token itself stays valid: revoke it with realmgate token revoke)")
    .action(() => {
      const file = configFile(ctx.io.env);
      const stored = readStoredConfig(file);
      const removed = removeStoredConfig(file);
      ctx.say(
        false,
        removed ? `removed ${file}${stored?.url ? ` (${stored.url})` : ""}` : "not logged in (no saved token)",
      );
      if (ctx.io.env.REALMGATE_TOKEN?.trim()) ctx.warn("note: REALMGATE_TOKEN is still set in your environment");
    });

  withJson(program.command("whoami").description("the realm, role and permissions of the token in use")).action(
    async (options: JsonOption) => {
      const settings = ctx.settings();
      const connection = ctx.connection();
      const realm = await ok(connection, connection.api.GET("/realm"));
      if (options.json) return ctx.json(realm);
      ctx.say(
        false,
        [
          `Server:      ${settings.url} (from ${settings.urlFrom})`,
          `Token:       from ${settings.tokenFrom}`,
          `Realm:       ${realm.id} (${realm.category})`,
          `Org:         ${realm.org.name} (${realm.org.slug})`,
          `Role:        ${realm.role}`,
          `Permissions: ${realm.permissions.join(", ") || "none"}`,
        ].join("\n"),
      );
    },
  );
}
