/**
 * The serial console's round trip on the real product (issue 14): a keystroke line sent with
 * vm.console.send (tRPC over HTTP, session cookie) until its output arrives on the browser's
 * vm.console.stream (server-sent events): web → PostgreSQL + NOTIFY → worker relay → signed HTTP
 * → agent (XSM, console ring) → output row + NOTIFY → the stream. Printed next to two baselines
 * measured in the same run: a tRPC query round trip (vm.get) and a tRPC mutation (vm.console.send
 * alone, accepted); the target is an interactive round trip (< 200 ms on loopback).
 *   npx tsx bench/console.bench.ts
 * Env: BENCH_SAMPLES (round trips, default 100), BENCH_FRESH=1 (drop the cached build first).
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import { launch, mutate, now, percentile, query, queryUrl, ROOT, signIn, sleep, stopLauncher, syncSources, type Launched } from "./support";

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const fmt = (n: number) => n.toFixed(1);
const line = (label: string, xs: number[]) => `${label.padEnd(44)} p50 ${fmt(percentile(xs, 50)).padStart(7)} ms  p95 ${fmt(percentile(xs, 95)).padStart(7)} ms`;

/** The stream's raw text as it arrives (tRPC's SSE frames; the output is JSON-escaped inside them). */
function openStream(web: string, cookie: string, consoleId: string) {
  const abort = new AbortController();
  let text = "";
  const waiters: { pattern: string; resolve: () => void }[] = [];
  const done = (async () => {
    const response = await fetch(queryUrl(web, "vm.console.stream", { consoleId, after: "0" }), { headers: { cookie, accept: "text/event-stream" }, signal: abort.signal });
    if (!response.ok || !response.body) throw new Error(`stream: ${response.status}`);
    const decoder = new TextDecoder();
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true });
      for (const w of waiters.splice(0)) (text.includes(w.pattern) ? w.resolve : () => waiters.push(w))();
    }
  })().catch(() => {});
  const until = (pattern: string, timeoutMs = 10_000) =>
    new Promise<void>((resolve, reject) => {
      if (text.includes(pattern)) return resolve();
      const timer = setTimeout(() => reject(new Error(`no ${pattern} on the stream within ${timeoutMs} ms`)), timeoutMs);
      waiters.push({ pattern, resolve: () => (clearTimeout(timer), resolve()) });
    });
  return { until, close: () => abort.abort(), done };
}

async function main(): Promise<void> {
  const runDir = path.join(ROOT, ".data", `bench-run-${randomUUID().slice(0, 8)}`);
  const app = path.join(ROOT, ".data", "bench-cache", "app");
  console.log(`Console bench (${SAMPLES} round trips; data in ${path.relative(ROOT, runDir)})`);
  syncSources(app);
  let launched: Launched | null = null;
  try {
    launched = await launch(app, path.join(runDir, "data"), null);
    const web = launched.web;
    const cookie = await signIn(web);
    const templates = await query<{ items: { id: string; name: string }[] } | { id: string; name: string }[]>(web, cookie, "template.list", {});
    const list = Array.isArray(templates) ? templates : templates.items;
    const templateId = list.find((t) => t.name === "alpine-3-tiny")?.id ?? list[0]!.id;
    const { vmId } = await mutate<{ vmId: string }>(web, cookie, "vm.create", { name: `bench-console-${randomUUID().slice(0, 6)}`, templateId });
    const state = async () => (await query<{ observedState: string }>(web, cookie, "vm.get", { vmId })).observedState;
    while ((await state()) !== "stopped") await sleep(100);
    await mutate(web, cookie, "vm.start", { vmId });
    while ((await state()) !== "running") await sleep(100);

    const { consoleId } = await mutate<{ consoleId: string }>(web, cookie, "vm.console.open", { vmId });
    const stream = openStream(web, cookie, consoleId);
    await stream.until(":~# ");

    // Baseline 1: a tRPC query round trip (session, realm transaction, one VM read).
    const get: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const t = now();
      await query(web, cookie, "vm.get", { vmId });
      get.push(now() - t);
    }
    // The console: send a line, wait for its answer on the stream. The mutation's own time is
    // the second baseline (what the browser waits for before the relay even starts).
    const accepted: number[] = [];
    const roundTrip: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const mark = `mark-${i}-${randomUUID().slice(0, 4)}`;
      const t = now();
      await mutate(web, cookie, "vm.console.send", { consoleId, data: `echo ${mark}\r` });
      accepted.push(now() - t);
      await stream.until(`\\r\\n${mark}\\r\\n`);
      roundTrip.push(now() - t);
    }
    await mutate(web, cookie, "vm.console.close", { consoleId });
    stream.close();

    console.log(line("baseline: tRPC query (vm.get)", get));
    console.log(line("baseline: tRPC mutation (vm.console.send)", accepted));
    console.log(line("console round trip (send → output on stream)", roundTrip));
    const p50 = percentile(roundTrip, 50);
    console.log(
      `round trip p50 / query p50: ${(p50 / percentile(get, 50)).toFixed(2)}; / mutation p50: ${(p50 / percentile(accepted, 50)).toFixed(2)}; ` +
        `interactive (< 200 ms p50): ${p50 < 200 ? "yes" : "no"}`,
    );
  } finally {
    if (launched) await stopLauncher(launched);
  }
}

await main();
process.exit(0);
