import type { Command } from "commander";
import type { components } from "../api-types";
import { allPages, ok } from "../client";
import { positiveInt, resolveRef, withJson, withWait, type Ctx, type JsonOption, type WaitOptions } from "../context";
import { listing } from "../render";
import { resolveVm } from "./vm";

/** realmgate disk ls|create|delete|attach|detach and realmgate net …: the realm's PV devices. */

type Disk = components["schemas"]["Disk"];
type Network = components["schemas"]["Network"];

const PAGE = 200;

/** Every disk of the realm (all pages). */
export async function listDisks(ctx: Ctx): Promise<Disk[]> {
  const connection = ctx.connection();
  return allPages(connection, (cursor) => connection.api.GET("/disks", { params: { query: { limit: PAGE, cursor } } }));
}

/** Every network of the realm (all pages). */
export async function listNetworks(ctx: Ctx): Promise<Network[]> {
  const connection = ctx.connection();
  return allPages(connection, (cursor) =>
    connection.api.GET("/networks", { params: { query: { limit: PAGE, cursor } } }),
  );
}

export function diskCommands(program: Command, ctx: Ctx): void {
  const disk = program.command("disk").description("disks of your realm");
  const resolveDisk = (ref: string) => resolveRef(ref, "disk", () => listDisks(ctx));

  withJson(
    disk
      .command("ls")
      .alias("list")
      .description("list the realm's disks (every page; --json: one {items, nextCursor: null} document)"),
  ).action(async (options: JsonOption) => {
    const disks = await listDisks(ctx);
    if (options.json) ctx.json({ items: disks, nextCursor: null });
    else
      ctx.say(
        false,
        listing(
          ["NAME", "ID", "SIZE", "VM"],
          disks.map((d) => [d.name, d.id, `${d.sizeGb} GiB`, d.vm?.name]),
          "no disks",
        ),
      );
  });

  withJson(
    disk
      .command("create")
      .description("create a disk (counts against the realm's disk quota)")
      .argument("<name>", "the disk's name (a-z, 0-9 and '-')")
      .requiredOption("-s, --size <GiB>", "size in GiB", positiveInt("--size")),
  ).action(async (name: string, options: JsonOption & { size: number }) => {
    const connection = ctx.connection();
    const created = await ok(connection, connection.api.POST("/disks", { body: { name, sizeGb: options.size } }));
    if (options.json) ctx.json(created);
    else ctx.say(false, `created disk ${name} (${created.diskId}), ${options.size} GiB`);
  });

  withJson(
    disk
      .command("delete")
      .alias("rm")
      .description("delete a detached disk")
      .argument("<disk>", "the disk's name or id"),
  ).action(async (ref: string, options: JsonOption) => {
    const connection = ctx.connection();
    const { id, label } = await resolveDisk(ref);
    const deleted = await ok(
      connection,
      connection.api.DELETE("/disks/{diskId}", { params: { path: { diskId: id } } }),
      label,
    );
    if (options.json) ctx.json(deleted);
    else ctx.say(false, `deleted ${label}`);
  });

  withWait(
    disk
      .command("attach")
      .description("attach a disk to a VM")
      .argument("<disk>", "the disk's name or id")
      .argument("<vm>", "the VM's name or id"),
  ).action(async (diskRef: string, vmRef: string, options: WaitOptions & JsonOption) => {
    const connection = ctx.connection();
    const [d, vm] = [await resolveDisk(diskRef), await resolveVm(ctx, vmRef)];
    const answer = await ok(
      connection,
      connection.api.POST("/vms/{vmId}/disks", { params: { path: { vmId: vm.id } }, body: { diskId: d.id } }),
    );
    await ctx.accepted(answer, options, `attach ${d.label} to ${vm.label}`);
  });

  withWait(
    disk
      .command("detach")
      .description("detach a disk from a VM")
      .argument("<disk>", "the disk's name or id")
      .argument("<vm>", "the VM's name or id"),
  ).action(async (diskRef: string, vmRef: string, options: WaitOptions & JsonOption) => {
    const connection = ctx.connection();
    const [d, vm] = [await resolveDisk(diskRef), await resolveVm(ctx, vmRef)];
    const answer = await ok(
      connection,
      connection.api.DELETE("/vms/{vmId}/disks/{diskId}", { params: { path: { vmId: vm.id, diskId: d.id } } }),
    );
    await ctx.accepted(answer, options, `detach ${d.label} from ${vm.label}`);
  });
}

export function networkCommands(program: Command, ctx: Ctx): void {
  const net = program.command("net").alias("network").description("networks of your realm");
  const resolveNetwork = (ref: string) => resolveRef(ref, "network", () => listNetworks(ctx));

  withJson(
    net
      .command("ls")
      .alias("list")
      .description("list the realm's networks (every page; --json: one {items, nextCursor: null} document)"),
  ).action(async (options: JsonOption) => {
    const networks = await listNetworks(ctx);
    if (options.json) ctx.json({ items: networks, nextCursor: null });
    else
      ctx.say(
        false,
        listing(
          ["NAME", "ID", "VMS"],
          networks.map((n) => [n.name, n.id, n.vms.map((v) => v.vm.name).join(", ")]),
          "no networks",
        ),
      );
  });

  withJson(
    net
      .command("create")
      .description("create a network (counts against the realm's network quota)")
      .argument("<name>", "the network's name (a-z, 0-9 and '-')"),
  ).action(async (name: string, options: JsonOption) => {
    const connection = ctx.connection();
    const created = await ok(connection, connection.api.POST("/networks", { body: { name } }));
    if (options.json) ctx.json(created);
    else ctx.say(false, `created network ${name} (${created.networkId})`);
  });

  withJson(
    net
      .command("delete")
      .alias("rm")
      .description("delete a network no VM is on")
      .argument("<network>", "the network's name or id"),
  ).action(async (ref: string, options: JsonOption) => {
    const connection = ctx.connection();
    const { id, label } = await resolveNetwork(ref);
    const deleted = await ok(
      connection,
      connection.api.DELETE("/networks/{networkId}", { params: { path: { networkId: id } } }),
      label,
    );
    if (options.json) ctx.json(deleted);
    else ctx.say(false, `deleted ${label}`);
  });

  withWait(
    net
      .command("attach")
      .description("attach a VM to a network")
      .argument("<network>", "the network's name or id")
      .argument("<vm>", "the VM's name or id"),
  ).action(async (netRef: string, vmRef: string, options: WaitOptions & JsonOption) => {
    const connection = ctx.connection();
    const [n, vm] = [await resolveNetwork(netRef), await resolveVm(ctx, vmRef)];
    const answer = await ok(
      connection,
      connection.api.POST("/vms/{vmId}/networks", { params: { path: { vmId: vm.id } }, body: { networkId: n.id } }),
    );
    await ctx.accepted(answer, options, `attach ${vm.label} to ${n.label}`);
  });

  withWait(
    net
      .command("detach")
      .description("detach a VM from a network")
      .argument("<network>", "the network's name or id")
      .argument("<vm>", "the VM's name or id"),
  ).action(async (netRef: string, vmRef: string, options: WaitOptions & JsonOption) => {
    const connection = ctx.connection();
    const [n, vm] = [await resolveNetwork(netRef), await resolveVm(ctx, vmRef)];
    const answer = await ok(
      connection,
      connection.api.DELETE("/vms/{vmId}/networks/{networkId}", { params: { path: { vmId: vm.id, networkId: n.id } } }),
    );
    await ctx.accepted(answer, options, `detach ${vm.label} from ${n.label}`);
  });
}
