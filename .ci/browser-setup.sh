#!/usr/bin/env bash
# Installs what the browser tests (tests/test_browser.py, tests/test_preview.py) and the HTML
# validity test (tests/test_html_valid.py) need and a fresh Debian machine lacks:
#   - Debian's Chromium at /usr/bin/chromium (apt package `chromium`; no browser is downloaded),
#   - Debian's Java (apt package `default-jre-headless`) to run the W3C Nu HTML checker,
#   - Node.js and npm (apt) to install axe-core and vnu-jar,
#   - axe-core and vnu-jar from the npm registry into tests/browser/node_modules (`npm ci`, pinned
#     by the lock file; `--ignore-scripts`, since vnu-jar's install script would download a Java),
#   - the Python package playwright into .venv (pinned in requirements.txt).
# workflow/bootstrap.sh runs this, so the Quickstart's first command installs all of it.
# Idempotent: every step checks first and does nothing when its piece is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'browser-setup: %s\n' "$*"; }
export DEBIAN_FRONTEND=noninteractive
# Playwright must never fetch a browser of its own: the tests drive /usr/bin/chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    say "not root and no sudo: cannot install Debian packages"; fi
fi

APT_UPDATED=0
apt_install() {
  if [ "$APT_UPDATED" -eq 0 ]; then
    say "apt-get update"
    $SUDO apt-get update -qq
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ -x /usr/bin/chromium ]; then
  say "Chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
else
  say "Chromium missing: installing Debian's package"
  apt_install chromium
  say "installed: $(/usr/bin/chromium --version)"
fi

if command -v java >/dev/null 2>&1; then
  say "Java present: $(java -version 2>&1 | head -n 1)"
else
  say "Java missing: installing Debian's package"
  apt_install default-jre-headless
fi

if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  say "Node.js present: $(node --version), npm $(npm --version)"
else
  say "Node.js/npm missing: installing Debian's packages"
  apt_install nodejs npm
fi

# want/have versions of an npm package of tests/browser/package-lock.json
want() { node -e "console.log(require('./tests/browser/package-lock.json').packages['node_modules/$1'].version)"; }
have() { node -e "try { console.log(require('./tests/browser/node_modules/$1/package.json').version) } catch (e) { console.log('none') }"; }
if [ "$(have axe-core)" = "$(want axe-core)" ] && [ -f tests/browser/node_modules/axe-core/axe.min.js ] \
   && [ "$(have vnu-jar)" = "$(want vnu-jar)" ] && [ -f tests/browser/node_modules/vnu-jar/build/dist/vnu.jar ]; then
  say "axe-core $(have axe-core) and vnu-jar $(have vnu-jar) present in tests/browser/node_modules"
else
  say "axe-core: have $(have axe-core), want $(want axe-core); vnu-jar: have $(have vnu-jar), want $(want vnu-jar): npm ci in tests/browser"
  (cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund)
fi

if [ -x .venv/bin/python ]; then
  if .venv/bin/python -c 'import playwright' 2>/dev/null; then
    say "Python package playwright present in .venv"
  else
    pin=$(grep -E '^playwright==' requirements.txt)
    say "installing $pin into .venv"
    .venv/bin/pip install -q "$pin"
  fi
else
  say "no .venv yet: run workflow/bootstrap.sh first (it installs requirements.txt, playwright included)"
  exit 1
fi

say "ready: run .venv/bin/python -m pytest tests/test_browser.py tests/test_html_valid.py"
