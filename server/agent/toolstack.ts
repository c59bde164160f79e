import { randomBytes, randomUUID } from "node:crypto";
import type {
  AccessCheckReply,
  AccessCheckRequest,
  AcmLoadReply,
  AcmPolicy,
  BlockRequest,
  BridgeCreate,
  BridgeDestroy,
  BridgeSend,
  ConsoleReply,
  ConsoleRequest,
  DomainInfo,
  DomainRequest,
  DomainResult,
  FlaskBoolean,
  FlaskBooleanReply,
  FlaskPolicyLoad,
  FlaskPolicyLoadReply,
  HypercallResult,
  ListRequest,
  MetricsReply,
  MetricsRequest,
  FlowRequest,
  NdvmRulesLoad,
  NdvmStateReply,
  PlatformRulesLoad,
} from "../contracts/agent";
import {
  Consoles,
  HypercallError,
  Hypervisor,
  Meters,
  consoleAccess,
  LabelError,
  acmModule,
  bootState,
  domainOf,
  domainOperation,
  listDomains,
  readBlock,
  runChecks,
  startPlatformBackends,
  writeBlock,
  BlockPlane,
  FlowPlane,
  attemptConnection,
  checkFlow,
  loadPlatformRules,
  loadRules,
  ndvmState,
  subjectOf,
  createBridge,
  destroyBridge,
  listBridges,
  testSend,
  type AcmModuleName,
  type DomainRecord,
  type HostState,
  type SecurityModule,
} from "../xen";
import { DOM0_LABEL } from "../xsm";
import { dispatch, type HypercallRequest } from "./dispatch";
import type { FlaskPolicyHost } from "./flask-policy";
import { HostStore, rememberResult, upgradeNeeded, type AppliedResult, type Persisted } from "./host-store";

/**
 * dom0's toolstack: the shell around the hypervisor core. Turns agent requests into hypercalls
 * with the realm's management domain as the XSM subject, applies each idempotency key at most
 * once (a retried delivery returns the stored result), and journals every change — the rows
 * it touched, the key and the result — fsync'd before it answers, so an agent restart
 * re-reads it (host-store.ts). A simulated crash discards it and boots afresh.
 */

export type ToolstackConfig = {
  stateDir: string;
  acm: { module: AcmModuleName; policy: AcmPolicy };
  argoMacPermissive?: boolean;
  log?: (line: string) => void;
  /** Journal size below which it is never compacted (default host-store's COMPACT_MIN_BYTES). */
  compactMinBytes?: number;
  /** The FLASK policy administration of the security server `xsm` was built on (PUT /v1/xsm/*); absent: refused. */
  flask?: FlaskPolicyHost;
  /** Boot the platform's storage and network backend domains with the host (xen/backends.ts); off: dom0 serves every device. */
  platformBackends?: boolean;
  /** The root of the realms' block-sealing keys (xen/block-data.ts), ≥ 32 bytes; default: random per process. */
  blockSecret?: Buffer;
};

export class Toolstack {
  private hv: Hypervisor;
  private readonly applied: Map<string, AppliedResult>;
  private readonly store: HostStore;
  private readonly log: (line: string) => void;
  private readonly flask: FlaskPolicyHost | null;
  private readonly platformBackends: boolean;
  /** The backends' block stores (the simulated disks' contents: in memory, lost with the agent) and the sealing layer. */
  private readonly blocks: BlockPlane;
  /** The NDVMs' rule tables, the platform's network rules and the flow counters (xen/network-flows.ts): in memory, loaded again by the worker. */
  private readonly flows = new FlowPlane();
  /** In memory only (not journaled): console rings and metric meters start afresh with the agent. */
  private readonly meters = new Meters(randomUUID(), () => Date.now());
  private readonly consoles = new Consoles({ now: () => new Date(), uptimeOf: (uuid) => this.meters.uptimeOf(uuid) });

