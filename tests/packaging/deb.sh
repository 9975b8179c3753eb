#!/usr/bin/env bash
# The .deb as a user gets it: made by CPack from this build, unpacked into a temporary root (dpkg -x), and run
# from there: mcpwb --version and --help, and the GUI started offscreen until its window is painted. Its
# dependencies come from the binaries (dpkg-shlibdeps), and every file the desktop needs is in it.
#   deb.sh BUILD_DIR VERSION APP_ID
set -euo pipefail
build=$1 version=$2 app_id=$3
# CPack reads the binaries with file(1) to find what dpkg-shlibdeps must look at.
for tool in cpack dpkg-deb dpkg-shlibdeps file; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/out" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack could not make the package"; }
deb=$(ls "$work"/out/*.deb)
dpkg-deb -x "$deb" "$work/root"
root=$work/root

depends=$(dpkg-deb -f "$deb" Depends)
for lib in libqt6core6 libqt6network6 libqt6widgets6 libssl3; do
  [[ $depends == *"$lib"* ]] || fail "Depends lacks $lib: $depends"
done
for file in "usr/share/applications/$app_id.desktop" "usr/share/metainfo/$app_id.metainfo.xml" \
            "usr/share/icons/hicolor/scalable/apps/$app_id.svg" "usr/share/icons/hicolor/48x48/apps/$app_id.png" \
            usr/share/man/man1/mcpwb.1 usr/share/man/man1/mcp-workbench.1; do
  [ -s "$root/$file" ] || fail "$file is not in the package"
done
grep -q 'exit codes' "$root/usr/share/man/man1/mcpwb.1" || fail "mcpwb.1 does not document the exit codes"

[ "$("$root/usr/bin/mcpwb" --version)" = "mcpwb $version" ] || fail "mcpwb --version: $("$root/usr/bin/mcpwb" --version)"
"$root/usr/bin/mcpwb" --help | grep -q '^verbs:' || fail "mcpwb --help lists no verbs"

# The GUI with a home of its own, so that it reads and writes no settings of the user running the tests.
mkdir -p "$work/home"
HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share \
  XDG_RUNTIME_DIR=$work/home QT_QPA_PLATFORM=offscreen \
  timeout 60 "$root/usr/bin/mcp-workbench" --screenshot "$work/window.png" >"$work/gui.log" 2>&1 ||
  { cat "$work/gui.log"; fail "mcp-workbench did not start and paint its window"; }
# A PNG (its signature), as wide as a window (IHDR: the width is big-endian at offset 16).
[ "$(od -An -tx1 -N8 "$work/window.png" | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "no PNG from the GUI"
width=$(( $(od -An -tu1 -j16 -N4 "$work/window.png" | awk '{print ($1*16777216)+($2*65536)+($3*256)+$4}') ))
(( width >= 640 )) || fail "the window is $width pixels wide"
echo "PASS: $(basename "$deb"), Depends: $depends; the GUI painted a window $width pixels wide"
