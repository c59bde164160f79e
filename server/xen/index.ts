/**
 * The simulated Xen host, as a library: a pure hypervisor core (domains, event channels, grant
 * tables, xenstore, Argo, PV block and network backends, save and migrate) whose every
 * hypercall runs the checks of one total operation table through an XSM security module, plus
 * the sHype ACM modules. No I/O: the host agent supplies boot ids, persists snapshots and maps
 * its wire contract onto these functions. See README.md.
 */
export { Hypervisor, type HypervisorConfig } from "./hypervisor";
export { OPERATIONS, isOperationName, type OperationName, type OperationSpec, type Check, type Role, type Flag } from "./operations";
export { runChecks, domainOf, subjectOf, type HostCtx, type HostOptions, type Principal } from "./host-context";
export { explainOperation, type CheckVerdict, type OperationVerdict, type Rehearsal } from "./explain";
export { createDomain, destroyDomain, domainOperation, lifecycle, listDomains, getDomainInfo, type DomainOperation, type DomainSpec } from "./domains";
export { saveDomain } from "./migrate";
export { RUNNING_MEMORY_FLOOR_MB } from "./snapshots";
export * as evtchn from "./evtchn";
export * as grants from "./grants";
export * as argo from "./argo";
export { createBridge, destroyBridge, listBridges, testSend, bridgeCarries, type BridgeSpec, type BridgeView, type BridgeSendResult } from "./argo-bridges";
export * as devices from "./devices";
export { PLATFORM_BACKENDS, startPlatformBackends, resolveBackend, listBackends, isBackendDomain, backendInfo, type BackendInfo } from "./backends";
export { FlowPlane, checkFlow, attemptConnection, loadRules, loadPlatformRules, ndvmState, counterKey, type FlowRequest, type FlowVerdict, type FlowLayer, type FlowCounter } from "./network-flows";
export { evaluateFlow, ruleFieldErrors, ruleSetHash, describeRule, PROTOCOLS, type RealmRule, type PlatformRule, type Protocol, type FlowProtocol, type PortRange, type RuleSource, type RuleTarget, type RuleFieldError } from "./network-rules";
export { BlockPlane, BackendStore, BLOCK_SIZE, writeBlock, readBlock, type BlockPlaneOptions } from "./block-data";
export { xenstoreOp } from "./xenstore";
export { HypercallError, type HypercallErrno } from "./errors";
export { LabelError, formatReasons, type SecurityModule, type AccessRequest, type AccessDecision, type Explanation } from "./security";
export { createSecurityModule, loadSecurityModule } from "./flask-module";
export {
  canaryQueries,
  compareDecisions,
  compilePolicyBytes,
  diffSummary,
  formatDiffSummary,
  lifecycleNeeds,
  policyFormat,
  policySha256,
  scratchServer,
  validatePolicy,
  type DecisionComparison,
  type DecisionDifference,
  type PolicyDiffSummary,
  type PolicyFormat,
  type PolicyValidation,
  type ValidationCheck,
} from "./policy-admin";
export { bootState, HostTables, HISTORY_LIMIT, type DomainRecord, type HostState, type SavedSnapshot } from "./state";
export type { Change as HostChange } from "./tables";
export { acmModule } from "./acm/compose";
export { acmTypes } from "./acm/label-types";
export { DEFAULT_ACM_POLICY } from "./acm/default-policy";
export * from "./types";
export { Consoles, ConsoleRing, consoleAccess, bootLog, interpret, CONSOLE_RING_BYTES, MAX_RINGS, type GuestView } from "./console";
export { Meters, profileOf, type DomainCounters, type MeteredDomain } from "./metrics";