  constructor(
    private readonly xsm: SecurityModule,
    config: ToolstackConfig,
  ) {
    this.log = config.log ?? (() => {});
    this.flask = config.flask ?? null;
    this.platformBackends = config.platformBackends ?? false;
    this.blocks = new BlockPlane({ secret: config.blockSecret ?? randomBytes(32) });
    this.store = new HostStore(config.stateDir, config.compactMinBytes);
    const loaded = this.store.load();
    let snapshot: HostState | { bootId: string } = { bootId: randomUUID() };
    const legacy = loaded && upgradeNeeded(loaded.snapshot);
    if (legacy) snapshot = this.upgrade(legacy.hypervisor);
    else if (loaded) snapshot = (loaded.snapshot as Persisted).hypervisor;
    const hvConfig = { acmModule: acmModule(config.acm.module), acmPolicy: config.acm.policy, options: { argoMacPermissive: config.argoMacPermissive ?? false } };
    this.hv = new Hypervisor(xsm, hvConfig, snapshot);
    this.applied = new Map(loaded?.snapshot.applied ?? []);
    for (const record of loaded?.journal ?? []) {
      this.hv.replay(record.changes);
      if (record.key && record.result) rememberResult(this.applied, record.key, record.result);
    }
    // A fresh host is recorded at once (an agent restarted before the first hypercall comes back
    // as the same boot, not as a host that rebooted); a legacy file or a stale journal is
    // rewritten before anything is appended.
    if (!loaded?.journal) this.compact();
    this.bootBackends();
  }

  /** The platform's backend domains start with the host (kept if the journal already holds them running). */
  private bootBackends(): void {
    if (!this.platformBackends) return;
    // A policy without the backend types (an operator's older upload) cannot label them: the
    // host then runs as before, dom0 serving every device.
    const r = this.attempt(() => this.hv.run((ctx) => startPlatformBackends(ctx)));
    this.commit(undefined, undefined);
    if (r.ok) this.log(`platform backends: storage domain ${r.value.vbd}, network domain ${r.value.vif}`);
    else this.log(`platform backends not started (${r.error.code}: ${r.error.message}); dom0 serves every device`);
  }

  /** The first agent version persisted domains without derived labels or devices. */
  private upgrade(old: { bootId: string; nextDomid: number; domains: { domid: number; label: string; history: string[] }[] }): HostState {
    const state = bootState(old.bootId, this.xsm.selfLabel(this.xsm.canonical(DOM0_LABEL)));
    state.nextDomid = old.nextDomid;
    for (const d of old.domains as (DomainRecord & { selfLabel?: string })[]) {
      if (d.domid === 0) continue;
      state.domains.push({ ...d, selfLabel: this.xsm.selfLabel(d.label) });
      state.xenstore[`/local/domain/${d.domid}`] = { value: "", perms: [{ domid: d.domid, perm: "n" }] };
    }
    return state;
  }

  get bootId(): string {
    return this.hv.bootId;
  }

  security(): { xsm: { enforcing: boolean; policy?: { sha256: string; fileName: string }; booleans?: Record<string, boolean> }; acm: { module: string; policy: string } } {
    const flask = this.flask ? { policy: this.flask.info(), booleans: this.flask.booleans() } : {};
    return { xsm: { enforcing: this.hv.enforcing, ...flask }, acm: this.hv.acm };
  }

  /** Rewrites the snapshot from memory and starts an empty journal (costs the host's size). */
  private compact(): void {
    this.hv.takeChanges();
    this.store.compact({ hypervisor: this.hv.snapshot(), applied: [...this.applied.entries()] });
  }

  /** Journals what the operation changed (and its key's result), durably, before the agent answers. */
  private commit(key: string | undefined, result: AppliedResult | undefined): void {
    const changes = this.hv.takeChanges();
    if (changes.length === 0 && !key) return;
    this.store.append(key ? { key, result, changes } : { changes });
    if (this.store.isJournalLong) this.compact();
  }

  private remember<T extends AppliedResult>(key: string | undefined, run: () => T): T {
    if (key) {
      const previous = this.applied.get(key);
      if (previous) return { ...(previous as T), replayed: true };
    }
    const result = run();
    if (key) rememberResult(this.applied, key, result);
    this.commit(key, result);
    return result;
  }

  /** Closes the journal (tests and the bench restart a toolstack on the same directory). */
  close(): void {
    this.store.close();
  }

  /** Runs a core operation; errno failures become {ok:false} results, anything else is a bug. */
  private attempt<T>(run: () => T): { ok: true; value: T; avc: string[] } | { ok: false; error: { code: string; message: string }; avc: string[] } {
    this.hv.drainAvc();
    try {
      const value = run();
      return { ok: true, value, avc: this.hv.drainAvc() };
    } catch (error) {
      if (error instanceof LabelError) return { ok: false, error: { code: error.code, message: error.message }, avc: this.hv.drainAvc() };
      if (!(error instanceof HypercallError)) throw error;
      return { ok: false, error: { code: error.code, message: error.message }, avc: this.hv.drainAvc() };
    }
  }

