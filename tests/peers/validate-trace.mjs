#!/usr/bin/env node
// Validates what a client sent, as recorded in a JSONL trace, against the
// official MCP JSON Schema of one protocol version. With --role server the
// "send" lines are a server's (ServerRequest/ServerNotification/ServerResult)
// and the "recv" lines the client's requests they answer.
//
//   node validate-trace.mjs --schema-dir DIR --version 2025-11-25|auto [--role client|server] TRACE.jsonl|-
//
// Trace lines: {"time","connection","direction":"send"|"recv","bytes",
// "message":<JSON-RPC message>} or "raw":"..." instead of "message" when the
// bytes did not parse. "send" lines are validated ("raw" there is an error);
// "recv" lines are only read for context (protocol version, which server
// request a client response answers). Lines with "http" instead (the raw HTTP
// exchanges a session file keeps beside its frames) carry no message: skipped.
//
// --version auto: per message, the version in its own
// params._meta["io.modelcontextprotocol/protocolVersion"] (2026-07-28 style),
// else the protocolVersion of its connection's initialize result, else the
// first such _meta version seen on the connection, else the first version
// found anywhere in the trace.
//
// Exit: 0 all valid, 1 some invalid, 2 usage error.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const META_VERSION = 'io.modelcontextprotocol/protocolVersion';
const MAX_ERRORS = 8;

function usage(msg) {
  if (msg) process.stderr.write(`validate-trace: ${msg}\n`);
  process.stderr.write('usage: node validate-trace.mjs --schema-dir DIR --version VERSION|auto TRACE.jsonl|-\n');
  process.exit(2);
}

// ---- arguments -------------------------------------------------------------
let schemaDir = null;
let version = null;
let tracePath = null;
let role = 'client';
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; ++i) {
  const a = argv[i];
  const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
  if (a === '--schema-dir') schemaDir = value();
  else if (a.startsWith('--schema-dir=')) schemaDir = a.slice(13);
  else if (a === '--version') version = value();
  else if (a.startsWith('--version=')) version = a.slice(10);
  else if (a === '--role') role = value();
  else if (a === '-h' || a === '--help') usage();
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else if (tracePath === null) tracePath = a;
  else usage('only one trace file');
}
if (!schemaDir || !version || !tracePath) usage();
if (role !== 'client' && role !== 'server') usage(`--role must be client or server, not ${role}`);
const peer = role === 'client' ? 'server' : 'client';
const union = (side, kind) => side[0].toUpperCase() + side.slice(1) + kind; // e.g. ServerResult
if (!fs.existsSync(schemaDir)) usage(`schema dir ${schemaDir} does not exist`);
const knownVersions = fs.readdirSync(schemaDir)
  .filter((v) => fs.existsSync(path.join(schemaDir, v, 'schema.json'))).sort();
if (version !== 'auto' && !knownVersions.includes(version)) {
  usage(`no ${version}/schema.json in ${schemaDir} (have: ${knownVersions.join(', ')})`);
}

let text;
try {
  text = fs.readFileSync(tracePath === '-' ? 0 : tracePath, 'utf8');
} catch (e) {
  usage(`cannot read ${tracePath}: ${e.message}`);
}

// ---- schemas ---------------------------------------------------------------
const schemas = new Map(); // version -> { ajv, id, defsKey, defs, cache, requests, notifications, serverRequests }

function ajvClassFor(metaSchema) {
  const m = String(metaSchema || '');
  if (m.includes('2020-12')) return require('ajv/dist/2020').default;
  if (m.includes('2019-09')) return require('ajv/dist/2019').default;
  if (m.includes('draft-07') || m.includes('draft-06') || m === '') return require('ajv').default;
  throw new Error(`unsupported $schema ${m}`);
}

// Names of the definitions a union definition stands for.
function members(s, name) {
  const def = s.defs[name];
  if (!def) return [];
  const alts = def.anyOf || def.oneOf;
  const refName = (r) => r.$ref.split('/').pop();
  if (alts) return alts.filter((x) => x.$ref).map(refName);
  if (def.$ref) return [refName(def)];
  return [name];
}

function byMethod(s, unionName) {
  const map = new Map();
  for (const n of members(s, unionName)) {
    const m = s.defs[n]?.properties?.method?.const;
    if (typeof m === 'string') map.set(m, n);
  }
  return map;
}

// Known generator errors in the published schema.json files. The TypeScript schema (the source of truth)
// types elicitation form values as `string | number | boolean | string[]`, but the JSON was generated with
// --defaultNumberType integer (see the 2026-07-28 changelog, "Other schema changes"), so 95.5 would be
// refused. Widen exactly that union back to number.
function applyErrata(defs) {
  const content = defs.ElicitResult?.properties?.content?.additionalProperties;
  const widen = (node) => {
    if (node && Array.isArray(node.type)) node.type = node.type.map((t) => (t === 'integer' ? 'number' : t));
  };
  widen(content);
  for (const alt of content?.anyOf ?? []) widen(alt);
}

