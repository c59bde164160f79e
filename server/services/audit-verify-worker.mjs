// The entry of an audit verification worker thread (audit-integrity.ts verifyInWorkers): the
// thread gets tsx's TypeScript loader of its own (a loader registered on the main thread does not
// reach worker threads), then runs audit-verify-worker.ts.
import { register } from "tsx/esm/api";

register();
await import("./audit-verify-worker.ts");