  /** POST /v1/domains: the worker's lifecycle contract. */
  apply(request: DomainRequest): DomainResult {
    return this.remember(request.idempotencyKey, () => {
      const { vm } = request;
      const spec = { uuid: vm.uuid, name: vm.name, label: vm.label, initLabel: vm.initLabel, vcpus: vm.vcpus, memoryMb: vm.memoryMb };
      const r = this.attempt(() => this.hv.run((ctx) => domainOperation(ctx, request.subjectLabel, `domain.${request.action}`, spec, request.destination, request.snapshotId)));
      if (!r.ok) return { ok: false, error: r.error, domain: null, avc: r.avc, replayed: false };
      const { domain, image } = r.value;
      this.observeLifecycle(request.action, vm.uuid, domain);
      return { ok: true, domain: domain && toInfo(domain), avc: r.avc, replayed: false, ...(image ? { image } : {}) };
    });
  }

  /** Keeps the meters and console of a domain in step with a lifecycle action the core applied. */
  private observeLifecycle(action: DomainRequest["action"], uuid: string, domain: DomainRecord | null): void {
    if (!domain) {
      this.meters.forget(uuid);
      this.consoles.lifecycle({ uuid } as DomainRecord, "gone");
      return;
    }
    this.meters.observe(domain);
    if (action === "reboot") this.consoles.lifecycle(domain, "reboot");
    else if (domain.state === "stopped") this.consoles.lifecycle(domain, "shutdown");
    else if (domain.state === "running") this.consoles.lifecycle(domain, "boot");
  }

  /** POST /v1/console: open, read or write a guest's serial console, XSM-checked with the realm's management domain as subject. */
  console(request: ConsoleRequest): ConsoleReply {
    const r = this.attempt(() => this.hv.run((ctx) => consoleAccess(ctx, request.subjectLabel, request.action, request.uuid)));
    if (!r.ok) return { ok: false, error: r.error, avc: r.avc, output: null, domid: null };
    const d = r.value;
    this.meters.observe(d);
    try {
      const output = request.action === "write" ? this.consoles.write(d, request.data ?? "", request.from) : this.consoles.read(d, request.from);
      return { ok: true, avc: r.avc, output, domid: d.domid };
    } catch (error) {
      if (!(error instanceof HypercallError)) throw error;
      return { ok: false, error: { code: error.code, message: error.message }, avc: r.avc, output: null, domid: d.domid };
    }
  }

  /** POST /v1/metrics: counters of the domains the subject may getdomaininfo (a page of them, by domid). */
  metrics(request: MetricsRequest): MetricsReply {
    const r = this.attempt(() => this.hv.run((ctx) => listDomains(ctx, request.subjectLabel)));
    const base = { epoch: this.meters.epoch, bootId: this.hv.bootId };
    if (!r.ok) return { ok: false, error: r.error, avc: r.avc, ...base, domains: [], next: null };
    const visible = r.value.filter((d) => d.domid !== 0 && d.domid > request.after);
    const page = visible.slice(0, request.limit);
    const domains = page.map((d) => ({ uuid: d.uuid, domid: d.domid, state: d.state, vcpus: d.vcpus, counters: this.meters.counters(d) }));
    return { ok: true, avc: r.avc, ...base, domains, next: visible.length > page.length ? page[page.length - 1]!.domid : null };
  }

  /** POST /v1/evtchn, /v1/grants, /v1/xenstore, /v1/argo, /v1/devices. */
  hypercall(request: HypercallRequest): HypercallResult {
    return this.remember(request.body.idempotencyKey, () => {
      const r = this.attempt(() => this.hv.run((ctx) => dispatch(ctx, request)));
      return r.ok ? { ok: true, avc: r.avc, replayed: false, data: r.value } : { ok: false, error: r.error, avc: r.avc, replayed: false, data: null };
    });
  }