function loadSchema(v) {
  if (schemas.has(v)) return schemas.get(v);
  const file = path.join(schemaDir, v, 'schema.json');
  const schema = JSON.parse(fs.readFileSync(file, 'utf8'));
  const defsKey = schema.$defs ? '$defs' : 'definitions';
  applyErrata(schema[defsKey]);
  const Ajv = ajvClassFor(schema.$schema);
  const ajv = new Ajv({ strict: false, allErrors: true });
  require('ajv-formats').default(ajv);
  const id = `urn:mcp-schema:${v}`;
  ajv.addSchema({ ...schema, $id: id });
  const s = { ajv, id, defsKey, defs: schema[defsKey], cache: new Map() };
  // "client*" names mean "the validated side's" and "serverRequests" the peer's, whatever --role says.
  s.requests = byMethod(s, union(role, 'Request'));
  s.notifications = byMethod(s, union(role, 'Notification'));
  s.serverRequests = byMethod(s, union(peer, 'Request'));
  s.clientResults = new Set(members(s, union(role, 'Result')));
  schemas.set(v, s);
  return s;
}

function validator(s, name) {
  if (!s.cache.has(name)) s.cache.set(name, s.ajv.compile({ $ref: `${s.id}#/${s.defsKey}/${name}` }));
  return s.cache.get(name);
}

function fmtError(e) {
  let extra = '';
  const p = e.params || {};
  if (p.additionalProperty !== undefined) extra = ` '${p.additionalProperty}'`;
  else if (p.allowedValue !== undefined) extra = ` ${JSON.stringify(p.allowedValue)}`;
  else if (p.allowedValues !== undefined) extra = ` ${JSON.stringify(p.allowedValues)}`;
  return `${e.instancePath || '/'} ${e.message}${extra}`;
}

// Validates msg against every named definition; returns a list of error strings.
function check(s, names, msg) {
  const errs = [];
  for (const n of names) {
    const validate = validator(s, n);
    if (!validate(msg)) for (const e of validate.errors) errs.push(`${n}: ${fmtError(e)}`);
  }
  return [...new Set(errs)];
}

const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
// Methods of official extensions, which the core schema does not define: only their envelope is checked.
const EXTENSION_REQUESTS = new Set(['skills/list']); // io.modelcontextprotocol/skills (SEP-2640)
const def = (s, ...names) => names.find((n) => s.defs[n]);

// ---- one message -----------------------------------------------------------
function validateMessage(v, msg, answered) {
  const s = loadSchema(v);
  if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) {
    return ['not a JSON-RPC message object'];
  }
  if (typeof msg.method === 'string' && has(msg, 'id')) {
    const name = s.requests.get(msg.method);
    const errs = check(s, ['JSONRPCRequest', ...(name ? [name] : [])], msg);
    if (!name && !EXTENSION_REQUESTS.has(msg.method)) errs.unshift(`'${msg.method}' is not a ${role} request in ${v}`);
    return errs;
  }
  if (typeof msg.method === 'string') {
    const name = s.notifications.get(msg.method);
    const errs = check(s, ['JSONRPCNotification', ...(name ? [name] : [])], msg);
    if (!name) errs.unshift(`'${msg.method}' is not a ${role} notification in ${v}`);
    return errs;
  }
  if (has(msg, 'error')) return check(s, [def(s, 'JSONRPCErrorResponse', 'JSONRPCError')], msg);
  if (has(msg, 'result')) {
    // The result definition of the server request this answers, if known.
    let resultDef = union(role, 'Result');
    const reqName = answered ? s.serverRequests.get(answered) : undefined;
    // A 2026-07-28 server may answer tools/call, prompts/get and resources/read with input_required.
    const inputRequired = msg.result?.resultType === 'input_required' && s.defs.InputRequiredResult;
    const specific = inputRequired ? 'InputRequiredResult' : reqName && reqName.replace(/Request$/, 'Result');
    if (specific && s.defs[specific] && (s.clientResults.has(specific) || specific === 'EmptyResult')) resultDef = specific;
    const envelope = def(s, 'JSONRPCResultResponse', 'JSONRPCResponse');
    const errs = check(s, [envelope], msg);
    const validate = validator(s, resultDef);
    if (!validate(msg.result)) for (const e of validate.errors) errs.push(`${resultDef}: /result${fmtError(e).replace(/^\/ /, ' ')}`);
    return [...new Set(errs)];
  }
  return check(s, ['JSONRPCMessage'], msg).concat(['neither a request, a notification nor a response']);
}

