#!/bin/sh
# Tokens through a real system keychain, across processes: gnome-keyring's Secret Service on a private D-Bus
# session bus, with a throwaway login keyring in a temporary HOME (never the user's). Skips (77) where
# dbus-run-session or gnome-keyring-daemon is not installed (Debian: dbus-daemon, gnome-keyring).
set -eu
helper=$1
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $tool is not installed (Debian: apt-get install --no-install-recommends gnome-keyring)"
        exit 77
    fi
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_RUNTIME_DIR="$tmp/run"
mkdir -m 700 "$XDG_RUNTIME_DIR"
unset DISPLAY WAYLAND_DISPLAY
# --unlock makes the login keyring with the password from stdin; each step is a new process.
exec timeout 50 dbus-run-session -- sh -c '
    printf roundtrip-password | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    "$0" store && "$0" load && "$0" forget && "$0" load-nothing' "$helper"
