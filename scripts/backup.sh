#!/usr/bin/env bash
# Back up the database (pg_dump, custom format), uploaded and generated files
# (MEDIA_ROOT) and the signed audit anchors (AUDIT_ANCHOR_DIR) into one folder.
# Usage: DATABASE_URL=postgres://... scripts/backup.sh [target-folder]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}

: "${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database to back up}"
case "$DATABASE_URL" in postgres://*|postgresql://*) ;; *) echo "backup needs PostgreSQL" >&2; exit 2;; esac

target=${1:-backups/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$target"
read -r media anchors < <("$PY" manage.py shell -v 0 -c \
  "from django.conf import settings; print(settings.MEDIA_ROOT, settings.AUDIT_ANCHOR_DIR)")

pg_dump --format=custom --no-owner --no-privileges --file "$target/database.dump" "$DATABASE_URL"
for pair in "media:$media" "anchors:$anchors"; do
  name=${pair%%:*}; dir=${pair#*:}
  if [ -d "$dir" ]; then tar -czf "$target/$name.tar.gz" -C "$dir" .; else tar -czf "$target/$name.tar.gz" -T /dev/null; fi
done
( cd "$target" && sha256sum database.dump media.tar.gz anchors.tar.gz > SHA256SUMS )
echo "Backup written to $target"
