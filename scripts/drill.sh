#!/usr/bin/env bash
# Recovery drill against a PostgreSQL server: build a portal with the demo data
# and an audit anchor, back it up, restore it into a fresh database and check
# that the restored audit chain verifies against its anchor; then show that a
# restored copy whose trail was emptied is reported. Then the fault drills on
# the portal with the demo data (scripts/drill_faults.py): a worker killed in
# the middle of a PDF task, Redis down and back (DRILL_FAULTS=0 leaves them out).
# Usage: DATABASE_URL=postgres://user@host:port/<any-name> scripts/drill.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export DEVELOPMENT=${DEVELOPMENT:-1} DEMO_PASSWORD=${DEMO_PASSWORD:-portal-demo}

: "${DATABASE_URL:?set DATABASE_URL to a PostgreSQL database URL (its server is used)}"
server=${DATABASE_URL%/*}
prefix=${DRILL_PREFIX:-$(basename "${DATABASE_URL%%\?*}")_drill}
work=$(mktemp -d)
source_db="${prefix}_source" restored_db="${prefix}_restored"

cleanup() {
  for db in "$source_db" "$restored_db"; do psql "$server/postgres" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '\n-- drill: %s\n' "$*"; }

for db in "$source_db" "$restored_db"; do
  psql "$server/postgres" -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null
  psql "$server/postgres" -qc "CREATE DATABASE \"$db\"" >/dev/null
done

step "a portal with demo data and an anchor of its audit trail"
export MEDIA_ROOT="$work/source-media" AUDIT_ANCHOR_DIR="$work/source-anchors"
export DATABASE_URL="$server/$source_db"
"$PY" manage.py migrate --noinput -v 0
"$PY" manage.py seed_demo >/dev/null
"$PY" manage.py shell -v 0 -c "from purchase_portal.anchors import anchor_publish; print('anchored event', anchor_publish().seq)"
"$PY" manage.py verify_audit_chain

step "backup"
scripts/backup.sh "$work/backup"

step "restore into a fresh database and verify the chain there"
export MEDIA_ROOT="$work/restored-media" AUDIT_ANCHOR_DIR="$work/restored-anchors"
export DATABASE_URL="$server/$restored_db"
scripts/restore.sh "$work/backup"

step "a restored copy whose trail was emptied is reported"
psql "$DATABASE_URL" -qv ON_ERROR_STOP=1 <<'SQL' >/dev/null
ALTER TABLE purchase_portal_auditevent DISABLE TRIGGER USER;
ALTER TABLE purchase_portal_auditchainhead DISABLE TRIGGER USER;
ALTER TABLE purchase_portal_auditanchor DISABLE TRIGGER USER;
TRUNCATE purchase_portal_auditevent, purchase_portal_auditchainhead, purchase_portal_auditanchor;
SQL
if "$PY" manage.py verify_audit_chain 2>"$work/verify.err"; then
  echo "drill FAILED: an emptied audit trail verified as intact" >&2
  exit 1
fi
grep -q "truncated" "$work/verify.err"
cat "$work/verify.err"

if [ "${DRILL_FAULTS:-1}" != 0 ]; then
  step "faults: a worker killed in the middle of a PDF task; Redis down and back"
  export DATABASE_URL="$server/$source_db"
  "$PY" scripts/drill_faults.py
fi

printf '\nDrill passed: backup restored, audit chain verified against its anchor, tampering reported'
[ "${DRILL_FAULTS:-1}" != 0 ] && printf ', faults survived'
printf '.\n'
