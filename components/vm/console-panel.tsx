"use client";
import "@xterm/xterm/css/xterm.css";
import { useMutation } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import type { Terminal } from "@xterm/xterm";
import { ORG_HEADER, ORG_PARAM, orgSelection } from "@/server/edge/realm-selection";
import { CLIENT_HEADER, CLIENT_HEADER_VALUE } from "@/server/edge/same-origin";
import { consoleIdlePhase, DEFAULT_CONSOLE_IDLE_MS, sayIdleLimit, type IdlePhase } from "@/server/policy/console-idle";
import { usePermissions } from "../realm/use-permissions";
import { useTRPC } from "../trpc";
import { Card } from "../ui/card";

/**
 * The VM's serial console (hvc0) in the browser: xterm.js, loaded on the client only. Keystrokes
 * go to vm.console.send (one request in flight, the rest coalesced); output arrives on the
 * vm.console.stream subscription (server-sent events). Closing the panel, leaving the page or
 * closing the tab closes the session (the server also closes it when the stream has been gone for
 * the idle limit). Nobody typing for the idle limit (REALMGATE_CONSOLE_IDLE_MS, the page passes
 * it) closes it too, after a warning with a "Keep open" button. Offered to members with
 * vm.console while the VM runs.
 */
export function ConsolePanel({ vm, idleMs = DEFAULT_CONSOLE_IDLE_MS }: { vm: { id: string; name: string; observedState: string }; idleMs?: number }) {
  const can = usePermissions();
  const trpc = useTRPC();
  const [consoleId, setConsoleId] = useState<string | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const open = useMutation(
    trpc.vm.console.open.mutationOptions({ onSuccess: (r) => (setEnded(null), setConsoleId(r.consoleId)) }),
  );
  const close = useMutation(trpc.vm.console.close.mutationOptions());
  const running = vm.observedState === "running";

  const closeSession = useCallback(() => {
    if (consoleId) close.mutate({ consoleId });
    setConsoleId(null);
  }, [consoleId]);
  const closeIdle = useCallback(() => {
    if (consoleId) close.mutate({ consoleId });
    setConsoleId(null);
    setEnded(`nobody typed for ${sayIdleLimit(idleMs)}; open it again to go on`);
  }, [consoleId, idleMs]);

  if (!can("vm.console")) return null;
  return (
    <Card
      title="Console"
      actions={
        consoleId ? (
          <button
            type="button"
            className="rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100"
            onClick={closeSession}
            data-testid="console-close"
          >
            Close console
          </button>
        ) : (
          <button
            type="button"
            className="rounded bg-slate-900 px-3 py-1 text-sm text-white hover:bg-slate-700 focus-visible:ring-2 focus-visible:ring-slate-500 focus-visible:ring-offset-2 focus-visible:outline-none disabled:opacity-50"
            disabled={!running || open.isPending}
            onClick={() => open.mutate({ vmId: vm.id })}
            data-testid="console-open"
          >
            {open.isPending ? "Opening…" : "Open console"}
          </button>
        )
      }
    >
      {consoleId ? (
        <ConsoleTerminal
          key={consoleId}
          consoleId={consoleId}
          vmName={vm.name}
          idleMs={idleMs}
          onIdle={closeIdle}
          onEnded={(reason) => (setEnded(reason), setConsoleId(null))}
        />
      ) : (
        <p className="text-sm text-slate-600" aria-live="polite" data-testid="console-status">
          {open.error
            ? `Could not open the console: ${open.error.message}`
            : ended
              ? `The console closed: ${ended}.`
              : running
                ? `The guest's serial console (hvc0). Opening and closing it are recorded in the audit trail; it closes after ${sayIdleLimit(idleMs)} without typing.`
                : "The console is available while the VM runs."}
        </p>
      )}
    </Card>
  );
}

