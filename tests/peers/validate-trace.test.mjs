// Self-test of validate-trace.mjs on the hand-written traces in trace-samples/:
//   node --test tests/peers/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const schemaDir = process.env.MCP_SCHEMA_DIR
  || [path.join(here, '../../../shared/mcp-schema'), '/work/shared/mcp-schema'].find((d) => fs.existsSync(d));
const run = (...args) => spawnSync(process.execPath, [path.join(here, 'validate-trace.mjs'), ...args], { encoding: 'utf8' });

for (const f of fs.readdirSync(path.join(here, 'trace-samples')).filter((n) => n.endsWith('.jsonl')).sort()) {
  const m = /^(\d{4}-\d\d-\d\d|mixed-auto)-(valid|invalid)\.jsonl$/.exec(f);
  if (!m) continue;
  const expected = m[2] === 'valid' ? 0 : 1;
  for (const v of m[1] === 'mixed-auto' ? ['auto'] : [m[1], 'auto']) {
    test(`${f} --version ${v}`, { skip: !schemaDir && 'no mcp-schema dir' }, () => {
      const r = run('--schema-dir', schemaDir, '--version', v, path.join(here, 'trace-samples', f));
      assert.equal(r.status, expected, r.stdout + r.stderr);
      assert.match(r.stdout, /^validated \d+ messages: \d+ valid, \d+ invalid$/m);
      if (expected) assert.match(r.stdout, /^INVALID /m);
    });
  }
}

test('usage errors exit 2', { skip: !schemaDir && 'no mcp-schema dir' }, () => {
  assert.equal(run().status, 2);
  assert.equal(run('--schema-dir', schemaDir, '--version', '1999-01-01', '-').status, 2);
  assert.equal(run('--schema-dir', schemaDir, '--version', '2025-11-25', '/nonexistent.jsonl').status, 2);
});
