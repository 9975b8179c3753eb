// A real 2026-07-28 server for tests: the v2 TypeScript SDK's createMcpHandler
// behind node:http on 127.0.0.1 (2025-era requests are served statelessly).
//   node tests/peers/v2-http-server.mjs [PORT]     (PORT 0 or none: any free port)
// Prints "listening http://127.0.0.1:PORT/mcp" once ready. Tools: echo {text}; add_tool, which adds the
// tool "added" and announces the change to subscriptions/listen streams (a list change in a live session);
// touch_note, which announces an update of the resource note://1 to the streams subscribed to it.
import http from 'node:http';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { z } from 'zod';

let added = false;
const factory = () => {
  const server = new McpServer({ name: 'mcpwb-v2-peer', version: '1.0.0' },
    { capabilities: { resources: { subscribe: true } } });
  server.registerTool('echo', {
    description: 'Echoes the text back',
    inputSchema: z.object({ text: z.string() }),
  }, async ({ text }) => ({ content: [{ type: 'text', text }] }));
  server.registerTool('add_tool', { description: 'Adds the tool "added"' }, async () => {
    added = true;
    handler.notify.toolsChanged();
    return { content: [{ type: 'text', text: 'added' }] };
  });
  server.registerResource('note', 'note://1', { mimeType: 'text/plain' }, async (uri) => ({
    contents: [{ uri: uri.href, text: 'a note' }],
  }));
  server.registerTool('touch_note', { description: 'Announces an update of note://1' }, async () => {
    handler.notify.resourceUpdated('note://1');
    return { content: [{ type: 'text', text: 'touched' }] };
  });
  if (added)
    server.registerTool('added', { description: 'Added while the session ran' }, async () => ({
      content: [{ type: 'text', text: 'here' }],
    }));
  return server;
};
const handler = createMcpHandler(factory);

const httpServer = http.createServer(async (req, res) => {
  try {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const request = new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url}`, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
    });
    const response = await handler.fetch(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body) for await (const chunk of response.body) res.write(chunk);
    res.end();
  } catch (e) {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(e?.stack ?? e));
  }
});
httpServer.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(`listening http://127.0.0.1:${httpServer.address().port}/mcp`);
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { httpServer.close(); process.exit(0); });
