-- Both realms' trails record an agreement's proposal, acceptance, decline and revocation, in the
-- same transaction as the change (a commit that fails leaves neither record). A tenant
-- transaction is bound to the caller's realm, so the other party's record needs its own policy:
-- realm A's transaction may append to realm B's trail only an actor-less "agreement.*" record
-- about an agreement that links exactly A and B (the subquery runs under the agreements table's
-- own row-level security, so A sees only agreements it is a party to). It cannot read B's trail
-- (no SELECT policy: the insert carries no RETURNING), and a record without the application's MAC
-- is flagged by the sealer like any other.
CREATE POLICY "agreement_peer_record" ON "audit_events" AS PERMISSIVE FOR INSERT TO realmgate_app
    WITH CHECK (
        "target_type" = 'agreement'
        AND "action" LIKE 'agreement.%'
        AND "actor_id" IS NULL
        AND "actor_token_id" IS NULL
        AND EXISTS (
            SELECT 1 FROM "agreements" a
            WHERE a."id"::text = "audit_events"."target_id"
              AND ((a."realm_id" = (SELECT realmgate_current_realm()) AND a."peer_realm_id" = "audit_events"."realm_id")
                OR (a."peer_realm_id" = (SELECT realmgate_current_realm()) AND a."realm_id" = "audit_events"."realm_id"))
        )
    );