function ConsoleTerminal({
  consoleId,
  vmName,
  idleMs,
  onIdle,
  onEnded,
}: {
  consoleId: string;
  vmName: string;
  idleMs: number;
  onIdle: () => void;
  onEnded: (reason: string) => void;
}) {
  const trpc = useTRPC();
  const org = orgSelection(useSearchParams().get(ORG_PARAM));
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  // Output that arrived before xterm.js finished loading.
  const backlog = useRef<string[]>([]);
  const seen = useRef(BigInt(0));
  const [error, setError] = useState<string | null>(null);
  const send = useMutation(trpc.vm.console.send.mutationOptions());
  const pending = useRef("");
  const inFlight = useRef(false);
  // Idle: time since the last keystroke (or the opening); checked every second.
  const lastInput = useRef(Date.now());
  const [idle, setIdle] = useState<IdlePhase>({ phase: "active", remainingMs: idleMs });
  useEffect(() => {
    const timer = setInterval(() => {
      const next = consoleIdlePhase(idleMs, Date.now() - lastInput.current);
      setIdle((current) => (current.phase === next.phase && Math.ceil(current.remainingMs / 1000) === Math.ceil(next.remainingMs / 1000) ? current : next));
      if (next.phase === "expired") onIdle();
    }, 1_000);
    return () => clearInterval(timer);
  }, [idleMs, onIdle]);
  const keepOpen = useCallback(() => {
    lastInput.current = Date.now();
    setIdle({ phase: "active", remainingMs: idleMs });
    term.current?.focus();
  }, [idleMs]);

  const flush = useCallback(() => {
    if (inFlight.current || pending.current === "") return;
    const data = pending.current.slice(0, 1024);
    pending.current = pending.current.slice(data.length);
    inFlight.current = true;
    send.mutate(
      { consoleId, data },
      {
        onError: (e) => setError(e.message),
        onSettled: () => {
          inFlight.current = false;
          flush();
        },
      },
    );
  }, [consoleId]);

  useSubscription(
    trpc.vm.console.stream.subscriptionOptions(
      { consoleId, after: "0" },
      {
        onData: (page) => {
          // After a reconnect the stream starts over: skip what was written already.
          const fresh = page.chunks.filter((c) => BigInt(c.id) > seen.current);
          if (fresh.length > 0) seen.current = BigInt(fresh[fresh.length - 1]!.id);
          const data = fresh.map((c) => c.data).join("");
          if (data) {
            if (term.current) term.current.write(data);
            else backlog.current.push(data);
          }
          if (page.status === "closed") onEnded(page.closeReason ?? "closed");
        },
        onError: (e) => setError(e.message),
      },
    ),
  );

  // xterm.js touches the DOM when it loads: imported here, in the browser only.
  useEffect(() => {
    let disposed = false;
    let terminal: Terminal | null = null;
    void import("@xterm/xterm").then(({ Terminal }) => {
      if (disposed || !host.current) return;
      terminal = new Terminal({
        cursorBlink: true,
        fontSize: 13,
        rows: 24,
        scrollback: 2_000,
        fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
        theme: { background: "#0f172a", foreground: "#e2e8f0" },
        screenReaderMode: true,
      });
      terminal.open(host.current);
      for (const data of backlog.current.splice(0)) terminal.write(data);
      terminal.onData((data) => {
        lastInput.current = Date.now();
        setIdle((current) => (current.phase === "active" ? current : { phase: "active", remainingMs: idleMs }));
        pending.current += data;
        flush();
      });
      terminal.focus();
      term.current = terminal;
    });
    return () => {
      disposed = true;
      terminal?.dispose();
      term.current = null;
    };
  }, [flush, idleMs]);

  // Closing the tab or leaving the page closes the session too: a request that outlives the page.
  useEffect(() => {
    const leave = () => {
      void fetch("/api/trpc/vm.console.close?batch=1", {
        method: "POST",
        keepalive: true,
        headers: {
          "content-type": "application/json",
          [CLIENT_HEADER]: CLIENT_HEADER_VALUE,
          ...(org ? { [ORG_HEADER]: org } : {}),
        },
        body: JSON.stringify({ 0: { json: { consoleId } } }),
      });
    };
    window.addEventListener("pagehide", leave);
    return () => window.removeEventListener("pagehide", leave);
  }, [consoleId, org]);

  return (
    <div className="space-y-2">
      <div
        ref={host}
        className="overflow-hidden rounded bg-slate-900 p-2"
        role="region"
        aria-label={`Serial console of ${vmName}`}
        data-testid="console-terminal"
      />
      {idle.phase === "warning" && (
        <div className="flex flex-wrap items-center gap-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="console-idle-warning">
          {/* Announced once; the countdown beside it is for the eyes. */}
          <span role="alert">Nobody has typed for a while: this console is about to close.</span>
          <span aria-hidden="true" className="tabular-nums" data-testid="console-idle-countdown">
            {Math.ceil(idle.remainingMs / 1000)} s left
          </span>
          <button type="button" className="rounded border border-amber-400 bg-white px-3 py-1 hover:bg-amber-100" onClick={keepOpen} data-testid="console-keep-open">
            Keep open
          </button>
        </div>
      )}
      {error && (
        <p className="text-sm text-red-700" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
