#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database (run as the
# owner role) and empty file folders, then verify the audit chain against its
# anchors. Usage: DATABASE_URL=postgres://.../fresh scripts/restore.sh backups/<folder>
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

source=${1:?give the backup folder to restore}
: "${DATABASE_URL:?set DATABASE_URL to the (empty) PostgreSQL database to restore into}"
( cd "$source" && sha256sum --check --quiet SHA256SUMS )

tables=$(psql "$DATABASE_URL" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "The target database is not empty ($tables tables); restore into a fresh one." >&2
  exit 2
fi
read -r media anchors < <("$PY" manage.py shell -v 0 -c \
  "from django.conf import settings; print(settings.MEDIA_ROOT, settings.AUDIT_ANCHOR_DIR)")

pg_restore --no-owner --no-privileges --exit-on-error --dbname "$DATABASE_URL" "$source/database.dump"
mkdir -p "$media" "$anchors"
tar -xzf "$source/media.tar.gz" -C "$media"
tar -xzf "$source/anchors.tar.gz" -C "$anchors"
"$PY" manage.py migrate --check >/dev/null
"$PY" manage.py verify_audit_chain
echo "Restored $source"
