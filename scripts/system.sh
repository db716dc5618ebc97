# What Kopiena needs from the machine, shared by setup-and-run.sh and test.sh (sourced).
#
#   ensure_system_packages   checks each requirement; on Debian or Ubuntu installs what is
#                            missing with apt-get (as root, or through sudo), elsewhere or
#                            without root says exactly what is missing and stops
#   ensure_uv                puts uv on PATH: bootstrapped from PyPI through a throwaway
#                            virtual environment into ~/.local/bin; the system Python and
#                            its packages are never touched (no pip --user, no
#                            --break-system-packages)

# Each requirement: a check (a shell command that succeeds when it is met; no "|" in it),
# the Debian and Ubuntu package that provides it, and what it is for. Checks look at what the programs
# need, not at package names, so a Node.js from elsewhere (nodesource, nvm) counts too.
_REQUIREMENTS=(
  "command -v python3|python3|Python 3 (uv's bootstrap; Kopiena needs 3.11+, uv finds or fetches it)"
  "_can_bootstrap_uv|python3-venv|bootstrapping uv without touching the system Python"
  "[ -s /etc/ssl/certs/ca-certificates.crt ]|ca-certificates|HTTPS to PyPI and npm"
  "command -v g++|g++|compiling PyICU"
  "command -v pkg-config|pkg-config|finding ICU when compiling PyICU"
  "pkg-config --exists icu-i18n 2>/dev/null|libicu-dev|ICU's headers for PyICU"
  "_has_python_headers|python3-dev|Python's headers for PyICU"
  "_has_library pango-1.0|libpango-1.0-0|WeasyPrint (PDF reports)"
  "_has_library pangoft2-1.0|libpangoft2-1.0-0|WeasyPrint (PDF reports)"
  "_has_library harfbuzz-subset|libharfbuzz-subset0|WeasyPrint's font subsetting"
  "[ -n \"\$(fc-list 2>/dev/null)\" ]|fonts-dejavu-core|a font for PDF reports"
  "command -v npm|npm|vendoring the front-end packages (scripts/vendor.sh)"
)

_can_bootstrap_uv() {
  command -v uv >/dev/null 2>&1 || [ -x "$HOME/.local/bin/uv" ] ||
    python3 -c 'import ensurepip, venv' 2>/dev/null
}

_has_python_headers() {
  python3 -c 'import os, sys, sysconfig
sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")))' \
    2>/dev/null
}

_has_library() {
  python3 -c 'import ctypes.util, sys; sys.exit(not ctypes.util.find_library(sys.argv[1]))' \
    "$1" 2>/dev/null
}

# Appends to _MISSING_PACKAGES and _MISSING_WHY every requirement whose check fails.
_find_missing() {
  _MISSING_PACKAGES=()
  _MISSING_WHY=()
  local requirement check package why
  for requirement in "${_REQUIREMENTS[@]}"; do
    IFS='|' read -r check package why <<<"$requirement"
    if ! eval "$check" >/dev/null 2>&1; then
      _MISSING_PACKAGES+=("$package")
      _MISSING_WHY+=("$package — $why")
    fi
  done
}

_stop_missing() {
  echo "!! Kopiena needs these system packages (Debian/Ubuntu names), which are missing:"
  printf '     %s\n' "${_MISSING_WHY[@]}"
  echo "   $1"
  echo "   Then run this script again."
  exit 1
}

ensure_system_packages() {
  _find_missing
  [ "${#_MISSING_PACKAGES[@]}" -eq 0 ] && return 0
  if ! command -v apt-get >/dev/null 2>&1; then
    _stop_missing "This is not Debian or Ubuntu: install the equivalent packages with the system's package manager."
  fi
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo="sudo"
    else
      _stop_missing "You are not root and there is no sudo: as root, run  apt-get install ${_MISSING_PACKAGES[*]}"
    fi
  fi
  echo "==> Installing system packages: ${_MISSING_PACKAGES[*]}"
  if ! { $sudo apt-get update -qq &&
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${_MISSING_PACKAGES[@]}" >/dev/null; }; then
    _stop_missing "apt-get could not install them: as root, run  apt-get install ${_MISSING_PACKAGES[*]}"
  fi
  _find_missing
  [ "${#_MISSING_PACKAGES[@]}" -eq 0 ] || _stop_missing "They are installed but still not found."
}

ensure_uv() {
  command -v uv >/dev/null 2>&1 && return 0
  export PATH="$HOME/.local/bin:$PATH"
  command -v uv >/dev/null 2>&1 && return 0
  echo "==> Installing uv into ~/.local/bin (from PyPI, through a throwaway virtual environment)"
  local venv
  venv="$(mktemp -d)"
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    rm -rf "$venv"
    echo "!! python3 -m venv does not work: install the package python3-venv (Debian/Ubuntu;"
    echo "   as root: apt-get install python3-venv), then run this script again."
    exit 1
  fi
  if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check uv; then
    rm -rf "$venv"
    echo "!! Could not install uv from PyPI (see pip's message above)."
    exit 1
  fi
  mkdir -p "$HOME/.local/bin"
  # uv is one self-contained program: it works without the environment it came in.
  cp "$venv/bin/uv" "$venv/bin/uvx" "$HOME/.local/bin/"
  rm -rf "$venv"
  echo "   $(uv --version) is in ~/.local/bin; to run uv yourself, add that folder to PATH"
  echo "   (for example in ~/.profile: PATH=\"\$HOME/.local/bin:\$PATH\")."
}
