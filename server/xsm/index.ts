/**
 * Realmgate's FLASK engine: a pure TypeScript implementation of the Xen XSM/FLASK security
 * server with libsepol's semantics. See README.md for the API and the realm policy's types.
 */
export { compilePolicy } from "./compile";
export { loadPolicyFromFile, loadRealmPolicy, REALM_POLICY_PATH } from "./load";
export { loadBinaryPolicy, isBinaryPolicy, XEN_INITIAL_SID_NAMES, type BinaryLoadOptions } from "./binary";
export { SecurityServer, type PermDecision, type PermExplanation, type SecurityServerOptions } from "./security-server";
export { computeAv, permNames, type AvDecision, type DenialReason } from "./compute-av";
export { computeTransition } from "./transition";
export {
  parseContext,
  canonicalContext,
  formatContext,
  contextIsValid,
  type Context,
} from "./context";
export { levelDom, levelEq, levelIncomp, levelRelation, type Level, type Range } from "./mls";
export { defaultBools, withBool } from "./booleans";
export { AuditLog, formatAvcLine, type AuditData } from "./audit";
export type { AvcStats } from "./avc";
export { selfSid, targetSid, eventChannelSid, objectSidFor, type LabelledDomain } from "./labels";
export { XsmError, type XsmErrorCode } from "./errors";
export type { CompiledPolicy, BoolState, ClassInfo } from "./policy";
export {
  DOM0_LABEL,
  XEN_LABEL,
  DOMXEN_LABEL,
  SECURITY_LABEL,
  SHARED_IMAGE_LABEL,
  READ_ONLY_CONTENT_TYPES,
  realmLevel,
  managementLabel,
  guestLabel,
  vmLabel,
  realmDiskLabel,
  realmNetLabel,
  labelType,
  labelCategories,
  STORAGE_BACKEND_LABEL,
  NET_BACKEND_LABEL,
  driverDomainLabel,
  TRUSTED_BACKEND_TYPES,
  isTrustedBackend,
  bridgeLabel,
  type RealmCategory,
} from "./realm-labels";
export { Prng } from "./prng";
export { goldenSuite, type GoldenCase, type GoldenSuite } from "./golden";
