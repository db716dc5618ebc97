#!/usr/bin/env bash
# One command on a fresh machine: install everything, migrate, load the demo, serve
# the site at http://127.0.0.1:8000 (stop with Ctrl+C). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v uv >/dev/null 2>&1; then
  echo "==> Installing uv"
  python3 -m pip install --user --quiet uv || python3 -m pip install --quiet uv
  export PATH="$HOME/.local/bin:$PATH"
fi

echo "==> Python packages (uv sync)"
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

echo "==> Serving Kopiena at http://127.0.0.1:8000 (Ctrl+C stops it)"
exec uv run kopiena runserver 127.0.0.1:8000
