#!/usr/bin/env bash
# Developer and CI entry point for MCP Workbench.
#   scripts/dev.sh deps    install missing Debian packages and the npm test peers
#   scripts/dev.sh build   configure and build into build/
#   scripts/dev.sh test    deps + build + ctest (offscreen Qt), then the unit and integration tests again
#                          under ASan+UBSan (build-asan) and each fuzz target briefly (clang, build-fuzz)
#   scripts/dev.sh run     deps + build + start the GUI on the demo server
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

APT_PACKAGES=(build-essential cmake qt6-base-dev qt6-websockets-dev nlohmann-json3-dev libcpptoml-dev libvalijson-dev
              curl libssl-dev libgl-dev xvfb xauth imagemagick clang-14 libclang-rt-14-dev
              desktop-file-utils appstream file qt6-tools-dev qt6-l10n-tools libxml2-utils)
# desktop-file-utils, appstream: the packaging validators; file: CPack reads the binaries with it for the .deb;
# qt6-tools-dev, qt6-l10n-tools: lupdate and lrelease; libxml2-utils: xmllint, which checks JUnit reports.
# Optional: installed only where the distribution has them (KSyntaxHighlighting for Qt 6 is not in Debian 12).
# qtkeychain keeps OAuth tokens in the system keychain; without it they stay in memory.
OPTIONAL_PACKAGES=(libkf6syntaxhighlighting-dev qtkeychain-qt6-dev)
SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo

log() { printf '==> %s\n' "$*" >&2; }

# No `| grep -q` here: under pipefail, grep closing the pipe early can fail the writer with SIGPIPE, and a
# package would be found on one run and not on the next.
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }
available() {
  local policy
  policy=$(apt-cache policy "$1" 2>/dev/null) || return 1
  [[ $policy == *"Candidate: "* && $policy != *"Candidate: (none)"* ]]
}

deps() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done
  # Debian's Node only where there is none: never over a node/npm from elsewhere.
  command -v node >/dev/null || missing+=(nodejs)
  command -v npm >/dev/null || missing+=(npm)
  if ((${#missing[@]})); then
    log "apt-get update (missing: ${missing[*]})"
    $SUDO apt-get update -qq
    log "apt-get install ${missing[*]}"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
  local optional=()
  for p in "${OPTIONAL_PACKAGES[@]}"; do
    if ! installed "$p" && available "$p"; then optional+=("$p"); fi
  done
  if ((${#optional[@]})); then
    # Without recommends: qtkeychain's would bring a whole keyring daemon (gnome-keyring, GTK).
    log "apt-get install --no-install-recommends ${optional[*]} (optional)"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${optional[@]}"
  fi
  # npm ci only when node_modules is missing or older than the lock.
  if [ ! -f tests/peers/node_modules/.package-lock.json ] ||
     [ tests/peers/package-lock.json -nt tests/peers/node_modules/.package-lock.json ]; then
    log "npm ci in tests/peers"
    (cd tests/peers && npm ci --no-audit --no-fund)
  fi
}

build() {
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMCPWB_WARNINGS_AS_ERRORS=ON
  cmake --build build -j2
}

# The core, the CLI and the unit and integration tests with AddressSanitizer and UndefinedBehaviorSanitizer
# (no GUI: the ui tests stay in the normal build, which keeps the whole run within CI's time).
build_asan() {
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMCPWB_WARNINGS_AS_ERRORS=ON \
    -DMCPWB_SANITIZE=ON -DMCPWB_BUILD_GUI=OFF
  cmake --build build-asan -j2
}

# The libFuzzer targets of tests/fuzz with clang; nothing else.
build_fuzz() {
  cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMCPWB_WARNINGS_AS_ERRORS=ON \
    -DCMAKE_CXX_COMPILER=clang++-14 -DMCPWB_FUZZ=ON -DMCPWB_BUILD_TESTS=OFF -DMCPWB_BUILD_GUI=OFF
  cmake --build build-fuzz -j2 --target fuzzers
}

run_tests() {
  deps
  build
  # Which Node runs the peers (the pinned one from npm), or a clear stop where it is too old.
  sh tests/support/check-node.sh tests/peers || [ $? -eq 77 ]
  export QT_QPA_PLATFORM=offscreen
  ctest --test-dir build --output-on-failure -j2
  log "unit and integration tests under ASan+UBSan (build-asan)"
  build_asan
  ctest --test-dir build-asan --output-on-failure -j2 -L 'unit|integration|peers'
  log "fuzz targets, briefly each (build-fuzz)"
  build_fuzz
  ctest --test-dir build-fuzz --output-on-failure -j2 -L fuzz
}

run_gui() {
  deps
  build
  # Checked after the build, so that a headless first run still leaves everything installed and built.
  if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    echo "dev.sh run: built, but there is no DISPLAY or WAYLAND_DISPLAY; start it under a virtual X server:" >&2
    echo "  xvfb-run -a -s '-screen 0 1600x1000x24' bash scripts/dev.sh run" >&2
    exit 1
  fi
  exec build/app/gui/mcp-workbench --demo "$@"
}

case "${1:-}" in
  deps)  deps ;;
  build) build ;;
  test)  run_tests ;;
  run)   shift; run_gui "$@" ;;
  *)     echo "usage: $0 deps|build|test|run" >&2; exit 2 ;;
esac
