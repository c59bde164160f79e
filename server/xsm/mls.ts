import { catBits, catsContain, catsEqual, hasCat, type CatSet } from "./catset";

/**
 * MLS levels and ranges with libsepol's semantics. A sensitivity is its position in the
 * `dominance` order (1-based, like libsepol's value), so comparing numbers compares levels.
 */
export interface Level {
  sens: number;
  cats: CatSet;
}

export interface Range {
  low: Level;
  high: Level;
}

/** mls_level_dom: l1 dominates l2. */
export function levelDom(l1: Level, l2: Level): boolean {
  return l1.sens >= l2.sens && catsContain(l1.cats, l2.cats);
}

export function levelEq(l1: Level, l2: Level): boolean {
  return l1.sens === l2.sens && catsEqual(l1.cats, l2.cats);
}

export function levelIncomp(l1: Level, l2: Level): boolean {
  return !levelDom(l1, l2) && !levelDom(l2, l1);
}

/** The relation dom/domby/eq/incomp between two levels, as SELinux tools print it. */
export function levelRelation(l1: Level, l2: Level): "eq" | "dom" | "domby" | "incomp" {
  if (levelEq(l1, l2)) return "eq";
  if (levelDom(l1, l2)) return "dom";
  if (levelDom(l2, l1)) return "domby";
  return "incomp";
}

/** mls_range_contains: r1 contains r2. */
export function rangeContains(r1: Range, r2: Range): boolean {
  return levelDom(r2.low, r1.low) && levelDom(r1.high, r2.high);
}

export interface MlsNames {
  sensNames: readonly string[];
  catNames: readonly string[];
}

/**
 * Canonical category list: runs of three or more become `cA.cB`, runs of two stay `cA,cB`
 * (what mls_sid_to_context intends, and what the kernel prints).
 */
export function formatCats(cats: CatSet, names: readonly string[]): string {
  const bits = catBits(cats);
  const parts: string[] = [];
  let i = 0;
  while (i < bits.length) {
    let j = i;
    while (j + 1 < bits.length && bits[j + 1] === bits[j]! + 1) j++;
    const len = j - i + 1;
    if (len >= 3) parts.push(`${names[bits[i]!]}.${names[bits[j]!]}`);
    else for (let k = i; k <= j; k++) parts.push(names[bits[k]!]!);
    i = j + 1;
  }
  return parts.join(",");
}

export function formatLevel(l: Level, mls: MlsNames): string {
  const sens = mls.sensNames[l.sens - 1]!;
  const cats = formatCats(l.cats, mls.catNames);
  return cats ? `${sens}:${cats}` : sens;
}

export function formatRange(r: Range, mls: MlsNames): string {
  const low = formatLevel(r.low, mls);
  return levelEq(r.low, r.high) ? low : `${low}-${formatLevel(r.high, mls)}`;
}

/**
 * libsepol 3.4's mls_sid_to_context, reproduced bit for bit for the differential test. It
 * walks the category ebitmap node by node (64 bits each) and skips absent nodes, so a run
 * that reaches the end of a node "continues" into the next present node: {c62,c63,c200}
 * prints as `c62,c191,c200`. Realmgate never uses this form for labels (it does not
 * round-trip); it exists only to prove the rest of the formatter matches libsepol.
 */
export function formatCatsLibsepol(cats: CatSet, names: readonly string[]): string {
  const bits = catBits(cats);
  if (bits.length === 0) return "";
  const nodes = [...new Set(bits.map((b) => b >>> 6))];
  let out = "";
  let range = 0;
  let wroteSep = false;
  let i = 0;
  for (const node of nodes) {
    for (i = node * 64; i < node * 64 + 64; i++) {
      if (hasCat(cats, i)) {
        if (range) {
          range++;
          continue;
        }
        out += wroteSep ? "," : "";
        wroteSep = true;
        out += names[i];
        range++;
      } else {
        if (range > 1) out += (range > 2 ? "." : ",") + names[i - 1];
        range = 0;
      }
    }
  }
  if (range > 1) out += (range > 2 ? "." : ",") + names[i - 1];
  return out;
}

export function formatRangeLibsepol(r: Range, mls: MlsNames): string {
  const level = (l: Level): string => {
    const cats = formatCatsLibsepol(l.cats, mls.catNames);
    return cats ? `${mls.sensNames[l.sens - 1]}:${cats}` : mls.sensNames[l.sens - 1]!;
  };
  return levelEq(r.low, r.high) ? level(r.low) : `${level(r.low)}-${level(r.high)}`;
}

/**
 * The range every context has in a policy without MLS: libsepol leaves the range zeroed
 * (sensitivity 0, no categories), so every MLS comparison between two contexts is equal.
 */
export function noMlsRange(words: number): Range {
  const low: Level = { sens: 0, cats: new Uint32Array(words) };
  return { low, high: low };
}
