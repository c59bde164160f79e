#!/usr/bin/env bash
# The REST API with curl: the same journey as rest-journey.ts, readable as documentation.
#
#   REALMGATE_URL=http://127.0.0.1:3000 REALMGATE_TOKEN=rgt_… bash examples/curl-walkthrough.sh
#
# The token needs vm.read, vm.create, vm.start, vm.stop and realm.read. The last step revokes it:
# use a token made for this script. JSON is read with `node -e` (no jq needed).
set -eu

API="${REALMGATE_URL:-http://127.0.0.1:3000}/api/v1"
TOKEN="${REALMGATE_TOKEN:?set REALMGATE_TOKEN to an API token (rgt_…)}"
AUTH="Authorization: Bearer $TOKEN"

# json EXPRESSION: evaluates EXPRESSION with `it` bound to the JSON on stdin, prints the result.
json() { node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const it=JSON.parse(s);console.log($1)})"; }

# api METHOD PATH [BODY]: prints the body; fails (with the problem's detail) on an HTTP error.
api() {
  local out status
  out="$(mktemp)"
  if [ "$#" -ge 3 ]; then
    status="$(curl -sS -o "$out" -w '%{http_code}' -X "$1" -H "$AUTH" -H 'content-type: application/json' --data "$3" "$API$2")"
  else
    status="$(curl -sS -o "$out" -w '%{http_code}' -X "$1" -H "$AUTH" "$API$2")"
  fi
  if [ "$status" -ge 400 ]; then
    echo "$1 $2: HTTP $status: $(json 'it.detail' < "$out")" >&2
    rm -f "$out"
    return 1
  fi
  cat "$out"
  rm -f "$out"
}

# 1. A template (REALMGATE_TEMPLATE names one; otherwise the first).
# Lists are pages ({items, nextCursor}); the templates fit in one of 200.
TEMPLATE_ID="$(api GET '/templates?limit=200' | json "(it.items.find(t => t.name === '${REALMGATE_TEMPLATE:-}') ?? it.items[0]).id")"
echo "template: $TEMPLATE_ID"

# 2. Create a VM. Lifecycle requests answer 202 + Location; ?wait=30 waits up to 30 s (then 200).
NAME="curl-$(date +%s)"
VM_ID="$(api POST '/vms?wait=30' "{\"name\":\"$NAME\",\"templateId\":\"$TEMPLATE_ID\"}" | json 'it.vmId')"
echo "created $NAME ($VM_ID)"

# 3. Start it and wait for the outcome.
echo "start: $(api POST "/vms/$VM_ID/start?wait=30" '{}' | json 'it.operation ? it.operation.status : "pending"')"

# 4. List the realm's VMs (a page: items and nextCursor).
api GET '/vms?limit=50' | json "it.items.map(v => 'vm ' + v.name + ': ' + v.observedState).join('\n')"

# 5. Stop it.
echo "stop: $(api POST "/vms/$VM_ID/stop?wait=30" '{}' | json 'it.operation ? it.operation.status : "pending"')"

# 6. Revoke this token: find it by its public lookup id (rgt_<lookupId>_<secret>).
LOOKUP_ID="$(printf '%s' "$TOKEN" | cut -d_ -f2)"
#    (newest first: a token made for this script is on the first page).
TOKEN_ID="$(api GET '/tokens?limit=200' | json "it.items.find(t => t.lookupId === '$LOOKUP_ID').id")"
echo "revoked at $(api DELETE "/tokens/$TOKEN_ID" | json 'it.revokedAt')"

# 7. The next call is refused: 401 with a problem+json body and WWW-Authenticate.
STATUS="$(curl -sS -o /dev/null -w '%{http_code}' -H "$AUTH" "$API/vms")"
echo "after revocation: HTTP $STATUS"
[ "$STATUS" = 401 ]
