#!/usr/bin/env bash
# Copies front-end packages installed from npm into kopiena/static/vendor, so that
# nothing is loaded from a CDN at run time. Runs at build time (setup, CI, deploy).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules/htmx.org ] || [ ! -d node_modules/leaflet ] || [ ! -d node_modules/axe-core ] || [ package-lock.json -nt node_modules ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
mkdir -p kopiena/static/vendor
cp node_modules/htmx.org/dist/htmx.min.js kopiena/static/vendor/htmx.min.js
mkdir -p kopiena/static/vendor/leaflet/images
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css kopiena/static/vendor/leaflet/
cp node_modules/leaflet/dist/images/*.png kopiena/static/vendor/leaflet/images/
