"use client";
import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useState } from "react";
import { sayError, type FieldErrors } from "./wording";

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
    onError: (e: { message: string; data?: { fieldErrors?: FieldErrors } | null }) => {
      // Validation errors arrive as "invalid input" with the per-field messages beside it: both
      // are said in words (components/ui/wording.ts).
      setError(sayError(e));
    },
  };
  return { error, setError, options };
}
