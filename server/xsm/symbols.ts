import { catWords, emptyCats, setCat, type CatSet } from "./catset";
import { SourceMap, type SourceLocation } from "./source-map";
import type { Level, Range } from "./mls";
import type { BoolInfo, ClassInfo, RoleInfo, TypeInfo, UserInfo } from "./policy";
import type { LevelSyntax, RangeSyntax } from "./ast";

/**
 * Mutable symbol tables used while compiling; frozen into a CompiledPolicy at the end.
 * Lookups throw `file:line: unknown …` errors so every rule reports where it went wrong.
 */
export class Symbols {
  readonly classes: ClassInfo[] = [];
  readonly classByName = new Map<string, ClassInfo>();
  readonly commons = new Map<string, string[]>();
  readonly types: TypeInfo[] = [];
  readonly typeByName = new Map<string, number>();
  readonly roles: RoleInfo[] = [];
  readonly roleByName = new Map<string, number>();
  readonly users: UserInfo[] = [];
  readonly userByName = new Map<string, number>();
  readonly sensNames: string[] = [];
  readonly sensByName = new Map<string, number>();
  readonly catNames: string[] = [];
  readonly catByName = new Map<string, number>();
  readonly levelCats = new Map<number, CatSet>();
  readonly bools: BoolInfo[] = [];
  readonly boolByName = new Map<string, BoolInfo>();
  /** Sensitivity names in declaration order, before `dominance` orders them. */
  readonly declaredSens: string[] = [];
  readonly sensAliases = new Map<string, string>();

  constructor(
    readonly file: string,
    readonly map: SourceMap = SourceMap.identity(file),
  ) {}

  /** An error at a (physical) line, reported at its original `file:line`. */
  err(line: number, message: string): Error {
    return this.map.error(line, message);
  }

  locate(line: number): SourceLocation {
    return this.map.locate(line);
  }

  where(line: number): string {
    return this.map.where(line);
  }

  get words(): number {
    return catWords(this.catNames.length);
  }

  cls(name: string, line: number): ClassInfo {
    const c = this.classByName.get(name);
    if (!c) throw this.err(line, `unknown class '${name}'`);
    return c;
  }

  perm(cls: ClassInfo, name: string, line: number): number {
    const bit = cls.permBits.get(name);
    if (bit === undefined) throw this.err(line, `unknown permission '${name}' in class ${cls.name}`);
    return bit;
  }

  type(name: string, line: number): TypeInfo {
    const v = this.typeByName.get(name);
    if (v === undefined) throw this.err(line, `unknown type '${name}'`);
    return this.types[v - 1]!;
  }

  role(name: string, line: number): RoleInfo {
    const v = this.roleByName.get(name);
    if (v === undefined) throw this.err(line, `unknown role '${name}'`);
    return this.roles[v - 1]!;
  }

  user(name: string, line: number): UserInfo {
    const v = this.userByName.get(name);
    if (v === undefined) throw this.err(line, `unknown user '${name}'`);
    return this.users[v - 1]!;
  }

  bool(name: string, line: number): BoolInfo {
    const b = this.boolByName.get(name);
    if (!b) throw this.err(line, `unknown boolean '${name}'`);
    return b;
  }

  sens(name: string, line: number): number {
    const v = this.sensByName.get(name);
    if (v === undefined) throw this.err(line, `unknown sensitivity '${name}'`);
    return v;
  }

  cat(name: string, line: number): number {
    const v = this.catByName.get(name);
    if (v === undefined) throw this.err(line, `unknown category '${name}'`);
    return v;
  }

  addType(name: string, isAttribute: boolean, line: number): TypeInfo {
    if (this.typeByName.has(name)) throw this.err(line, `duplicate declaration of type '${name}'`);
    const t: TypeInfo = { name, value: this.types.length + 1, isAttribute, aliases: [], related: [], line };
    this.types.push(t);
    this.typeByName.set(name, t.value);
    return t;
  }

  addAlias(t: TypeInfo, alias: string, line: number): void {
    if (this.typeByName.has(alias)) throw this.err(line, `duplicate declaration of type '${alias}'`);
    t.aliases.push(alias);
    this.typeByName.set(alias, t.value);
  }

  /** Resolves a category list as written in policy text (`c0.c3,c7`). */
  catSet(level: LevelSyntax): CatSet {
    const cats = emptyCats(this.words);
    for (const item of level.cats) {
      const from = this.cat(item.from, level.line);
      if (item.to === undefined) {
        setCat(cats, from - 1);
        continue;
      }
      const to = this.cat(item.to, level.line);
      if (from >= to) throw this.err(level.line, `category range ${item.from}.${item.to} is empty`);
      for (let v = from; v <= to; v++) setCat(cats, v - 1);
    }
    return cats;
  }

  /** A level used in a context or user statement: must respect the `level` statements. */
  level(syntax: LevelSyntax): Level {
    const sens = this.sens(syntax.sens, syntax.line);
    const cats = this.catSet(syntax);
    const allowed = this.levelCats.get(sens);
    if (!allowed) throw this.err(syntax.line, `sensitivity ${syntax.sens} has no level statement`);
    for (let w = 0; w < cats.length; w++) {
      const extra = cats[w]! & ~allowed[w]!;
      if (extra !== 0) {
        const bit = w * 32 + (31 - Math.clz32(extra & -extra));
        throw this.err(syntax.line, `category ${this.catNames[bit]} can not be associated with level ${syntax.sens}`);
      }
    }
    return { sens, cats };
  }

  range(syntax: RangeSyntax): Range {
    return { low: this.level(syntax.low), high: this.level(syntax.high) };
  }
}
