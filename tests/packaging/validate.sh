#!/bin/sh
# Runs a validator (desktop-file-validate, appstreamcli) where it is installed, else skips with the reason.
#   validate.sh TOOL ARGS...
command -v "$1" >/dev/null || { echo "SKIP: $1 is not installed (Debian: desktop-file-utils, appstream)"; exit 77; }
exec "$@"
