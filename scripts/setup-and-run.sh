#!/usr/bin/env bash
# One command on a fresh machine: install everything, migrate, load the demo, serve
# the site at http://127.0.0.1:8000 (stop with Ctrl+C). Safe to run again.
#
# Works as root or as a normal user on Debian 12 and Ubuntu 24.04: the system packages it
# needs are installed with apt-get (as root or through sudo) or named exactly; uv comes
# from PyPI through a throwaway virtual environment (scripts/system.sh). Only the site's
# own packages are installed, not the test tools (scripts/test.sh adds those).
#
#   scripts/setup-and-run.sh [PORT]      (default 8000)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-8000}"
# shellcheck source=scripts/system.sh
source scripts/system.sh

echo "==> System packages"
ensure_system_packages
ensure_uv

# Every uv command below leaves out the dev group (pytest, Playwright, ruff …).
export UV_NO_DEV=1

echo "==> Python packages (uv sync --no-dev)"
uv sync

echo "==> Front-end packages from npm (scripts/vendor.sh)"
bash scripts/vendor.sh

if [ ! -f .env ]; then
  echo "==> Writing .env for a developer machine"
  printf 'KOPIENA_DEV=1\nDEBUG=1\n' > .env
fi

echo "==> Database"
uv run kopiena migrate --no-input

echo "==> Demo data"
uv run kopiena demo

echo "==> Serving Kopiena at http://127.0.0.1:$PORT (Ctrl+C stops it)"
exec uv run kopiena runserver "127.0.0.1:$PORT"
