import { router } from "../../trpc";
import { hosts } from "./hosts";
import { realms } from "./realms";

export const operatorRouter = router({ hosts, realms });
