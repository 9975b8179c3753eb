#!/bin/sh
# Run last in the suite (a ctest fixture cleanup): no process started from tests/peers, and no mcpwb server or
# proxy of this build, nor a misbehaving-server, may outlive the tests. Waits a little for peers that are still
# exiting, then names those left and fails. Reads /proc itself: a fresh Debian has no pgrep (procps).
# usage: no-peers-left.sh PEERS_DIR MCPWB MISBEHAVING_SERVER
peers=$1 mcpwb=$2 misbehaving=$3
left_running() {
    for cmdline in /proc/[0-9]*/cmdline; do
        line=$(tr "\0" " " 2>/dev/null <"$cmdline") || continue
        case $line in
        *"$peers/node_modules/"* | "$mcpwb demo-server"* | "$mcpwb proxy"* | "$misbehaving "*)
            pid=${cmdline#/proc/}
            echo "  ${pid%/cmdline}: $(printf '%s' "$line" | cut -c1-160)" ;;
        esac
    done
}
i=0
while [ $i -lt 10 ]; do # about 5 s at most
    left=$(left_running)
    [ -z "$left" ] && { echo "no test peer left running"; exit 0; }
    sleep 0.5
    i=$((i + 1))
done
echo "FAIL: test peers still running after the suite (a test did not stop what it started):"
echo "$left"
exit 1
