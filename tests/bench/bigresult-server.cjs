// A stdio MCP server of the benchmarks' own, run with the pinned Node 22: its two tools answer with one big
// result each, built before the server reads its first request, so a call's time is the client's.
//   big_text        a text content block of about BIG_MB megabytes (lines of ~64 bytes)
//   big_structured  structuredContent of about BIG_MB megabytes: {"items": [...]} of small objects
// BIG_MB (environment) defaults to 64: the frames stay under the 64 MiB frame limit.
'use strict';

const megabytes = Number(process.env.BIG_MB || 64);
const targetBytes = Math.round(megabytes * 1000 * 1000);

function bigText() {
  const lines = [];
  let size = 0;
  for (let i = 0; size < targetBytes; ++i) {
    const line = `line ${String(i).padStart(8, '0')}: the quick brown fox jumps over the lazy dog`;
    lines.push(line);
    size += line.length + 1;
  }
  lines.push('THE END OF THE BIG TEXT');
  return lines.join('\n');
}

function bigStructured() {
  const items = [];
  let size = 0;
  for (let i = 0; size < targetBytes; ++i) {
    const item = {id: i, name: `item-${i}`, ok: i % 3 === 0, score: (i % 1000) / 8};
    items.push(item);
    size += JSON.stringify(item).length + 1;
  }
  items.push({id: -1, name: 'the last item', ok: true, score: 0});
  return {items};
}

const answers = {
  big_text: JSON.stringify({content: [{type: 'text', text: bigText()}]}),
  big_structured: JSON.stringify({
    content: [{type: 'text', text: 'the items are in structuredContent'}],
    structuredContent: bigStructured(),
  }),
};

const tools = [
  {name: 'big_text', description: 'A big text result', inputSchema: {type: 'object'}},
  {name: 'big_structured', description: 'A big structured result', inputSchema: {type: 'object'}},
];

function reply(id, resultJson) {
  process.stdout.write(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${resultJson}}\n`);
}

let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let newline;
  while ((newline = buffer.indexOf('\n')) >= 0) {
    const line = buffer.slice(0, newline);
    buffer = buffer.slice(newline + 1);
    if (!line.trim())
      continue;
    const m = JSON.parse(line);
    if (m.id === undefined)
      continue; // notifications
    if (m.method === 'initialize') {
      reply(m.id, JSON.stringify({
        protocolVersion: m.params.protocolVersion,
        capabilities: {tools: {}},
        serverInfo: {name: 'bigresult-server', version: '1.0.0'},
      }));
    } else if (m.method === 'tools/list') {
      reply(m.id, JSON.stringify({tools}));
    } else if (m.method === 'tools/call' && answers[m.params.name]) {
      reply(m.id, answers[m.params.name]);
    } else {
      process.stdout.write(JSON.stringify(
          {jsonrpc: '2.0', id: m.id, error: {code: -32601, message: `no ${m.method}`}}) + '\n');
    }
  }
});
// At the end of stdin the process exits once its answers are written.
