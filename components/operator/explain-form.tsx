"use client";
import { useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { StateBadge } from "../ui/state-badge";

const PERMISSIONS = ["vm.read", "vm.start", "vm.stop", "vm.destroy", "vm.create"] as const;
type Question = { userEmail: string; permission: (typeof PERMISSIONS)[number]; vmId: string };

/** "Could this user do this on this VM, and why not?" — asks each layer without acting. */
export function ExplainForm() {
  const trpc = useTRPC();
  const [question, setQuestion] = useState<Question | null>(null);
  const answer = useQuery({ ...trpc.operator.explain.queryOptions(question!), enabled: question !== null, retry: false });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setQuestion({
      userEmail: String(form.get("userEmail") ?? ""),
      permission: String(form.get("permission")) as Question["permission"],
      vmId: String(form.get("vmId") ?? "").trim(),
    });
  }

  return (
    <div className="space-y-4 text-sm">
      <form onSubmit={onSubmit} className="grid grid-cols-1 gap-3 sm:grid-cols-4" data-testid="explain-form">
        <input name="userEmail" placeholder="user email" className="rounded-md border border-slate-300 px-3 py-1.5" />
        <select name="permission" className="rounded-md border border-slate-300 px-2 py-1.5">
          {PERMISSIONS.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
        <input name="vmId" placeholder="VM id" className="rounded-md border border-slate-300 px-3 py-1.5 font-mono" />
        <Button type="submit" variant="primary">
          Explain
        </Button>
      </form>
      {answer.error && (
        <p role="alert" className="text-red-700">
          {answer.error.message}
        </p>
      )}
      {answer.data && (
        <div data-testid="explain-answer" className="space-y-2">
          <p className={answer.data.allowed ? "text-emerald-800" : "text-red-800"}>{answer.data.answer}</p>
          <ul className="space-y-1">
            {answer.data.layers.map((l) => (
              <li key={l.layer} data-testid={`explain-layer-${l.layer}`}>
                <StateBadge state={l.allowed ? "succeeded" : "failed"} /> <span className="font-medium">{l.layer}</span>: {l.reason}
                {l.avc?.map((line) => (
                  <div key={line} className="break-all font-mono text-xs text-slate-600">
                    {line}
                  </div>
                ))}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
