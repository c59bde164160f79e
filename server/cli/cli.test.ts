import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { configFile, resolveSettings, writeStoredConfig } from "./config";
import { describeApiFailure, NOT_LOGGED_IN } from "./errors";
import type { Io } from "./io";
import { run } from "./program";
import { stepLine, table, vmState, type Operation } from "./render";
import { progressPrinter } from "./wait";

/** The CLI's pure parts: argument parsing and exit codes, settings, rendering, error wording (no network). */

function fakeIo(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) =>
    Object.assign(new PassThrough(), { isTTY: false as boolean }).on("data", (c: Buffer) => into.push(c.toString()));
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  const io: Io = {
    stdout: sink(out),
    stderr: sink(err),
    stdin,
    env: { HOME: mkdtempSync(path.join(os.tmpdir(), "rg-cli-")), ...env },
  };
  return { io, out: () => out.join(""), err: () => err.join("") };
}

describe("argument parsing and exit codes", () => {
  it("--help exits 0 and prints usage on stdout, everywhere", async () => {
    for (const argv of [
      ["--help"],
      ["vm", "--help"],
      ["vm", "create", "--help"],
      ["disk", "attach", "--help"],
      ["vm", "snapshot", "take", "--help"],
      ["vm", "clone", "--help"],
      ["op", "wait", "--help"],
      ["help", "audit"],
    ]) {
      const { io, out } = fakeIo();
      expect(await run(argv, io), argv.join(" ")).toBe(0);
      expect(out()).toMatch(/^Usage: realmgate/);
    }
  });

  it("a wrong command line exits 2 with the problem on stderr", async () => {
    for (const [argv, message] of [
      [["vm"], /Usage: realmgate vm/],
      [["vm", "frobnicate"], /unknown command 'frobnicate'/],
      [["vm", "start"], /missing required argument 'vm'/],
      [["vm", "create", "web-1"], /required option '-t, --template <template>' not specified/],
      [["vm", "create", "web-1", "-t", "small", "--memory", "lots"], /--memory must be a whole number/],
      [["vm", "ls", "--bogus"], /unknown option '--bogus'/],
      [["audit", "ls", "--limit", "0"], /--limit must be a whole number from 1/],
      // Everyday VM work (issue 14).
      [["vm", "resize", "web-1"], /give --memory, --vcpus or both/],
      [["vm", "rename", "web-1"], /missing required argument 'name'/],
      [["vm", "snapshot", "revert", "web-1"], /missing required argument 'snapshot'/],
      [["vm", "migrate", "web-1", "--to"], /option '--to <host>' argument missing/],
    ] as const) {
      const { io, err } = fakeIo();
      expect(await run([...argv], io), argv.join(" ")).toBe(2);
      expect(err()).toMatch(message);
    }
  });

  it("without a token, a command says how to log in (exit 1) before touching the network", async () => {
    const { io, err, out } = fakeIo({ REALMGATE_URL: "http://127.0.0.1:9" });
    expect(await run(["vm", "ls", "--json"], io)).toBe(1);
    expect(err()).toBe(`realmgate: ${NOT_LOGGED_IN}\n`);
    expect(out()).toBe("");
  });

  it("destroy without a terminal needs --yes (exit 2), asked before anything is destroyed", async () => {
    const { io, err } = fakeIo({ REALMGATE_URL: "http://127.0.0.1:9", REALMGATE_TOKEN: "rgt_x" });
    expect(await run(["vm", "destroy", "00000000-0000-4000-8000-000000000000"], io)).toBe(2);
    expect(err()).toMatch(/needs confirmation: run it in a terminal or add --yes/);
  });
});

describe("settings", () => {
  it("REALMGATE_TOKEN and REALMGATE_URL override the config file; the default URL is localhost:3000", () => {
    const home = mkdtempSync(path.join(os.tmpdir(), "rg-cfg-"));
    expect(resolveSettings({ HOME: home })).toMatchObject({
      url: "http://localhost:3000",
      token: null,
      tokenFrom: null,
      urlFrom: "default",
    });
    writeStoredConfig(configFile({ HOME: home }), { url: "https://rg.example.test/", token: "rgt_file" });
    expect(resolveSettings({ HOME: home })).toMatchObject({
      url: "https://rg.example.test",
      token: "rgt_file",
      tokenFrom: "config file",
    });
    expect(resolveSettings({ HOME: home, REALMGATE_TOKEN: "rgt_env", REALMGATE_URL: "http://other:1" })).toMatchObject({
      url: "http://other:1",
      token: "rgt_env",
      tokenFrom: "REALMGATE_TOKEN",
    });
  });

  it("logout removes the saved token", async () => {
    const { io, out } = fakeIo();
    const file = configFile(io.env);
    writeStoredConfig(file, { url: "http://localhost:3000", token: "rgt_secret" });
    expect(await run(["logout"], io)).toBe(0);
    expect(out()).toBe(`removed ${file} (http://localhost:3000)\n`);
    expect(resolveSettings(io.env).token).toBeNull();
  });

  it("the config file is 0600 in a 0700 directory, under XDG_CONFIG_HOME when set", () => {
    const xdg = mkdtempSync(path.join(os.tmpdir(), "rg-xdg-"));
    const file = configFile({ HOME: "/nonexistent", XDG_CONFIG_HOME: xdg });
    expect(file).toBe(path.join(xdg, "realmgate", "config.json"));
    writeStoredConfig(file, { url: "http://localhost:3000", token: "rgt_secret" });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ url: "http://localhost:3000", token: "rgt_secret" });
  });
});

