'use strict';
// Keeps every TCP listener of a Node process on loopback.
//
//   node -r tests/peers/loopback-preload.cjs dist/index.js streamableHttp
//
// Test peers (server-everything's HTTP modes, the SDK examples, the
// conformance harness's test servers) listen on all interfaces. Passing a host
// to listen() is not an option: Node then resolves it asynchronously and
// server.address() is null right after listen(0). So this hooks the bind calls
// of Node's internal TCP handle instead: any address that is not loopback
// (127.0.0.0/8, ::1, ::ffff:127.x), including the wildcard '::' / '0.0.0.0'
// used when no host is given, becomes 127.0.0.1. An explicit '::1' stays.
//
// Child Node processes inherit the hook through NODE_OPTIONS (set
// MCPWB_LOOPBACK_NO_INHERIT=1 to stop that). MCPWB_LOOPBACK_DEBUG=1 logs each
// rewrite to stderr.

const debug = process.env.MCPWB_LOOPBACK_DEBUG === '1';
const TARGET = '127.0.0.1';

function isLoopback(address) {
  if (typeof address !== 'string') return false;
  const a = address.toLowerCase();
  return a.startsWith('127.') || a === '::1' || a === 'localhost' || a.startsWith('::ffff:127.');
}

function log(what, from, port) {
  if (debug) process.stderr.write(`[loopback-preload ${process.pid}] ${what}(${from}, ${port}) -> ${TARGET}\n`);
}

// process.binding is deprecated (DEP0111) but still serves tcp_wrap, and it
// returns the same binding object that lib/net.js uses, so patching the
// prototype reaches every server handle.
const { TCP } = process.binding('tcp_wrap');
const proto = TCP.prototype;

if (!proto.__mcpwbLoopback) {
  const bind4 = proto.bind;
  const bind6 = proto.bind6;

  proto.bind = function bind(address, port, ...rest) {
    if (isLoopback(address)) return bind4.call(this, address, port, ...rest);
    log('bind', address, port);
    return bind4.call(this, TARGET, port, ...rest);
  };

  proto.bind6 = function bind6Hook(address, port, flags, ...rest) {
    if (isLoopback(address) && !address.startsWith('::ffff:')) return bind6.call(this, address, port, flags, ...rest);
    // The socket is created at bind time with the address's family, so an IPv4
    // bind on a handle that Node meant for IPv6 is fine.
    log('bind6', address, port);
    return bind4.call(this, TARGET, port);
  };

  Object.defineProperty(proto, '__mcpwbLoopback', { value: true });
}

if (process.env.MCPWB_LOOPBACK_NO_INHERIT !== '1') {
  const self = __filename;
  const opts = process.env.NODE_OPTIONS || '';
  if (!opts.includes(self)) {
    process.env.NODE_OPTIONS = `${opts} --require ${JSON.stringify(self)}`.trim();
  }
}
