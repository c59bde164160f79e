import type { AvRuleSyntax, CondExprSyntax, Statement, TeStatement, TypeRuleSyntax } from "./ast";
import type { AvEntry, CondAvRule, CondInfo, CondOp, CondTypeRule } from "./policy";
import type { Symbols } from "./symbols";
import { expandClasses, expandTypes, permMask } from "./type-sets";

/**
 * Type enforcement: allow/auditallow/dontaudit/neverallow and type_transition, unconditional
 * and conditional, expanded to concrete (source type, target type, class) cells.
 */
export class TeBuilder {
  readonly avtab = new Map<number, AvEntry>();
  readonly condAvtab = new Map<number, CondAvRule[]>();
  readonly typeTransitions = new Map<number, number>();
  readonly condTypeTransitions = new Map<number, CondTypeRule[]>();
  readonly conds: CondInfo[] = [];
  /** Which allow rules granted which bits of a cell, to name them in neverallow errors. */
  private readonly provenance = new Map<number, { line: number; perms: number; cond?: string }[]>();
  private readonly typeRuleLines = new Map<number, number>();
  private readonly neverallows: AvRuleSyntax[] = [];

  constructor(private readonly sym: Symbols) {}

  key(s: number, t: number, c: number): number {
    return (s * (this.sym.types.length + 1) + t) * 64 + c;
  }

  add(st: Statement): void {
    if (st.kind === "avrule" || st.kind === "type_transition") this.addTe(st);
    else if (st.kind === "if") this.addIf(st);
  }

  private addTe(st: TeStatement, cond?: { index: number; branch: boolean }): void {
    if (st.kind === "type_transition") return this.addTypeRule(st, cond);
    if (st.rule === "neverallow") {
      this.forEachCell(st, () => {}); // resolve names now so errors carry this line
      this.neverallows.push(st);
      return;
    }
    this.forEachCell(st, (key, perms) => {
      if (perms === 0) return;
      if (cond) {
        const list = this.condAvtab.get(key) ?? [];
        list.push({ cond: cond.index, branch: cond.branch, kind: st.rule as CondAvRule["kind"], perms });
        this.condAvtab.set(key, list);
      } else {
        let e = this.avtab.get(key);
        if (!e) {
          e = { allowed: 0, auditallow: 0, auditdeny: 0xffffffff };
          this.avtab.set(key, e);
        }
        if (st.rule === "allow") e.allowed = (e.allowed | perms) >>> 0;
        else if (st.rule === "auditallow") e.auditallow = (e.auditallow | perms) >>> 0;
        else e.auditdeny = (e.auditdeny & ~perms) >>> 0;
      }
      if (st.rule === "allow") {
        const list = this.provenance.get(key) ?? [];
        list.push({ line: st.line, perms, ...(cond ? { cond: this.conds[cond.index]!.text } : {}) });
        this.provenance.set(key, list);
      }
    });
  }

  private forEachCell(st: AvRuleSyntax, fn: (key: number, perms: number) => void): void {
    const sources = expandTypes(this.sym, st.source);
    const targets = st.target.names.length || st.target.star || st.target.complement ? expandTypes(this.sym, st.target) : new Set<number>();
    const classes = expandClasses(this.sym, st.classes);
    for (const cls of classes) {
      const perms = permMask(this.sym, cls, st.perms);
      for (const s of sources) {
        for (const t of targets) fn(this.key(s, t, cls.value), perms);
        if (st.target.self) fn(this.key(s, s, cls.value), perms);
      }
    }
  }

  private addTypeRule(st: TypeRuleSyntax, cond?: { index: number; branch: boolean }): void {
    const newType = this.sym.type(st.newType, st.line);
    if (newType.isAttribute) throw this.sym.err(st.line, `type_transition result '${st.newType}' is an attribute`);
    const sources = expandTypes(this.sym, st.source);
    const targets = expandTypes(this.sym, st.target);
    const classes = expandClasses(this.sym, st.classes);
    for (const cls of classes) {
      for (const s of sources) {
        const ts = st.target.self ? [...targets, s] : targets;
        for (const t of ts) {
          const key = this.key(s, t, cls.value);
          if (cond) {
            const list = this.condTypeTransitions.get(key) ?? [];
            list.push({ cond: cond.index, branch: cond.branch, newType: newType.value });
            this.condTypeTransitions.set(key, list);
            continue;
          }
          const prev = this.typeTransitions.get(key);
          if (prev !== undefined && prev !== newType.value) {
            throw this.sym.err(
              st.line,
              `conflicting type_transition for ${this.sym.types[s - 1]!.name} ${this.sym.types[t - 1]!.name} : ${cls.name} (also at ${this.sym.where(this.typeRuleLines.get(key)!)})`,
            );
          }
          this.typeTransitions.set(key, newType.value);
          this.typeRuleLines.set(key, st.line);
        }
      }
    }
  }

  private addIf(st: Extract<Statement, { kind: "if" }>): void {
    const rpn: CondOp[] = [];
    const bools = new Set<number>();
    const walk = (e: CondExprSyntax): string => {
      switch (e.kind) {
        case "bool": {
          const b = this.sym.bool(e.name, e.line);
          bools.add(b.index);
          rpn.push({ op: "bool", bool: b.index });
          return e.name;
        }
        case "not": {
          const s = walk(e.expr);
          rpn.push({ op: "not" });
          return `!${s}`;
        }
        default: {
          const l = walk(e.left);
          const r = walk(e.right);
          rpn.push({ op: e.kind });
          const sym = { and: "&&", or: "||", xor: "^", eq: "==", neq: "!=" }[e.kind];
          return `(${l} ${sym} ${r})`;
        }
      }
    };
    const text = walk(st.expr);
    const index = this.conds.length;
    this.conds.push({ rpn, bools: [...bools], text, ...this.sym.locate(st.line) });
    for (const r of st.whenTrue) this.addTe(r, { index, branch: true });
    for (const r of st.whenFalse) this.addTe(r, { index, branch: false });
  }

  /**
   * neverallow: no allow rule, in any branch of any conditional, may grant a forbidden
   * permission. The error names both rules.
   */
  checkNeverallows(): void {
    for (const st of this.neverallows) {
      this.forEachCell(st, (key, perms) => {
        for (const p of this.provenance.get(key) ?? []) {
          const overlap = (p.perms & perms) >>> 0;
          if (overlap === 0) continue;
          const cls = this.sym.classes[(key % 64) - 1]!;
          const names = cls.perms.filter((_, bit) => overlap & (1 << bit));
          throw this.sym.err(
            st.line,
            `neverallow violated by allow rule at ${this.sym.where(p.line)}${p.cond ? ` (if ${p.cond})` : ""}: ` +
              `${this.cellName(key)} { ${names.join(" ")} }`,
          );
        }
      });
    }
  }

  private cellName(key: number): string {
    const c = key % 64;
    const pair = (key - c) / 64;
    const n = this.sym.types.length + 1;
    const t = pair % n;
    const s = (pair - t) / n;
    return `${this.sym.types[s - 1]!.name} ${this.sym.types[t - 1]!.name} : ${this.sym.classes[c - 1]!.name}`;
  }
}
