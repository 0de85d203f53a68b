#!/usr/bin/env bash
# Set up a fresh clone and build every report.
#   bash workflow/bootstrap.sh            install, then run `snakemake --cores 4`
#   bash workflow/bootstrap.sh --no-run   install only
# Installs the Debian libraries WeasyPrint needs (when run as root), a virtual environment
# in .venv with the locked Python packages, the project package itself (editable), and what
# the browser, preview and HTML-validity tests need (.ci/browser-setup.sh: Debian's Chromium,
# Java and Node.js; axe-core and vnu-jar from npm), so that the tests run, none skipped.
# requirements.txt is the full lock (every package pinned, with hashes), generated from
# requirements.in by one command: .venv/bin/uv pip compile requirements.in -o requirements.txt
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig poppler-utils)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Please install these Debian packages (as root): ${missing[*]}" >&2
    exit 1
  fi
fi

PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
# The lock carries hashes, so pip checks every download against them.
.venv/bin/python -m pip install -q -r requirements.txt
# Separate from the lock: the project itself has no dependencies of its own and no hash.
.venv/bin/python -m pip install -q --no-deps -e .
bash .ci/browser-setup.sh

if [[ "${1:-}" != "--no-run" ]]; then
  .venv/bin/snakemake --cores 4
fi
