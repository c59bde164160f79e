import type { AcmModuleName } from "../types";
import { chineseWall } from "./chinese-wall";
import { noAcm, type AcmModule } from "./module";
import { ste } from "./ste";

/**
 * sHype's composition: the primary module (Chinese Wall) decides first, then the secondary
 * (STE); the result is the AND of both. When the secondary refuses, the primary's state
 * change is rolled back: its new state is discarded and the state it was given stands — so a
 * refused start leaves no wall behind, and a refused reload leaves the old counters in force.
 */
export function compose(primary: AcmModule, secondary: AcmModule): AcmModule {
  return {
    name: `${primary.name}+${secondary.name}`,
    decide(policy, state, event) {
      const first = primary.decide(policy, state, event);
      if (!first.ok) return first;
      const second = secondary.decide(policy, first.state, event);
      if (!second.ok) return { ok: false, reason: `${second.reason} (${primary.name} change rolled back)` };
      return second;
    },
  };
}

/** The module a host runs, by REALMGATE_HOST_ACM. */
export function acmModule(name: AcmModuleName): AcmModule {
  switch (name) {
    case "none":
      return noAcm;
    case "chinese-wall":
      return chineseWall;
    case "ste":
      return ste;
    case "chinese-wall+ste":
      return compose(chineseWall, ste);
  }
}