// ---- trace -----------------------------------------------------------------
const entries = [];
const lines = text.split('\n');
let invalid = 0;
let valid = 0;
const report = (where, what, errs) => {
  ++invalid;
  const shown = errs.slice(0, MAX_ERRORS).join('; ');
  const more = errs.length > MAX_ERRORS ? ` (+${errs.length - MAX_ERRORS} more)` : '';
  process.stdout.write(`INVALID ${where} ${what}: ${shown}${more}\n`);
};

lines.forEach((line, i) => {
  if (!line.trim()) return;
  let e;
  try {
    e = JSON.parse(line);
  } catch (err) {
    report(`line ${i + 1}`, '(trace)', [`trace line is not JSON: ${err.message}`]);
    return;
  }
  entries.push({ line: i + 1, ...e });
});

// Versions, for --version auto.
const metaVersion = (m) => {
  const v = m && typeof m === 'object' && m.params && m.params._meta && m.params._meta[META_VERSION];
  return typeof v === 'string' ? v : undefined;
};
const conns = new Map(); // connection -> { initIds, initVersion, metaVersion, serverRequests }
const conn = (name) => {
  const key = String(name ?? '');
  if (!conns.has(key)) conns.set(key, { initIds: new Set(), initVersion: undefined, metaVersion: undefined });
  return conns.get(key);
};
let firstVersion;
for (const e of entries) {
  const c = conn(e.connection);
  const msgs = Array.isArray(e.message) ? e.message : [e.message];
  for (const m of msgs) {
    if (!m || typeof m !== 'object') continue;
    if (e.direction === 'send') {
      if (m.method === 'initialize' && has(m, 'id')) c.initIds.add(JSON.stringify(m.id));
      const mv = metaVersion(m);
      if (mv && !c.metaVersion) c.metaVersion = mv;
      if (mv && !firstVersion) firstVersion = mv;
    } else if (e.direction === 'recv' && m.result && typeof m.result.protocolVersion === 'string'
               && c.initIds.has(JSON.stringify(m.id)) && !c.initVersion) {
      c.initVersion = m.result.protocolVersion;
      if (!firstVersion) firstVersion = c.initVersion;
    }
  }
}
const versionFor = (e, m) => {
  if (version !== 'auto') return version;
  const c = conn(e.connection);
  return metaVersion(m) || c.initVersion || c.metaVersion || firstVersion;
};
if (version === 'auto' && !firstVersion && entries.some((e) => e.direction === 'send')) {
  usage('--version auto: no initialize result or _meta protocol version in the trace');
}

// Validate, remembering which server requests are pending per connection.
const pending = new Map(); // connection \0 id -> method
for (const e of entries) {
  const where = `line ${e.line}${e.connection !== undefined ? ` [${e.connection}]` : ''}`;
  if (e.direction === 'recv') {
    for (const m of Array.isArray(e.message) ? e.message : [e.message]) {
      if (m && typeof m === 'object' && typeof m.method === 'string' && has(m, 'id')) {
        pending.set(`${e.connection}\0${JSON.stringify(m.id)}`, m.method);
      }
    }
    continue;
  }
  if (has(e, 'http') && !has(e, 'direction')) continue; // an HTTP exchange, not a frame
  if (e.direction !== 'send') {
    report(where, '(trace)', [`direction must be "send" or "recv", not ${JSON.stringify(e.direction)}`]);
    continue;
  }
  if (!has(e, 'message')) {
    const raw = typeof e.raw === 'string' ? e.raw : '';
    report(where, '(raw)', [has(e, 'raw') ? `sent bytes that are not JSON: ${JSON.stringify(raw.slice(0, 80))}` : 'trace line has neither "message" nor "raw"']);
    continue;
  }
  const batch = Array.isArray(e.message);
  const items = batch ? e.message : [e.message];
  if (batch && items.length === 0) {
    report(where, 'batch', ['empty batch']);
    continue;
  }
  items.forEach((m, k) => {
    const v = versionFor(e, m);
    const label = `${batch ? `batch[${k}] ` : ''}method=${m?.method ?? '-'} id=${m && has(m, 'id') ? JSON.stringify(m.id) : '-'} (${v})`;
    if (!knownVersions.includes(v)) {
      report(where, label, [`no schema for protocol version ${JSON.stringify(v)}`]);
      return;
    }
    const errs = [];
    if (batch && k === 0) {
      const s = loadSchema(v);
      if (!s.defs.JSONRPCBatchRequest) errs.push(`JSON-RPC batches are not part of ${v}`);
    }
    let answered;
    if (m && typeof m === 'object' && typeof m.method !== 'string' && has(m, 'id')) {
      const key = `${e.connection}\0${JSON.stringify(m.id)}`;
      answered = pending.get(key);
      pending.delete(key);
    }
    errs.push(...validateMessage(v, m, answered));
    if (errs.length) report(where, label, errs);
    else ++valid;
  });
}

process.stdout.write(`validated ${valid + invalid} messages: ${valid} valid, ${invalid} invalid\n`);
process.exit(invalid ? 1 : 0);
