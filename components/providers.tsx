"use client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import type { AppRouter } from "@/server/api/root";
import { CLIENT_HEADER, CLIENT_HEADER_VALUE } from "@/server/edge/same-origin";
import { MAX_BATCH_CALLS } from "@/server/edge/trpc-request";
import { TRPCProvider } from "./trpc";

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 1, refetchOnWindowFocus: false } } }),
  );
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        splitLink({
          condition: (op) => op.type === "subscription",
          true: httpSubscriptionLink({ url: "/api/trpc", transformer: superjson }),
          // The header proves to the server that a call comes from this app (edge/same-origin.ts);
          // batches stay within the server's cap.
          false: httpBatchLink({
            url: "/api/trpc",
            transformer: superjson,
            maxItems: MAX_BATCH_CALLS,
            headers: () => ({ [CLIENT_HEADER]: CLIENT_HEADER_VALUE }),
          }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
