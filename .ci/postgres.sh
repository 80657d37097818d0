#!/usr/bin/env bash
# PostgreSQL for the storage tests: installs it on a fresh machine, starts the cluster when it is down,
# and creates the test database (OPTIINFRA_TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/optiinfra_test).
set -euo pipefail

if [ ! -d /etc/postgresql ] || [ -z "$(ls -A /etc/postgresql 2>/dev/null)" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  # Loopback-only trust auth for the throw-away CI server (the tests connect as postgres without a password).
  version="$(ls /etc/postgresql | sort -V | tail -n 1)"
  hba="/etc/postgresql/${version}/main/pg_hba.conf"
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n' > "$hba"
fi

version="$(ls /etc/postgresql | sort -V | tail -n 1)"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || pg_ctlcluster --skip-systemctl-redirect "$version" main restart
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
pg_isready -h 127.0.0.1 -p 5432

url="${OPTIINFRA_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/optiinfra_test}"
database="${url##*/}"
database="${database%%\?*}"
admin="${url%/*}/postgres"
if [ "$(psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = '${database}'")" != "1" ]; then
  psql "$admin" -qc "CREATE DATABASE \"${database}\""
fi
echo "PostgreSQL ready; test database ${database}"
