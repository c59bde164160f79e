"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useTRPC } from "../trpc";

/** Server-sent realm events: refetch what changed, without a page reload. */
export function useLiveUpdates(): { connected: boolean } {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const subscription = useSubscription(
    trpc.vm.onChange.subscriptionOptions(undefined, {
      onData: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.vm.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.realm.pathKey() });
        // Device operations settle disks and networks as well.
        void queryClient.invalidateQueries({ queryKey: trpc.disk.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.network.pathKey() });
      },
    }),
  );
  return { connected: subscription.status === "pending" };
}
