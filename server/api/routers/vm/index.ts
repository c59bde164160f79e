import { router } from "../../trpc";
import { destroy, migrate, pause, reboot, resume, start, stop } from "./actions";
import { create } from "./create";
import { attachDisk, attachNetwork, detachDisk, detachNetwork } from "./devices";
import { get } from "./get";
import { history } from "./history";
import { list } from "./list";
import { onChange } from "./on-change";

export const vmRouter = router({
  list,
  get,
  history,
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
