import type { Command } from "commander";
import { allPages, ok } from "../client";
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

/** realmgate vm ls|get|create|start|stop|pause|resume|reboot|migrate|destroy */

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

const LIFECYCLE = [
  ["start", "start a stopped VM"],
  ["pause", "pause a running VM"],
  ["resume", "resume a paused VM"],
  ["reboot", "reboot a running VM"],
  ["migrate", "live-migrate a VM to another host (placement chooses it)"],
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
      .description("a VM's operations, newest first")
      .argument("<vm>", "the VM's name or id"),
  ).action(async (ref: string, options: JsonOption) => {
    const connection = ctx.connection();
    const { id, label } = await resolveVm(ctx, ref);
    const ops = await ok(
      connection,
      connection.api.GET("/vms/{vmId}/operations", { params: { path: { vmId: id } } }),
      label,
    );
    if (options.json) return ctx.json(ops);
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