describe("error wording", () => {
  it("401 without a token says how to log in; with one, the server's reason (an expiry names the date)", () => {
    expect(describeApiFailure({ status: 401, body: { detail: "missing credentials" }, tokenSent: false })).toBe(
      NOT_LOGGED_IN,
    );
    const expired = "the API token expired on 2026-11-30T00:00:00.000Z";
    expect(describeApiFailure({ status: 401, body: { status: 401, detail: expired }, tokenSent: true })).toBe(expired);
  });

  it("404 names the thing asked for, the same for a foreign id and a missing one", () => {
    expect(
      describeApiFailure({ status: 404, body: { detail: "VM not found" }, tokenSent: true, thing: "VM web-1" }),
    ).toBe("VM web-1 not found");
    expect(describeApiFailure({ status: 404, body: { detail: "disk not found" }, tokenSent: true })).toBe(
      "disk not found",
    );
  });

  it("429 gives the Retry-After; 400 lists each field's problem", () => {
    expect(
      describeApiFailure({
        status: 429,
        body: { detail: "too many requests for this token" },
        tokenSent: true,
        retryAfter: "17",
      }),
    ).toBe("rate limited: too many requests for this token; retry in 17 s");
    expect(
      describeApiFailure({
        status: 400,
        body: {
          detail: "name must start with a letter",
          errors: { name: ["name must start with a letter"], memoryMb: ["memoryMb must be at least 128"] },
        },
        tokenSent: true,
      }),
    ).toBe("name must start with a letter\n  memoryMb: memoryMb must be at least 128");
  });
});

describe("rendering", () => {
  it("tables pad columns and show missing cells as -", () => {
    expect(
      table(
        ["NAME", "HOST"],
        [
          ["web-1", null],
          ["database", "h-a"],
        ],
      ),
    ).toBe("NAME      HOST\nweb-1     -\ndatabase  h-a");
  });

  it("a VM's state shows where it is heading", () => {
    expect(vmState({ observedState: "stopped", desiredState: "running" })).toBe("stopped → running");
    expect(vmState({ observedState: "running", desiredState: "running" })).toBe("running");
  });

  it("--wait prints each step once, as it changes, without a spinner off a terminal", () => {
    const lines: string[] = [];
    const stream = Object.assign(new PassThrough(), { isTTY: false }).on("data", (c: Buffer) =>
      lines.push(c.toString()),
    );
    const op = (status: Operation["status"], steps: Operation["steps"]): Operation => ({
      id: "op",
      vmId: "vm",
      action: "start",
      status,
      done: status === "succeeded" || status === "failed",
      steps,
      error: null,
      result: null,
      createdAt: "2026-12-01T23:00:00.000Z",
      startedAt: null,
      finishedAt: null,
      durationMs: null,
    });
    const accepted = { name: "accepted", status: "done", at: "2026-12-01T23:00:00.000Z", detail: null } as const;
    const progress = progressPrinter(stream, "start VM web-1");
    progress.update(
      op("pending", [
        accepted,
        { name: "dispatched", status: "pending", at: null, detail: null },
        { name: "applied", status: "pending", at: null, detail: null },
      ]),
    );
    progress.update(
      op("running", [
        accepted,
        { name: "dispatched", status: "done", at: "2026-12-01T23:00:01.000Z", detail: "1 attempt" },
        { name: "applied", status: "running", at: null, detail: null },
      ]),
    );
    progress.update(
      op("running", [
        accepted,
        { name: "dispatched", status: "done", at: "2026-12-01T23:00:01.000Z", detail: "1 attempt" },
        { name: "applied", status: "running", at: null, detail: null },
      ]),
    );
    progress.update(
      op("succeeded", [
        accepted,
        { name: "dispatched", status: "done", at: "2026-12-01T23:00:01.000Z", detail: "1 attempt" },
        { name: "applied", status: "done", at: "2026-12-01T23:00:02.000Z", detail: null },
      ]),
    );
    progress.done();
    expect(lines.join("")).toBe(
      [
        "start VM web-1",
        "  ✓ accepted    23:00:00",
        "  ✓ dispatched  23:00:01  1 attempt",
        "  … applied     running",
        "  ✓ applied     23:00:02",
        "",
      ].join("\n"),
    );
    expect(lines.join("")).not.toMatch(/\r|\x1b/);
    expect(stepLine({ name: "applied", status: "failed", at: null, detail: "EACCES" })).toBe("  ✗ applied     EACCES");
  });

  it("on a terminal, a spinner turns beside the running step and is wiped before the next line", async () => {
    const chunks: string[] = [];
    const stream = Object.assign(new PassThrough(), { isTTY: true }).on("data", (c: Buffer) =>
      chunks.push(c.toString()),
    );
    const progress = progressPrinter(stream, "reboot VM web-1");
    const op: Operation = {
      id: "op",
      vmId: "vm",
      action: "reboot",
      status: "running",
      done: false,
      error: null,
      result: null,
      createdAt: "2026-12-01T23:00:00.000Z",
      startedAt: null,
      finishedAt: null,
      durationMs: null,
      steps: [
        { name: "accepted", status: "done", at: "2026-12-01T23:00:00.000Z", detail: null },
        { name: "applied", status: "running", at: null, detail: null },
      ],
    };
    progress.update(op);
    await new Promise((resolve) => setTimeout(resolve, 250));
    progress.done();
    const text = chunks.join("");
    expect(text).toMatch(/\r\x1b\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] applied…/);
    expect(text.endsWith("\r\x1b[2K")).toBe(true); // the spinner's line is cleared at the end
    expect(text).not.toMatch(/… applied {5}running\n/); // a running step is the spinner's, not a line
  });
});
