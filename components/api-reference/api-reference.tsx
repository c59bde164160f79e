"use client";
import { useEffect, useRef, useState } from "react";

type ScalarInstance = { destroy: () => void };
type ScalarGlobal = { createApiReference: (element: HTMLElement, configuration: Record<string, unknown>) => ScalarInstance };

/**
 * Scalar's configuration: the document from this origin, and nothing fetched from elsewhere (no
 * hosted fonts, no telemetry, no AI agent, no developer toolbar); requests from "Test request"
 * go straight to this origin, never through Scalar's proxy.
 */
const CONFIGURATION = {
  url: "/api/openapi.json",
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  showDeveloperTools: "never",
  showToolbar: "never",
  hideDarkModeToggle: true,
  forceDarkModeState: "light",
  documentDownloadType: "json",
  layout: "modern",
  // "Open API Client" would send the document to client.scalar.com.
  hideClientButton: true,
} as const;

function loadScript(src: string, nonce: string | undefined): Promise<ScalarGlobal> {
  const loaded = (window as { Scalar?: ScalarGlobal }).Scalar;
  if (loaded) return Promise.resolve(loaded);
  // Scalar bundles zod 4, which probes for eval (`Function("")`) to compile its validators; the
  // page CSP forbids eval (no 'unsafe-eval'), so the probe would be reported as a violation.
  // zod's shared config (read from globalThis when its module starts) turns the probe off.
  const shared = globalThis as { __zod_globalConfig?: Record<string, unknown> };
  shared.__zod_globalConfig = Object.assign(shared.__zod_globalConfig ?? {}, { jitless: true });
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    // The page's nonce (a script added by an already trusted script is allowed under
    // 'strict-dynamic' anyway; the nonce also covers a full page load without it).
    if (nonce) script.nonce = nonce;
    script.onload = () => {
      const scalar = (window as { Scalar?: ScalarGlobal }).Scalar;
      if (scalar) resolve(scalar);
      else reject(new Error("the API reference script did not load"));
    };
    script.onerror = () => reject(new Error("the API reference script did not load"));
    document.head.appendChild(script);
  });
}

/** Mounts Scalar's API reference into this element once its script has loaded. */
export function ApiReference({ scriptSrc, nonce }: { scriptSrc: string; nonce?: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let instance: ScalarInstance | null = null;
    let cancelled = false;
    loadScript(scriptSrc, nonce).then(
      (scalar) => {
        if (!cancelled && container.current) instance = scalar.createApiReference(container.current, { ...CONFIGURATION });
      },
      (e: Error) => setError(e.message),
    );
    return () => {
      cancelled = true;
      instance?.destroy();
    };
  }, [scriptSrc, nonce]);
  return (
    <div className="space-y-2">
      <h1 className="text-2xl font-semibold">API reference</h1>
      <p className="text-sm text-slate-600">
        Call it with an API token (<code>Authorization: Bearer rgt_…</code>) created on your realm&apos;s API page. The OpenAPI document:{" "}
        <a href="/api/openapi.json" className="font-mono underline">
          /api/openapi.json
        </a>
        .
      </p>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <div ref={container} data-testid="api-reference" className="min-h-96" />
    </div>
  );
}
