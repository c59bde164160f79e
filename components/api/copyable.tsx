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
    // On a phone the button sits above the box (over it, the box's text scrolled beneath it).
    <div className="relative flex flex-col-reverse gap-1 sm:block">
      <pre
        className="overflow-x-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono sm:pr-24 text-xs text-slate-900 select-all"
        aria-label={label}
        data-testid={testId}
      >
        {text}
      </pre>
      <Button className="self-end bg-white sm:absolute sm:top-2 sm:right-2" onClick={() => void copy()} aria-label={`Copy ${label}`}>
        {copied === "copied" ? "Copied" : copied === "failed" ? "Select to copy" : "Copy"}
      </Button>
    </div>
  );
}
