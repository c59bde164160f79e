"use client";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";

/** The caller's permissions in its realm: the UI offers only what the role allows. */
export function usePermissions(): (permission: string) => boolean {
  const trpc = useTRPC();
  const realm = useQuery(trpc.realm.get.queryOptions());
  const granted = new Set<string>(realm.data?.permissions ?? []);
  return (permission) => granted.has(permission);
}
