"use client";
import Link from "next/link";
import { Copyable } from "./copyable";

/**
 * How to call the API from a shell: curl against this deployment's origin (the token, not the
 * URL, names the realm), and the CLI equivalent.
 */
export function ApiExamples({ origin, orgName }: { origin: string; orgName: string }) {
  const curl = [
    `# ${orgName}: the token decides the realm`,
    `export REALMGATE_TOKEN=rgt_…`,
    `curl -H "Authorization: Bearer $REALMGATE_TOKEN" ${origin}/api/v1/vms`,
    ``,
    `# Start a VM and wait up to 30 s for it to finish (202 + Location if still running)`,
    `curl -X POST -H "Authorization: Bearer $REALMGATE_TOKEN" "${origin}/api/v1/vms/<vmId>/start?wait=30"`,
  ].join("\n");
  const cli = [
    `export REALMGATE_URL=${origin}`,
    `npx realmgate login        # asks for the token and saves it (or export REALMGATE_TOKEN)`,
    `npx realmgate vm ls`,
    `npx realmgate vm start <vm> --wait`,
  ].join("\n");
  return (
    <div className="space-y-4 text-sm">
      <div className="space-y-1">
        <h3 className="font-medium text-slate-900">curl</h3>
        <Copyable text={curl} label="curl example" testId="curl-example" />
      </div>
      <div className="space-y-1">
        <h3 className="font-medium text-slate-900">CLI</h3>
        <Copyable text={cli} label="CLI example" testId="cli-example" />
      </div>
      <p className="text-slate-600">
        Every endpoint, its permission and its answers:{" "}
        <Link href="/api-reference" className="font-medium text-slate-900 underline">
          API reference
        </Link>{" "}
        (OpenAPI document at{" "}
        <a href="/api/openapi.json" className="font-mono underline">
          /api/openapi.json
        </a>
        ).
      </p>
    </div>
  );
}
