import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultBools } from "../booleans";
import { compilePolicy } from "../compile";
import type { BoolState, CompiledPolicy } from "../policy";
import { engineAnswer } from "./engine-answers";
import { plausibleContext, randomContext, ruleDrivenAvQuery } from "./generate";
import { loadBinaryPolicy } from "../binary";
import { compileBinaryPolicy, requireOracleTools, SepolOracle } from "./oracle";
import { Prng } from "../prng";

/**
 * Differential test: Realmgate's FLASK engine against libsepol (the security server Xen's
 * FLASK was forked from) on policies compiled by Debian's checkpolicy for the Xen target:
 * the project's realm policy, a stress policy covering what the realm policy does not use
 * (several sensitivities, users and roles, role-allow, every constraint operator), and Xen's
 * own upstream policy in both builds (without MLS, Xen's default, and with MLS), which
 * nobody here wrote. For each policy the engine answers twice: from the policy text (our
 * compiler) and from checkpolicy's binary (our loader); libsepol reads the same binary.
 * Every disagreement fails the test. Missing tools fail it too (CI installs them): a
 * skipped oracle would silently stop guarding the engine. One run compares over a million
 * answers (the per-part counts are printed at the end); `XSM_DIFF_SEED` picks other queries.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const SEED = Number(process.env.XSM_DIFF_SEED ?? 20240611);
const totals: Record<string, number> = {};
/** Answers that are not refusals or empty vectors, to show the queries are not trivial. */
const substantive: Record<string, number> = {};

function isSubstantive(answer: string): boolean {
  return answer.startsWith("ok") && !answer.startsWith("ok 00000000");
}

async function compareWith(
  oracle: SepolOracle,
  policy: CompiledPolicy,
  name: string,
  queries: string[],
  bools: BoolState = defaultBools(policy),
): Promise<void> {
  const expected = await oracle.ask(queries);
  const mismatches: string[] = [];
  queries.forEach((q, i) => {
    const got = engineAnswer(policy, bools, q);
    if (got !== expected[i]) mismatches.push(`${q}\n    libsepol: ${expected[i]}\n    engine:   ${got}`);
  });
  totals[name] = (totals[name] ?? 0) + queries.length;
  substantive[name] = (substantive[name] ?? 0) + expected.filter(isSubstantive).length;
  expect(mismatches.slice(0, 10), `${mismatches.length} disagreements in ${name}`).toEqual([]);
}

afterAll(() => {
  const sum = Object.values(totals).reduce((a, b) => a + b, 0);
  const perPolicy: Record<string, number> = {};
  for (const [part, n] of Object.entries(totals)) {
    const policy = part.slice(0, part.lastIndexOf("/"));
    perPolicy[policy] = (perPolicy[policy] ?? 0) + n;
  }
  console.log(
    `libsepol differential (seed ${SEED}): ${sum} comparisons, 0 disagreements\n` +
      `  per policy: ${Object.entries(perPolicy).map(([k, n]) => `${k} ${n.toLocaleString("en-US")}`).join(", ")}\n` +
      `  per part: ${JSON.stringify(totals)}\n  non-refusal, non-empty answers: ${JSON.stringify(substantive)}`,
  );
});

interface Sizes {
  random: number;
  transitions: number;
  validity: number;
}

/**
 * One policy: `file` is the policy text; `binary` is checkpolicy's output for it (compiled
 * here when absent); `from` says whether the engine reads the text or the binary.
 */
