"use client";
import { useInfiniteQuery, useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "../trpc";
import { Button } from "../ui/button";
import { Card } from "../ui/card";
import { itemsOf, ShowMore } from "../ui/pages";
import { useMutationFeedback } from "../ui/use-mutation-feedback";
import { usePermissions } from "../realm/use-permissions";
import { InviteForm } from "./invite-form";
import { RoleHelp, roleLabel, RoleOptions } from "./role-help";
import { sayDate, sayDateTime } from "../ui/dates";

/**
 * /realm/people. Every member sees who belongs to the organization (read-only); owners and
 * admins also see pending invitations, invite, change roles and remove members. The server
 * decides each of these (realm.members.*, policy/people.ts); the page only offers them.
 */
export function PeoplePanel({ selfId }: { selfId: string }) {
  const trpc = useTRPC();
  const can = usePermissions();
  const realm = useQuery(trpc.realm.get.queryOptions());
  const canManage = can("realm.members.manage");
  const isOwner = realm.data?.role === "owner";
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">People</h1>
        <p className="text-sm text-slate-600">
          Members of {realm.data?.org.name ?? "this organization"}.{" "}
          {canManage ? "You can invite people, change roles and remove members." : "Only owners and admins change who belongs here."}
        </p>
      </div>
      <Card title="Members">
        <MembersTable canManage={canManage} isOwner={isOwner} selfId={selfId} />
      </Card>
      {canManage && (
        <>
          <Card title="Invite someone">
            <InviteForm canGrantOwner={isOwner} />
          </Card>
          <Card title="Pending invitations">
            <InvitationsTable isOwner={isOwner} />
          </Card>
        </>
      )}
      <Card title="Roles">
        <RoleHelp />
      </Card>
    </div>
  );
}

function MembersTable({ canManage, isOwner, selfId }: { canManage: boolean; isOwner: boolean; selfId: string }) {
  const trpc = useTRPC();
  // Pages of 100 (the list is cursor-paginated); more load on request.
  const members = useInfiniteQuery(trpc.realm.members.list.infiniteQueryOptions({ limit: 100 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const memberItems = itemsOf(members);
  const { error, options } = useMutationFeedback([trpc.realm.members.list.pathKey(), trpc.realm.get.queryKey()]);
  const changeRole = useMutation(trpc.realm.members.changeRole.mutationOptions(options));
  const remove = useMutation(trpc.realm.members.remove.mutationOptions(options));
  if (members.error) return <p className="text-sm text-red-700">Could not load members: {members.error.message}</p>;
  if (!memberItems) return <p className="text-sm text-slate-500">Loading…</p>;
  return (
    <div className="space-y-2">
      {error && (
        <p role="alert" className="text-sm text-red-700" data-testid="members-error">
          {error}
        </p>
      )}
      <table className="w-full text-sm" data-testid="members-table">
        <thead className="text-left text-slate-500">
          <tr>
            <th scope="col" className="py-2 font-normal">Name</th>
            <th scope="col" className="font-normal">Email</th>
            <th scope="col" className="font-normal">Role</th>
            <th scope="col" className="font-normal">Member since</th>
            {canManage && (
              <th scope="col" className="font-normal">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {memberItems.map((m) => {
            // Admins do not act on owners (the server refuses it too).
            const editable = canManage && (isOwner || m.role !== "owner");
            return (
              <tr key={m.userId} className="border-t border-slate-100" data-testid={`member-row-${m.email}`}>
                <td className="py-2 font-medium text-slate-900">
                  {m.name}
                  {m.userId === selfId && <span className="ml-1 text-xs text-slate-500">(you)</span>}
                </td>
                <td>{m.email}</td>
                <td>
                  {editable ? (
                    <select
                      aria-label={`Role of ${m.email}`}
                      value={m.role}
                      disabled={changeRole.isPending}
                      onChange={(e) => changeRole.mutate({ userId: m.userId, role: e.target.value as typeof m.role })}
                      className="rounded-md border border-slate-300 px-2 py-1"
                      data-testid={`member-role-${m.email}`}
                    >
                      <RoleOptions canGrantOwner={isOwner} />
                    </select>
                  ) : (
                    <span data-testid={`member-role-${m.email}`}>{roleLabel(m.role)}</span>
                  )}
                </td>
                <td className="text-slate-600">{sayDate(m.since)}</td>
                {canManage && (
                  <td className="text-right">
                    {editable && (
                      <Button
                        variant="danger"
                        disabled={remove.isPending}
                        onClick={() => {
                          // On one's own row the same action is leaving (the last owner cannot: the server says so).
                          const question =
                            m.userId === selfId
                              ? "Leave the organization? Your access ends at once; an owner or admin must invite you to come back."
                              : `Remove ${m.name} (${m.email}) from the organization? Their access ends at once.`;
                          if (window.confirm(question)) remove.mutate({ userId: m.userId });
                        }}
                      >
                        {m.userId === selfId ? "Leave" : "Remove"}
                      </Button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <ShowMore query={members} what="members" />
    </div>
  );
}

function InvitationsTable({ isOwner }: { isOwner: boolean }) {
  const trpc = useTRPC();
  const invitations = useInfiniteQuery(trpc.realm.invitations.list.infiniteQueryOptions({ limit: 100 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const invitationItems = itemsOf(invitations);
  const { error, options } = useMutationFeedback([trpc.realm.invitations.list.pathKey()]);
  const revoke = useMutation(trpc.realm.invitations.revoke.mutationOptions(options));
  if (invitations.error) return <p className="text-sm text-red-700">Could not load invitations: {invitations.error.message}</p>;
  if (!invitationItems) return <p className="text-sm text-slate-500">Loading…</p>;
  if (invitationItems.length === 0) return <p className="text-sm text-slate-500">No pending invitations.</p>;
  return (
    <div className="space-y-2">
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      <table className="w-full text-sm" data-testid="invitations-table">
        <thead className="text-left text-slate-500">
          <tr>
            <th scope="col" className="py-2 font-normal">Email</th>
            <th scope="col" className="font-normal">Role</th>
            <th scope="col" className="font-normal">Expires</th>
            <th scope="col" className="font-normal">Invited by</th>
            <th scope="col" className="font-normal">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {invitationItems.map((i) => (
            <tr key={i.id} className="border-t border-slate-100" data-testid={`invitation-row-${i.email}`}>
              <td className="py-2">{i.email}</td>
              <td>{roleLabel(i.role)}</td>
              <td className="text-slate-600">{sayDateTime(i.expiresAt)}</td>
              <td className="text-slate-600">{i.createdBy}</td>
              <td className="text-right">
                {(isOwner || i.role !== "owner") && (
                  <Button variant="danger" disabled={revoke.isPending} onClick={() => revoke.mutate({ invitationId: i.id })}>
                    Revoke
                  </Button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ShowMore query={invitations} what="invitations" />
    </div>
  );
}