  /**
   * POST /v1/blocks: one block read or written by a frontend through its disk's backend. A sealed
   * write moves the block's trusted version counter (block-data.ts): journaled before answering.
   */
  block(request: BlockRequest): HypercallResult {
    const r = this.attempt((): Record<string, unknown> =>
      this.hv.run((ctx) => {
        if (request.action === "write") return writeBlock(ctx, this.blocks, { ...request, data: Buffer.from(request.data, "base64") });
        const read = readBlock(ctx, this.blocks, request);
        return { data: read.data.toString("base64"), sealed: read.sealed };
      }),
    );
    this.commit(undefined, undefined);
    return r.ok ? { ok: true, avc: r.avc, replayed: false, data: r.value } : { ok: false, error: r.error, avc: r.avc, replayed: false, data: null };
  }

  /** PUT /v1/network/rules, /v1/network/platform-rules; POST /v1/network/flow. Checked by FLASK; no journaled state changes. */
  network(request: { kind: "rules"; body: NdvmRulesLoad } | { kind: "platform-rules"; body: PlatformRulesLoad } | { kind: "flow"; body: FlowRequest }): HypercallResult {
    const r = this.attempt((): Record<string, unknown> =>
      this.hv.run((ctx) => {
        if (request.kind === "rules") return loadRules(ctx, this.flows, request.body);
        if (request.kind === "platform-rules") return loadPlatformRules(ctx, this.flows, request.body);
        const { attempt, ...flow } = request.body;
        return attempt ? attemptConnection(ctx, this.flows, flow) : checkFlow(ctx, this.flows, flow);
      }),
    );
    return r.ok ? { ok: true, avc: r.avc, replayed: false, data: r.value } : { ok: false, error: r.error, avc: r.avc, replayed: false, data: null };
  }

  /**
   * Sharing agreements' Argo bridges (xen/argo-bridges.ts): PUT /v1/argo/bridges, POST
   * /v1/argo/bridges/destroy, /list, /send. Bridges and their counters are journaled host state:
   * they survive an agent restart like domains do.
   */
  bridges(request: { kind: "create"; body: BridgeCreate } | { kind: "destroy"; body: BridgeDestroy } | { kind: "list"; subjectLabel: string } | { kind: "send"; body: BridgeSend }): HypercallResult {
    return this.remember(undefined, () => {
      const r = this.attempt((): Record<string, unknown> =>
        this.hv.run((ctx) => {
          if (request.kind === "create") {
            const { subjectLabel, ...spec } = request.body;
            return createBridge(ctx, subjectLabel, spec);
          }
          if (request.kind === "destroy") return destroyBridge(ctx, request.body.subjectLabel, request.body.id);
          if (request.kind === "list") return { bridges: listBridges(ctx, request.subjectLabel) };
          const { subjectLabel, bridgeId, ...send } = request.body;
          return testSend(ctx, subjectLabel, { ...send, ...(bridgeId !== undefined ? { bridgeId } : {}) });
        }),
      );
      return r.ok ? { ok: true, avc: r.avc, replayed: false, data: r.value } : { ok: false, error: r.error, avc: r.avc, replayed: false, data: null };
    });
  }

  /** POST /v1/network/ndvm: what the NDVM enforces and its counters (dom0's view). */
  ndvm(ndvmDomid: number): NdvmStateReply {
    return ndvmState(this.flows, ndvmDomid);
  }

  /** Test hook: a backend domain's store as the backend itself reads it (block key → base64 bytes). */
  backendStore(domid: number): { blocks: Record<string, string> } {
    return { blocks: Object.fromEntries(this.blocks.storeOf(domid).entries().map(([key, bytes]) => [key, bytes.toString("base64")])) };
  }

  /** POST /v1/domains/list: what the subject may see, filtered silently. Changes nothing. */
  list(request: ListRequest): HypercallResult {
    const r = this.attempt(() => this.hv.run((ctx) => listDomains(ctx, request.subjectLabel).map(toInfo)));
    return r.ok ? { ok: true, avc: r.avc, replayed: false, data: { domains: r.value } } : { ok: false, error: r.error, avc: r.avc, replayed: false, data: null };
  }

  /** What dom0 sees: every domain (dom0 may getdomaininfo on all). */
  status(): DomainInfo[] {
    const domains = this.hv.run((ctx) => listDomains(ctx, DOM0_LABEL, "host.status").map(toInfo));
    this.hv.drainAvc();
    return domains;
  }

