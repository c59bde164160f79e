"use client";
import { useState } from "react";
import { Button } from "../ui/button";

/**
 * Text shown as-is in a monospace box with a Copy button (the clipboard API needs a secure
 * context: on plain http the text stays selectable, and the button says copying failed).
 */
export function Copyable({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setCopied("copied");
    } catch {
      setCopied("failed");
    }
  }
  return (
    <div className="relative">
      <pre
        className="overflow-x-auto rounded-md border border-slate-200 bg-slate-50 p-3 pr-24 font-mono text-xs text-slate-900 select-all"
        aria-label={label}
        data-testid={testId}
      >
        {text}
      </pre>
      <Button className="absolute top-2 right-2 bg-white" onClick={() => void copy()} aria-label={`Copy ${label}`}>
        {copied === "copied" ? "Copied" : copied === "failed" ? "Select to copy" : "Copy"}
      </Button>
    </div>
  );
}
