import { router } from "../../trpc";
import { destroy, migrate, pause, reboot, resume, start, stop } from "./actions";
import { create } from "./create";
import { attachDisk, attachNetwork, detachDisk, detachNetwork } from "./devices";
import { get } from "./get";
import { history } from "./history";
import { inFlight } from "./in-flight";
import { list } from "./list";
import { migrationHosts } from "./migration-hosts";
import { onChange } from "./on-change";

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
  onChange,
});
