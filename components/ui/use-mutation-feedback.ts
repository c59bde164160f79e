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
    onError: (e: { message: string; data?: { fieldErrors?: Record<string, string[] | undefined> } | null }) => {
      // Validation errors arrive as "invalid input" with the per-field messages beside it.
      const fields = Object.values(e.data?.fieldErrors ?? {}).flatMap((m) => m ?? []);
      setError(fields.length ? fields.join("; ") : e.message);
    },
  };
  return { error, setError, options };
}
