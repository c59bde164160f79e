import { evalCond } from "../booleans";
import { formatLevel, formatRange } from "../mls";
import type { CompiledPolicy, ConstraintNode } from "../policy";

/**
 * A compiled policy described by names only, for comparing two compilations of the same
 * policy (text compiler vs binary loader). Symbol values are not part of it: checkpolicy
 * numbers types and roles in its hash-table order, the text compiler in declaration order,
 * and neither is observable through a decision. Everything a decision reads is: classes and
 * permission bits, constraints, types and attributes, roles, users, MLS symbols, every
 * access-vector cell, every conditional rule under every boolean assignment, type
 * transitions, role allows, initial SIDs and device contexts.
 */
export function policyShape(p: CompiledPolicy): Record<string, unknown> {
  const type = (v: number): string => p.types[v - 1]?.name ?? `#${v}`;
  const role = (v: number): string => p.roles[v - 1]?.name ?? `#${v}`;
  const user = (v: number): string => p.users[v - 1]?.name ?? `#${v}`;
  const sorted = (xs: Iterable<string>): string[] => [...xs].sort();
  const n = p.types.length + 1;
  const cell = (key: number): string => {
    const c = key % 64;
    const pair = (key - c) / 64;
    return `${type((pair - (pair % n)) / n)} ${type(pair % n)} : ${p.classes[c - 1]?.name ?? `#${c}`}`;
  };
  const expr = (e: ConstraintNode): string => {
    switch (e.kind) {
      case "not":
        return `not(${expr(e.expr)})`;
      case "and":
      case "or":
        return `(${expr(e.left)} ${e.kind} ${expr(e.right)})`;
      case "ident":
        return `${e.attr}1 ${e.op} ${e.attr}2`;
      case "level":
        return `${e.left} ${e.op} ${e.right}`;
      case "names": {
        const name = e.attr === "t" ? type : e.attr === "r" ? role : user;
        return `${e.attr}${e.target ? 2 : 1} ${e.op} {${sorted([...e.names].map(name)).join(" ")}}`;
      }
    }
  };
  const hex = (x: number): string => (x >>> 0).toString(16);
  const byKey = (entries: [string, string][]): Record<string, string> => Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const av = byKey([...p.avtab].map(([k, e]) => [cell(k), `${hex(e.allowed)} ${hex(e.auditallow)} ${hex(e.auditdeny)}`]));
  const transitions = byKey([...p.typeTransitions].map(([k, t]) => [cell(k), type(t)]));
  // Conditional rules, resolved for every boolean assignment (checkpolicy rewrites
  // `if (!b) {A} else {B}` as `if (b) {B} else {A}`, so expressions differ; effects do not).
  const conditional: [string, Record<string, string>][] = [];
  for (let mask = 0; mask < 1 << p.bools.length; mask++) {
    const assignment = p.bools.map((_, i) => ((mask >> i) & 1) === 1);
    const label = sorted(p.bools.map((b, i) => `${b.name}=${assignment[i]}`)).join(",");
    const out: [string, string][] = [];
    for (const [k, rules] of p.condAvtab) {
      let allowed = 0;
      let auditallow = 0;
      let auditdeny = 0xffffffff;
      for (const r of rules) {
        if (evalCond(p.conds[r.cond]!, assignment) !== r.branch) continue;
        if (r.kind === "allow") allowed |= r.perms;
        else if (r.kind === "auditallow") auditallow |= r.perms;
        else auditdeny &= ~r.perms;
      }
      if (allowed || auditallow || auditdeny !== 0xffffffff) out.push([cell(k), `${hex(allowed)} ${hex(auditallow)} ${hex(auditdeny)}`]);
    }
    for (const [k, rules] of p.condTypeTransitions) {
      const hit = rules.find((r) => evalCond(p.conds[r.cond]!, assignment) === r.branch);
      if (hit) out.push([`type_transition ${cell(k)}`, type(hit.newType)]);
    }
    conditional.push([label, byKey(out)]);
  }
  conditional.sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    mls: p.mls,
    classes: p.classes.map((c) => ({
      name: c.name,
      value: c.value,
      perms: c.perms,
      validMask: hex(c.validMask),
      constraints: sorted(c.constraints.map((k) => `${hex(k.permissions)} ${expr(k.expr)}`)),
    })),
    types: sorted(
      p.types.map(
        (t) =>
          `${t.isAttribute ? "attribute" : "type"} ${t.name} aliases{${sorted(t.aliases).join(" ")}} related{${sorted(t.related.map(type)).join(" ")}}`,
      ),
    ),
    typeNames: sorted([...p.typeByName.keys()]),
    roles: sorted(
      p.roles.map(
        (r) =>
          `${r.name} types{${sorted([...r.types.keys()].filter((i) => r.types[i]).map(type)).join(" ")}} dominates{${sorted([...r.dominates].map(role)).join(" ")}}`,
      ),
    ),
    objectRole: role(p.objectRole),
    users: sorted(
      p.users.map(
        (u) =>
          `${u.name} roles{${sorted([...u.roles].map(role)).join(" ")}}` +
          (p.mls ? ` range ${formatRange(u.range, p)} level ${formatLevel(u.defaultLevel, p)}` : ""),
      ),
    ),
    sensitivities: p.sensNames,
    sensitivityNames: sorted([...p.sensByName].map(([k, v]) => `${k}=${p.sensNames[v - 1]}`)),
    categories: p.catNames,
    categoryNames: sorted([...p.catByName].map(([k, v]) => `${k}=${p.catNames[v - 1]}`)),
    levels: sorted([...p.levelCats].map(([s, cats]) => formatLevel({ sens: s, cats }, p))),
    av,
    transitions,
    conditional,
    bools: sorted(p.bools.map((b) => `${b.name}=${b.defaultValue}`)),
    roleAllow: sorted([...p.roleAllow].map((k) => `${role(Math.floor(k / 65536))} ${role(k % 65536)}`)),
    processClass: p.classes[p.processClass - 1]?.name,
    processTransPerms: hex(p.processTransPerms),
    initialSids: p.initialSids.map((s) => s.context ?? null),
    deviceContexts: p.deviceContexts.map((d) => `${d.kind} ${d.args.map((a) => Number(a) || a).join("-")} ${d.context}`),
  };
}