  /** GET /v1/host/snapshot: the whole host state, as dom0 sees it. */
  snapshot(): HostState {
    this.hv.run((ctx) => runChecks(ctx, "host.snapshot", { subject: subjectOf(ctx, DOM0_LABEL) }));
    this.hv.drainAvc();
    return this.hv.snapshot();
  }

  /** POST /v1/access-check: the decision for (subject, target, class, perms) without acting or logging it. */
  explain(request: AccessCheckRequest): { ok: true; reply: AccessCheckReply } | { ok: false; error: { code: string; message: string } } {
    const r = this.attempt(() =>
      this.hv.run((ctx) => {
        runChecks(ctx, "xsm.access-check", { subject: subjectOf(ctx, DOM0_LABEL) });
        if (request.source !== undefined) domainOf(ctx, request.source);
        return ctx.xsm.explain({ subject: request.subject, target: request.target, tclass: request.tclass, perms: request.perms, source: request.source, targetDomid: request.targetDomid });
      }),
    );
    return r.ok ? { ok: true, reply: r.value } : { ok: false, error: r.error };
  }

  /** PUT /v1/acm: reload the ACM policy (replayed; refused on conflict, changing nothing). */
  loadAcm(policy: AcmPolicy): AcmLoadReply {
    const r = this.attempt(() => this.hv.loadAcmPolicy(DOM0_LABEL, policy));
    if (!r.ok) return { ok: false, error: r.error, avc: r.avc, policy: this.hv.acm.policy };
    this.store.saveAcmPolicy(policy);
    this.commit(undefined, undefined);
    return { ok: true, avc: r.avc, policy: policy.name };
  }

  /**
   * PUT /v1/xsm/policy (`xl loadpolicy`): dom0's `security load_policy` under the policy in
   * force, then the load (flask-policy.ts), which compares decisions on the host's live labels.
   */
  loadFlaskPolicy(request: FlaskPolicyLoad): FlaskPolicyLoadReply {
    const flask = this.flask;
    if (!flask) return { ok: false, error: { code: "EINVAL", message: "this host's policy is not administrable" }, avc: [], sha256: "", comparison: null };
    const r = this.attempt(() =>
      this.hv.run((ctx) => {
        runChecks(ctx, "xsm.load-policy", { subject: subjectOf(ctx, DOM0_LABEL) });
        const labels = [...ctx.state.domains.rows()].flatMap((d) => [d.label, d.selfLabel]);
        return flask.load(request, labels);
      }),
    );
    if (!r.ok) return { ok: false, error: r.error, avc: r.avc, sha256: flask.info().sha256, comparison: null };
    this.log(`FLASK policy ${request.fileName} (${request.sha256.slice(0, 12)}) loaded; ${r.value.differing} of ${r.value.compared} compared decisions differ`);
    return { ok: true, avc: r.avc, sha256: flask.info().sha256, comparison: r.value };
  }

  /** PUT /v1/xsm/booleans (`xl setbool`): dom0's `security setbool`, then the new value, kept across restarts. */
  setFlaskBoolean(request: FlaskBoolean): FlaskBooleanReply {
    const flask = this.flask;
    if (!flask) return { ok: false, error: { code: "EINVAL", message: "this host's policy is not administrable" }, avc: [], booleans: {} };
    const r = this.attempt(() =>
      this.hv.run((ctx) => {
        runChecks(ctx, "xsm.setbool", { subject: subjectOf(ctx, DOM0_LABEL) });
        flask.setBool(request.name, request.value);
      }),
    );
    return r.ok ? { ok: true, avc: r.avc, booleans: flask.booleans() } : { ok: false, error: r.error, avc: r.avc, booleans: flask.booleans() };
  }

  /** Test hook: the host crashes and boots again; memory (domains, toolstack keys) is lost. */
  crash(): { bootId: string } {
    const lost = this.hv.domainCount - 1;
    this.hv.crash(randomUUID());
    this.applied.clear();
    this.meters.clear();
    this.consoles.clear();
    this.log(`simulated host crash: ${lost} domain(s) lost; booted as ${this.hv.bootId}`);
    this.compact();
    this.bootBackends();
    return { bootId: this.hv.bootId };
  }
}

function toInfo(d: DomainRecord): DomainInfo {
  return { domid: d.domid, uuid: d.uuid, name: d.name, label: d.label, state: d.state, vcpus: d.vcpus, memoryMb: d.memoryMb };
}
