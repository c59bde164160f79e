"use client";
import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useState } from "react";

/**
 * Shared handling for a component's mutations: the last error message to show, and options
 * that clear it and refetch the given queries on success.
 */
export function useMutationFeedback(refetch: QueryKey[]) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const options = {
    onSuccess: () => {
      setError(null);
      for (const queryKey of refetch) void queryClient.invalidateQueries({ queryKey });
    },
    onError: (e: { message: string }) => setError(e.message),
  };
  return { error, setError, options };
}
