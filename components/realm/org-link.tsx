"use client";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import type { ComponentProps } from "react";
import { ORG_PARAM, orgHref, orgSelection } from "@/server/edge/realm-selection";

/**
 * The organization this tab works in, as its URL names it (`?org=<slug>`; null: the caller's
 * first). Links inside a realm keep it, so a tab stays in its organization while another tab
 * works in another one (edge/realm-selection.ts).
 */
export function useSelectedOrg(): string | null {
  return orgSelection(useSearchParams().get(ORG_PARAM));
}

/** `path` in this tab's organization. */
export function useOrgHref(): (path: string) => string {
  const org = useSelectedOrg();
  return (path) => orgHref(path, org);
}

/** A link that stays in this tab's organization. */
export function OrgLink({ href, ...props }: Omit<ComponentProps<typeof Link>, "href"> & { href: string }) {
  return <Link href={useOrgHref()(href)} {...props} />;
}
