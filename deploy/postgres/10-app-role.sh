#!/bin/sh
# First start of the database container: create the application's login role.
# It owns nothing; `manage.py grant_app_role portal_app`, run by the migrate
# service as the owner role after every migration, gives it its privileges.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$PORTAL_APP_DB_PASSWORD" <<'SQL'
CREATE ROLE portal_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
SQL
