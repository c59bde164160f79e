import type { AcmPolicy } from "../types";
import { labelCategories, labelType } from "../../xsm";

/**
 * Which Chinese Wall and STE types a security label carries under an ACM policy. The policy is
 * data: an explicit entry for the full context wins over one for its type; otherwise the types
 * derive from the label's categories (a realm's domains and disks: "realm:c12,c873"); a label
 * that matches nothing carries no types, so STE shares nothing with it (fail closed).
 */

export type AcmTypes = { wall: string[]; ste: string[] };

export function acmTypes(policy: AcmPolicy, label: string): AcmTypes {
  const entry = policy.labels.find((l) => l.match === label) ?? policy.labels.find((l) => l.match === labelType(label));
  if (entry) return { wall: entry.wall, ste: entry.ste };
  const categories = labelCategories(label);
  if (!categories) return { wall: [], ste: [] };
  const fill = (template: string | null) => (template ? [template.replaceAll("{categories}", categories)] : []);
  return { wall: fill(policy.categoryTypes.wall), ste: fill(policy.categoryTypes.ste) };
}
