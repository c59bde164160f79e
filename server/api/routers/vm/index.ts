import { router } from "../../trpc";
import { destroy, migrate, pause, reboot, resume, start, stop } from "./actions";
import { consoleRouter } from "./console";
import { clone } from "./clone";
import { create } from "./create";
import { attachDisk, attachNetwork, detachDisk, detachNetwork } from "./devices";
import { get } from "./get";
import { history } from "./history";
import { inFlight } from "./in-flight";
import { list } from "./list";
import { measured, metrics } from "./metrics";
import { migrationHosts } from "./migration-hosts";
import { onChange } from "./on-change";
import { rename } from "./rename";
import { resize } from "./resize";
import { deleteSnapshot, revert, snapshot, snapshots } from "./snapshots";

export const vmRouter = router({
  list,
  get,
  history,
  inFlight,
  migrationHosts,
  create,
  start,
  stop,
  pause,
  resume,
  reboot,
  migrate,
  destroy,
  attachDisk,
  detachDisk,
  attachNetwork,
  detachNetwork,
  rename,
  resize,
  clone,
  snapshots,
  snapshot,
  revert,
  deleteSnapshot,
  onChange,
  console: consoleRouter,
  metrics,
  measuredUsage: measured,
});