function suite(label: string, file: string, sizes: Sizes, opts: { binary?: string; from?: "text" | "binary" } = {}): void {
  describe(`engine agrees with libsepol on ${label}`, () => {
    let policy: CompiledPolicy;
    let oracle: SepolOracle;
    const compare = (name: string, queries: string[], bools?: BoolState) =>
      compareWith(oracle, policy, `${label}/${name}`, queries, bools);

    beforeAll(async () => {
      requireOracleTools();
      const bin = opts.binary ?? compileBinaryPolicy(file);
      const text = compilePolicy(readFileSync(file, "utf8"), path.basename(file));
      policy =
        opts.from === "binary"
          ? loadBinaryPolicy(readFileSync(bin), { fileName: path.basename(bin), initialSidNames: text.initialSids.map((s) => s.name) })
          : text;
      oracle = await SepolOracle.start(bin);
    });
    afterAll(() => oracle?.close());

    it("uses the same permission bits for every class", async () => {
      const answers = await oracle.ask(policy.classes.map((c) => `perms ${c.name}`));
      policy.classes.forEach((c, i) => {
        const bits = c.perms.map((p, bit) => `${p}:${bit}`).join(" ");
        expect(answers[i]!.replace(/\s+/g, " ")).toBe(`ok ${bits}`);
      });
    });

    it("every type x type x class access vector, at equal levels", async () => {
      const types = policy.types.filter((t) => !t.isAttribute);
      // A role system_u holds, when one may hold the type (role values differ between the
      // text compiler and checkpolicy, so "the first role" would pick different labels).
      const systemU = policy.users[policy.userByName.get("system_u")! - 1]!;
      const holders = (value: number) => policy.roles.filter((r) => r.name !== "object_r" && r.types[value]);
      const ctx = (name: string, value: number, level: string): string => {
        const role = holders(value).find((r) => systemU.roles.has(r.value)) ?? holders(value)[0];
        return `system_u:${role ? role.name : "object_r"}:${name}${level ? `:${level}` : ""}`;
      };
      const cats = policy.catNames.length > 873 ? "c12,c873" : "c12,c13";
      for (const level of policy.mls ? [`s0:${cats}`, "s0"] : [""]) {
        const queries: string[] = [];
        for (const s of types) {
          for (const t of types) {
            for (const c of policy.classes) queries.push(`av ${ctx(s.name, s.value, level)} ${ctx(t.name, t.value, level)} ${c.name}`);
          }
        }
        await compare("exhaustive-av", queries);
      }
    });

    it(`${sizes.random.toLocaleString("en-US")} random labelled access-vector queries`, async () => {
      const rng = new Prng(SEED);
      const keys = [...policy.avtab.keys(), ...policy.condAvtab.keys()];
      const queries: string[] = [];
      for (let i = 0; i < sizes.random; i++) {
        if (i % 4 !== 3) queries.push(ruleDrivenAvQuery(policy, rng, keys));
        else {
          const s = rng.chance(0.7) ? plausibleContext(policy, rng) : randomContext(policy, rng);
          const t = rng.chance(0.7) ? plausibleContext(policy, rng) : randomContext(policy, rng);
          queries.push(`av ${s} ${t} ${rng.pick(policy.classes).name}`);
        }
      }
      await compare("random-av", queries);
    });

    it("every boolean combination (libsepol reads booleans from the binary: one build each)", async () => {
      const text = readFileSync(file, "utf8");
      const keys = [...policy.avtab.keys(), ...policy.condAvtab.keys()];
      // Each boolean's declaration must be found, or a "flipped" build would silently be the default one.
      for (const b of policy.bools) expect(new RegExp(`^[ \\t]*bool ${b.name} (true|false);`, "m").test(text), b.name).toBe(true);
      for (let mask = 0; mask < 1 << policy.bools.length; mask++) {
        const bools = policy.bools.map((_, i) => ((mask >> i) & 1) === 1);
        const variant = bools.reduce(
          (t, v, i) => t.replace(new RegExp(`^([ \\t]*)bool ${policy.bools[i]!.name} (true|false);`, "m"), `$1bool ${policy.bools[i]!.name} ${v};`),
          text,
        );
        const tmp = path.join(tmpdir(), `xsm-bools-${process.pid}-${label}-${mask}.te`);
        writeFileSync(tmp, variant);
        const flipped = await SepolOracle.start(compileBinaryPolicy(tmp));
        try {
          const rng = new Prng(SEED + 100 + mask);
          const queries: string[] = [];
          for (let i = 0; i < 3_000; i++) {
            if (i % 2 === 0) queries.push(ruleDrivenAvQuery(policy, rng, keys));
            else queries.push(`create ${plausibleContext(policy, rng)} ${plausibleContext(policy, rng)} ${rng.pick(policy.classes).name}`);
          }
          await compareWith(flipped, policy, `${label}/bools`, queries, bools);
        } finally {
          flipped.close();
          rmSync(tmp, { force: true });
        }
      }
    });

    it("derived labels: transition() for domain, event and other classes", async () => {
      const rng = new Prng(SEED + 2);
      const queries: string[] = [];
      for (let i = 0; i < sizes.transitions; i++) {
        const cls = i % 3 === 0 ? "domain" : i % 3 === 1 ? "event" : rng.pick(policy.classes).name;
        const s = rng.chance(0.9) ? plausibleContext(policy, rng) : randomContext(policy, rng);
        const t = rng.chance(0.9) ? plausibleContext(policy, rng) : randomContext(policy, rng);
        queries.push(`create ${s} ${t} ${cls}`);
      }
      await compare("transition", queries);
    });

    it("context validity and canonical form of random contexts", async () => {
      const rng = new Prng(SEED + 3);
      const queries: string[] = [];
      for (let i = 0; i < sizes.validity; i++) {
        queries.push(`valid ${rng.chance(0.5) ? plausibleContext(policy, rng) : randomContext(policy, rng)}`);
      }
      await compare("validity", queries);
    });
  });
}

const XEN = path.resolve(here, "fixtures/xen");
suite("realm.te", path.resolve(here, "../policy/realm.te"), { random: 110_000, transitions: 30_000, validity: 30_000 });
suite("stress.te", path.resolve(here, "fixtures/stress.te"), { random: 40_000, transitions: 15_000, validity: 15_000 });
suite("realm.te (binary)", path.resolve(here, "../policy/realm.te"), { random: 20_000, transitions: 5_000, validity: 5_000 }, { from: "binary" });
suite("stress.te (binary)", path.resolve(here, "fixtures/stress.te"), { random: 20_000, transitions: 5_000, validity: 5_000 }, { from: "binary" });
for (const build of ["nomls", "mlsfix"] as const) {
  const text = path.join(XEN, `policy.${build}.conf`);
  const binary = path.join(XEN, `xen.${build}.bin`);
  suite(`xen ${build}`, text, { random: 90_000, transitions: 20_000, validity: 15_000 }, { binary, from: "text" });
  suite(`xen ${build} (binary)`, text, { random: 90_000, transitions: 20_000, validity: 15_000 }, { binary, from: "binary" });
}
