#!/usr/bin/env bash
# The whole test suite, on SQLite and on PostgreSQL, browser tests in Debian's Chromium.
#
#   scripts/test.sh [pytest arguments]
#
# PostgreSQL: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test; pytest-django
# creates and drops test_<name>). Without a reachable server the PostgreSQL run is
# skipped with a notice, except under CI=true, where it is required (as are Chromium
# and the XLSForm corpus in ../shared or $KOPIENA_SHARED).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.local/bin:$PATH"
CI="${CI:-}"
PG_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}"

command -v uv >/dev/null 2>&1 || python3 -m pip install --user --quiet uv
uv sync --quiet
bash scripts/vendor.sh

if [ ! -x /usr/bin/chromium ] && [ -z "${KOPIENA_CHROMIUM:-}" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "==> Installing Debian's Chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "!! No /usr/bin/chromium and no way to install it: browser tests will be skipped"
  fi
fi

status=0
run_pytest() {
  # Exit code 5 means "no tests collected" (e.g. a filter matched nothing): not a failure.
  local code=0
  uv run pytest "$@" || code=$?
  if [ "$code" -ne 0 ] && [ "$code" -ne 5 ]; then status=1; fi
}

echo "==> Lint (ruff)"
uv run ruff check . || status=1

echo "==> Layers (import-linter: each app imports only the apps below it)"
uv run lint-imports --no-cache >/dev/null || { uv run lint-imports --no-cache; status=1; }

echo "==> Migrations are in step with the models"
env -u DATABASE_URL DJANGO_SETTINGS_MODULE=config.settings_test \
  uv run kopiena makemigrations --check --dry-run || status=1

echo "==> Tests on SQLite"
(unset DATABASE_URL; run_pytest "$@"; exit $status) || status=1

echo "==> Tests on PostgreSQL ($PG_URL)"
if uv run python -c "
# The server, not the named database, must answer: pytest-django creates test_<name> itself.
import sys, environ, psycopg
cfg = environ.Env.db_url_config(sys.argv[1])
psycopg.connect(host=cfg['HOST'] or None, port=cfg['PORT'] or None, user=cfg['USER'] or None,
                password=cfg['PASSWORD'] or None, dbname='postgres', connect_timeout=5).close()
" "$PG_URL" 2>/dev/null; then
  (export DATABASE_URL="$PG_URL"; run_pytest "$@"; exit $status) || status=1
elif [ "$CI" = "true" ]; then
  echo "!! CI=true and PostgreSQL is not reachable at $PG_URL"
  status=1
else
  echo "!! PostgreSQL is not reachable at $PG_URL: skipping the PostgreSQL run (required under CI=true)"
fi

if [ "$status" -eq 0 ]; then echo "==> All tests passed"; else echo "!! Some checks failed"; fi
exit "$status"
