import type { Command } from "commander";
import type { components } from "../api-types";
import { allPages, ok, type Connection } from "../client";
import {
  positiveInt,
  resolveRef,
  isId,
  withJson,
  withWait,
  type Ctx,
  type JsonOption,
  type WaitOptions,
} from "../context";
import { CliError, UsageError } from "../errors";
import { readLine } from "../io";
import { listing, timestamp, vmDetail, vmTable, type Vm } from "../render";

/** realmgate vm ls|get|create|start|stop|pause|resume|reboot|migrate|destroy|rename|resize|clone|snapshot … */

const PAGE = 200;

export async function listVms(ctx: Ctx): Promise<Vm[]> {
  const connection = ctx.connection();
  const items: Vm[] = [];
  let cursor: string | undefined;
  do {
    const page = await ok(connection, connection.api.GET("/vms", { params: { query: { limit: PAGE, cursor } } }));
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

export const resolveVm = (ctx: Ctx, ref: string) => resolveRef(ref, "VM", () => listVms(ctx));

type OperationRow = components["schemas"]["OperationHistoryPage"]["items"][number];

/** Every snapshot of the VM (page after page). */
const snapshotsOf = (connection: Connection, vmId: string) =>
  allPages(connection, (cursor) => connection.api.GET("/vms/{vmId}/snapshots", { params: { path: { vmId }, query: { limit: PAGE, cursor } } }));

const LIFECYCLE = [
  ["start", "start a stopped VM"],
  ["pause", "pause a running VM"],
  ["resume", "resume a paused VM"],
  ["reboot", "reboot a running VM"],
] as const;

export function vmCommands(program: Command, ctx: Ctx): void {
  const vm = program.command("vm").description("virtual machines of your realm");

  withJson(
    vm
      .command("ls")
      .alias("list")
      .description("list the realm's VMs (every page; --json: one {items, nextCursor: null} document)"),
  ).action(async (options: JsonOption) => {
    const items = await listVms(ctx);
    if (options.json) ctx.json({ items, nextCursor: null });
    else ctx.say(false, items.length ? vmTable(items) : "no VMs");
  });

  withJson(vm.command("get").description("show a VM").argument("<vm>", "the VM's name or id")).action(
    async (ref: string, options: JsonOption) => {
      const connection = ctx.connection();
      const { id, label } = await resolveVm(ctx, ref);
      const data = await ok(connection, connection.api.GET("/vms/{vmId}", { params: { path: { vmId: id } } }), label);
      if (options.json) ctx.json(data);
      else ctx.say(false, vmDetail(data));
    },
  );

  withJson(
    vm
      .command("ops")
      .alias("history")
      .description("a VM's operations, newest first (follows pages up to --limit)")
      .argument("<vm>", "the VM's name or id")
      .option("-n, --limit <n>", "how many operations (default 20)", positiveInt("--limit", 10_000), 20),
  ).action(async (ref: string, options: JsonOption & { limit: number }) => {
    const connection = ctx.connection();
    const { id, label } = await resolveVm(ctx, ref);
    const ops: OperationRow[] = [];
    let cursor: string | undefined;
    let nextCursor: string | null = null;
    do {
      const query = { cursor, limit: Math.min(PAGE, options.limit - ops.length) };
      const page = await ok(connection, connection.api.GET("/vms/{vmId}/operations", { params: { path: { vmId: id }, query } }), label);
      ops.push(...page.items);
      nextCursor = page.nextCursor;
      cursor = nextCursor ?? undefined;
    } while (cursor && ops.length < options.limit);
    if (options.json) return ctx.json({ items: ops, nextCursor });
    ctx.say(
      false,
      listing(
        ["WHEN", "ACTION", "STATUS", "BY", "ID", "ERROR"],
        ops.map((op) => [timestamp(op.createdAt), op.action, op.status, op.requestedBy, op.id, op.error]),
        "no operations",
      ),
    );
  });

  withWait(
    vm
      .command("create")
      .description("create a VM from a template (it is built, then left stopped)")
      .argument("<name>", "the new VM's name (a-z, 0-9 and '-')")
      .requiredOption("-t, --template <template>", "the template's name or id")
      .option("-m, --memory <MiB>", "memory in MiB (default: the template's)", positiveInt("--memory"))
      .option("-c, --vcpus <n>", "virtual CPUs (default: the template's)", positiveInt("--vcpus")),
  ).action(
    async (name: string, options: WaitOptions & JsonOption & { template: string; memory?: number; vcpus?: number }) => {
      const connection = ctx.connection();
      const templateId = await resolveTemplate(ctx, options.template);
      const answer = await ok(
        connection,
        connection.api.POST("/vms", {
          body: {
            name,
            templateId,
            ...(options.memory ? { memoryMb: options.memory } : {}),
            ...(options.vcpus ? { vcpus: options.vcpus } : {}),
          },
        }),
      );
      await ctx.accepted(answer, options, `create VM ${name}${answer.vmId ? ` (${answer.vmId})` : ""}`);
    },
  );

  for (const [action, description] of LIFECYCLE) {
    withWait(vm.command(action).description(description).argument("<vm>", "the VM's name or id")).action(
      async (ref: string, options: WaitOptions & JsonOption) => {
        const connection = ctx.connection();
        const { id, label } = await resolveVm(ctx, ref);
        const answer = await ok(
          connection,
          connection.api.POST(`/vms/{vmId}/${action}`, { params: { path: { vmId: id } }, body: {} }),
          label,
        );
        await ctx.accepted(answer, options, `${action} ${label}`);
      },
    );
  }

  withWait(
    vm
      .command("stop")
      .description(
        "stop a VM: the guest shuts down cleanly, or with --hard the domain is destroyed and rebuilt stopped",
      )
      .argument("<vm>", "the VM's name or id")
      .option("--hard", "hard stop (no clean shutdown)"),
  ).action(async (ref: string, options: WaitOptions & JsonOption & { hard?: boolean }) => {
    const connection = ctx.connection();
    const { id, label } = await resolveVm(ctx, ref);
    const answer = await ok(
      connection,
      connection.api.POST("/vms/{vmId}/stop", {
        params: { path: { vmId: id } },
        body: { mode: options.hard ? "hard" : "clean" },
      }),
      label,
    );
    await ctx.accepted(answer, options, `stop ${label}${options.hard ? " (hard)" : ""}`);
  });

  withWait(
    vm
      .command("migrate")
      .description("live-migrate a VM to another host: placement chooses it, or --to one it allows")
      .argument("<vm>", "the VM's name or id")
      .option("--to <host>", "the destination host's name or id (one of `GET /vms/{vmId}/migration-hosts`)"),
  ).action(async (ref: string, options: WaitOptions & JsonOption & { to?: string }) => {
    const connection = ctx.connection();
    const { id, label } = await resolveVm(ctx, ref);
    let destinationHostId: string | undefined;
    if (options.to) {
      const { hosts } = await ok(connection, connection.api.GET("/vms/{vmId}/migration-hosts", { params: { path: { vmId: id } } }), label);
      const host = hosts.find((h) => h.id === options.to || h.name === options.to);
      if (!host) throw new CliError(`${options.to} is not a host ${label} can move to (allowed: ${hosts.map((h) => h.name).join(", ") || "none"})`);
      destinationHostId = host.id;
    }
    const answer = await ok(
      connection,
      connection.api.POST("/vms/{vmId}/migrate", { params: { path: { vmId: id } }, body: destinationHostId ? { destinationHostId } : {} }),
      label,
    );
    await ctx.accepted(answer, options, `migrate ${label}${options.to ? ` to ${options.to}` : ""}`);
  });

  everydayCommands(vm, ctx);

  withWait(
    vm
      .command("destroy")
      .description("destroy a VM and its domain (asks for confirmation unless --yes)")
      .argument("<vm>", "the VM's name or id")
      .option("-y, --yes", "do not ask for confirmation"),
  ).action(async (ref: string, options: WaitOptions & JsonOption & { yes?: boolean }) => {
    const connection = ctx.connection();
    const { id, label } = await resolveVm(ctx, ref);
    if (!options.yes)
      await confirm(ctx, `Destroy ${label}${isId(ref) ? "" : ` (${id})`}? This cannot be undone. [y/N] `);
    const answer = await ok(
      connection,
      connection.api.POST("/vms/{vmId}/destroy", { params: { path: { vmId: id } }, body: {} }),
      label,
    );
    await ctx.accepted(answer, options, `destroy ${label}`);
  });
}

/** rename, resize, clone and snapshots (issue 14). */
function everydayCommands(vm: Command, ctx: Ctx): void {
  withJson(vm.command("rename").description("rename a VM (any state)").argument("<vm>", "the VM's name or id").argument("<name>", "the new name")).action(
    async (ref: string, name: string, options: JsonOption) => {
      const connection = ctx.connection();
      const { id, label } = await resolveVm(ctx, ref);
      const answer = await ok(connection, connection.api.POST("/vms/{vmId}/rename", { params: { path: { vmId: id } }, body: { name } }), label);
      if (options.json) ctx.json(answer);
      else ctx.say(false, `renamed ${label} to ${answer.name}`);
    },
  );

  withWait(
    vm
      .command("resize")
      .description("resize a VM: any size while stopped; while running, memory down (to 256 MiB) and vCPUs up to what it started with")
      .argument("<vm>", "the VM's name or id")
      .option("-m, --memory <MiB>", "memory in MiB", positiveInt("--memory"))
      .option("-c, --vcpus <n>", "virtual CPUs", positiveInt("--vcpus")),
  ).action(async (ref: string, options: WaitOptions & JsonOption & { memory?: number; vcpus?: number }) => {
    if (options.memory === undefined && options.vcpus === undefined) throw new UsageError("give --memory, --vcpus or both");
    const connection = ctx.connection();
    const { id, label } = await resolveVm(ctx, ref);
    const body = { ...(options.memory ? { memoryMb: options.memory } : {}), ...(options.vcpus ? { vcpus: options.vcpus } : {}) };
    const answer = await ok(connection, connection.api.POST("/vms/{vmId}/resize", { params: { path: { vmId: id } }, body }), label);
    await ctx.accepted(answer, options, `resize ${label}`);
  });

  withWait(
    vm
      .command("clone")
      .description("a new VM from a stopped one: its template, size and a copy of each of its disks")
      .argument("<vm>", "the stopped VM's name or id")
      .argument("<name>", "the new VM's name"),
  ).action(async (ref: string, name: string, options: WaitOptions & JsonOption) => {
    const connection = ctx.connection();
    const { id, label } = await resolveVm(ctx, ref);
    const answer = await ok(connection, connection.api.POST("/vms/{vmId}/clone", { params: { path: { vmId: id } }, body: { name } }), label);
    await ctx.accepted(answer, options, `clone ${label} as ${name} (${answer.vmId})`);
  });

  const snapshot = vm.command("snapshot").description("a VM's snapshots: ls, take, revert, rm");
  withJson(snapshot.command("ls").alias("list").description("a VM's snapshots, newest first").argument("<vm>", "the VM's name or id")).action(
    async (ref: string, options: JsonOption) => {
      const connection = ctx.connection();
      const { id } = await resolveVm(ctx, ref);
      const list = await snapshotsOf(connection, id);
      if (options.json) return ctx.json({ items: list, nextCursor: null });
      ctx.say(
        false,
        listing(
          ["NAME", "ID", "SAVED WHILE", "STATUS", "SIZE", "TAKEN"],
          list.map((s) => [s.name, s.id, s.vmState, s.status, `${s.sizeGb} GiB`, timestamp(s.createdAt)]),
          "no snapshots",
        ),
      );
    },
  );
  withWait(
    snapshot
      .command("take")
      .alias("create")
      .description("take a snapshot of a running, paused or stopped VM (its storage counts against the disk quota)")
      .argument("<vm>", "the VM's name or id")
      .option("-n, --name <name>", "the snapshot's name (default: snap-<time>)"),
  ).action(async (ref: string, options: WaitOptions & JsonOption & { name?: string }) => {
    const connection = ctx.connection();
    const { id, label } = await resolveVm(ctx, ref);
    const answer = await ok(connection, connection.api.POST("/vms/{vmId}/snapshots", { params: { path: { vmId: id } }, body: options.name ? { name: options.name } : {} }), label);
    await ctx.accepted(answer, options, `snapshot ${label} (${answer.snapshotId})`);
  });
  const bySnapshot = (verb: "revert" | "rm", description: string) =>
    withWait(
      snapshot
        .command(verb)
        .description(description)
        .argument("<vm>", "the VM's name or id")
        .argument("<snapshot>", "the snapshot's name or id")
        .option("-y, --yes", "do not ask for confirmation"),
    ).action(async (ref: string, snap: string, options: WaitOptions & JsonOption & { yes?: boolean }) => {
      const connection = ctx.connection();
      const { id, label } = await resolveVm(ctx, ref);
      const list = await snapshotsOf(connection, id);
      const found = list.find((s) => s.id === snap || s.name === snap);
      if (!found) throw new CliError(`${label} has no snapshot ${snap}`);
      if (!options.yes) {
        await confirm(ctx, verb === "revert" ? `Revert ${label} to ${found.name} (${found.vmState})? Everything since is lost. [y/N] ` : `Delete snapshot ${found.name} of ${label}? [y/N] `);
      }
      const path = { vmId: id, snapshotId: found.id };
      const answer =
        verb === "revert"
          ? await ok(connection, connection.api.POST("/vms/{vmId}/snapshots/{snapshotId}/revert", { params: { path }, body: {} }), label)
          : await ok(connection, connection.api.DELETE("/vms/{vmId}/snapshots/{snapshotId}", { params: { path } }), label);
      await ctx.accepted(answer, options, `${verb === "revert" ? "revert" : "delete snapshot"} ${found.name} of ${label}`);
    });
  bySnapshot("revert", "revert a VM to a snapshot: it ends in the state it was saved in (asks first unless --yes)");
  bySnapshot("rm", "delete a snapshot (asks first unless --yes)");
}

/** Asks on the terminal; without one (a script), the caller must say --yes. */
export async function confirm(ctx: Ctx, question: string): Promise<void> {
  if (!ctx.io.stdin.isTTY) throw new UsageError("this needs confirmation: run it in a terminal or add --yes");
  const answer = await readLine(ctx.io, question);
  if (!answer || !/^y(es)?$/i.test(answer.trim())) throw new CliError("cancelled");
}

async function resolveTemplate(ctx: Ctx, ref: string): Promise<string> {
  if (isId(ref)) return ref;
  const connection = ctx.connection();
  const templates = await allPages(connection, (cursor) =>
    connection.api.GET("/templates", { params: { query: { limit: PAGE, cursor } } }),
  );
  const match = templates.find((t: { name: string }) => t.name === ref);
  if (!match)
    throw new CliError(
      `template ${ref} not found (templates: ${templates.map((t: { name: string }) => t.name).join(", ") || "none"})`,
    );
  return match.id;
}
