"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { sayDateTime } from "../ui/dates";

/** Where the caller is signed in: revoke one session, or all of them. Ending this one signs out here too. */
export function SessionsPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.session.sessions.queryOptions());
  const [error, setError] = useState<string | null>(null);
  const leave = () => void signOut({ callbackUrl: "/signin" });
  const revoke = useMutation(
    trpc.session.revoke.mutationOptions({
      onSuccess: ({ wasCurrent }) => {
        if (wasCurrent) return leave();
        setError(null);
        void queryClient.invalidateQueries({ queryKey: trpc.session.sessions.queryKey() });
      },
      onError: (e) => setError(e.message),
    }),
  );
  const everywhere = useMutation(trpc.session.signOutEverywhere.mutationOptions({ onSuccess: leave, onError: (e) => setError(e.message) }));

  return (
    <Card
      title="Sessions"
      actions={
        <Button variant="danger" onClick={() => everywhere.mutate()} disabled={everywhere.isPending} data-testid="sign-out-everywhere">
          Sign out everywhere
        </Button>
      }
    >
      {error && (
        <p role="alert" className="mb-3 text-sm text-red-700">
          {error}
        </p>
      )}
      {sessions.isPending ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : sessions.isError ? (
        <p role="alert" className="text-sm text-red-700">
          {sessions.error.message}
        </p>
      ) : (
        <table className="w-full text-sm" data-testid="sessions">
          <thead className="text-left text-slate-500">
            <tr>
              <th scope="col" className="py-1 font-normal">Signed in</th>
              <th scope="col" className="font-normal">Last seen</th>
              <th scope="col" className="font-normal">Client</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.data.map((s) => (
              <tr key={s.id} className="border-t border-slate-100" data-testid="session-row">
                <td className="py-2">{sayDateTime(s.createdAt)}</td>
                <td>{sayDateTime(s.lastSeenAt)}</td>
                <td className="max-w-xs truncate" title={s.userAgent ?? undefined}>
                  {s.clientAddress ?? "unknown address"} · {s.userAgent ?? "unknown browser"}
                </td>
                <td className="text-right">
                  {s.isCurrent && <span className="mr-2 rounded bg-emerald-100 px-2 py-0.5 text-xs text-emerald-800">this session</span>}
                  <Button onClick={() => revoke.mutate({ sessionId: s.id })} disabled={revoke.isPending}>
                    {s.isCurrent ? "Sign out" : "Revoke"}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
