"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { useSearchParams } from "next/navigation";
import { Suspense, useState, type ReactNode } from "react";
import superjson from "superjson";
import type { AppRouter } from "@/server/api/root";
import { ORG_HEADER, ORG_PARAM, orgSelection } from "@/server/edge/realm-selection";
import { CLIENT_HEADER, CLIENT_HEADER_VALUE } from "@/server/edge/same-origin";
import { MAX_BATCH_CALLS } from "@/server/edge/trpc-request";
import { TRPCProvider } from "./trpc";

/**
 * One query cache and one tRPC client per organization the page's URL names (`?org=`): every
 * call carries it (a header; a live-update stream, which cannot send headers, carries it in its
 * connectionParams), and a tab that moves to another organization starts from an empty cache, so
 * one realm's answers never show under another's URL. The server resolves the name against the
 * caller's memberships (edge/realm-selection.ts).
 */
export function Providers({ children }: { children: ReactNode }) {
  // Reading the URL suspends only where a page is prerendered at build time (the static
  // not-found page), which has no organization.
  return (
    <Suspense fallback={<OrgProviders org={null}>{children}</OrgProviders>}>
      <ProvidersForUrl>{children}</ProvidersForUrl>
    </Suspense>
  );
}

function ProvidersForUrl({ children }: { children: ReactNode }) {
  const org = orgSelection(useSearchParams().get(ORG_PARAM));
  return (
    <OrgProviders key={org ?? ""} org={org}>
      {children}
    </OrgProviders>
  );
}

function OrgProviders({ org, children }: { org: string | null; children: ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: false } } }),
  );
  const [trpcClient] = useState(() => {
    const selection: Record<string, string> = org ? { [ORG_HEADER]: org } : {};
    return createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === "subscription",
          true: httpSubscriptionLink({ url: "/api/trpc", transformer: superjson, connectionParams: org ? { [ORG_PARAM]: org } : null }),
          // The header proves to the server that a call comes from this app (edge/same-origin.ts);
          // batches stay within the server's cap.
          false: httpBatchLink({
            url: "/api/trpc",
            transformer: superjson,
            maxItems: MAX_BATCH_CALLS,
            headers: () => ({ [CLIENT_HEADER]: CLIENT_HEADER_VALUE, ...selection }),
          }),
        }),
      ],
    });
  });
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
