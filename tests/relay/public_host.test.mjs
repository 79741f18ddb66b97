// The relay's own names (--public-host) and the proxies it believes (--trusted-proxy), end to end.
// DNS rebinding: a page on attacker.example whose name now resolves to the relay's address sends
// Host: attacker.example and Origin: http://attacker.example; the relay must answer 421 without
// CORS and forward nothing. Behind a trusted proxy, rate limits key on the X-Forwarded-For client.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRelay } from '../lib/servers.mjs';
import { startRecordingUpstream, rawRequest, json, logLines } from './helpers.mjs';

const V1 = 'Action=QuerySecretNoRemain&Version=2017-05-25&City=%E6%9D%AD%E5%B7%9E&AccessKeyId=LTAI5tPublicHost01';
let upstream;
const relays = [];

before(async () => {
  upstream = await startRecordingUpstream();
});

after(async () => {
  for (const relay of relays) await relay.stop();
  await upstream?.close();
});

async function relayWith(args) {
  const relay = await startRelay(upstream.url, ['--rate', '0', ...args]);
  relays.push(relay);
  return relay;
}

// The access log's client fields, sorted, once `count` lines are written (a line follows its
// answer, so two workers may write theirs in either order).
async function loggedClients(relay, count) {
  const lines = await logLines(relay, (all) => all.length >= count);
  return lines.map((l) => l.client).sort();
}

function get(target, headerLines) {
  return `GET ${target} HTTP/1.1\r\n${headerLines.map((l) => `${l}\r\n`).join('')}Connection: close\r\n\r\n`;
}

test('a Host that is not one of the relay\'s names gets 421, no CORS, nothing forwarded', async () => {
  const relay = await relayWith([]);
  const p = relay.port;
  const hostile = [
    ['rebinding name', ['Host: attacker.example', 'Origin: http://attacker.example']],
    ['rebinding name with the port', [`Host: attacker.example:${p}`, `Origin: http://attacker.example:${p}`]],
    ['nip.io name for loopback', [`Host: 127.0.0.1.nip.io:${p}`, `Origin: http://127.0.0.1.nip.io:${p}`]],
    ['localhost as a subdomain', [`Host: localhost.attacker.example:${p}`]],
    ['IPv6 literal', [`Host: [::1]:${p}`, `Origin: http://[::1]:${p}`]],
    ['numeric loopback spelling', [`Host: 2130706433:${p}`]],
    ['empty Host', ['Host: ']],
    ['two Host headers', [`Host: 127.0.0.1:${p}`, 'Host: attacker.example']],
    ['two Host headers, allowed one last', ['Host: attacker.example', `Host: 127.0.0.1:${p}`]],
  ];
  const before = upstream.received.length;
  const failures = [];
  for (const [name, lines] of hostile) {
    for (const target of [`/api/?${V1}`, '/healthz', '/relay/config']) {
      const r = await rawRequest(p, get(target, lines));
      const code = json(r.body)?.Code;
      if (r.status !== 421 || code !== 'Relay.MisdirectedHost') failures.push(`${name} ${target}: ${r.status} ${code}`);
      if (r.headers['access-control-allow-origin'] !== undefined) failures.push(`${name} ${target}: CORS on a 421`);
    }
  }
  // A preflight from the rebinding page is refused the same way.
  const preflight = await rawRequest(p, `OPTIONS /api/ HTTP/1.1\r\nHost: attacker.example:${p}\r\nOrigin: http://attacker.example:${p}\r\nAccess-Control-Request-Method: POST\r\nConnection: close\r\n\r\n`);
  if (preflight.status !== 421 || preflight.headers['access-control-allow-origin'] !== undefined) {
    failures.push(`preflight: ${preflight.status} ${preflight.headers['access-control-allow-origin']}`);
  }
  assert.deepEqual(failures, []);
  assert.equal(upstream.received.length, before, 'nothing reached the upstream');

  // Its own names are served, same-origin CORS included.
  for (const host of [`127.0.0.1:${p}`, `localhost:${p}`, 'LOCALHOST', '127.0.0.1']) {
    const r = await rawRequest(p, get(`/api/?${V1}`, [`Host: ${host}`, `Origin: http://${host}`]));
    assert.equal(r.status, 200, `${host}: ${r.body}`);
    assert.equal(r.headers['access-control-allow-origin'], `http://${host}`);
  }
  assert.equal(upstream.received.length, before + 4);
});

test('--public-host replaces the default names', async () => {
  const relay = await relayWith(['--public-host', 'relay.example,relay.example:8443']);
  const ok = await rawRequest(relay.port, get(`/api/?${V1}`, ['Host: relay.example']));
  assert.equal(ok.status, 200, ok.body);
  assert.equal(upstream.received.at(-1).headers.host, upstream.host, 'the upstream sees its own name');
  const withPort = await rawRequest(relay.port, get('/healthz', ['Host: relay.example:8443']));
  assert.equal(withPort.status, 200);
  for (const host of ['127.0.0.1', `127.0.0.1:${relay.port}`, 'relay.example.attacker.example']) {
    const r = await rawRequest(relay.port, get('/healthz', [`Host: ${host}`]));
    assert.equal(r.status, 421, host);
  }
});

test('X-Forwarded-For is believed from a trusted proxy only, and only its last hop', async () => {
  // One call per client address, then 429.
  const limits = ['--rate', '1', '--burst', '1'];
  const call = (relay, xff) => rawRequest(relay.port, get(`/api/?${V1}`, [`Host: 127.0.0.1:${relay.port}`, ...xff.map((v) => `X-Forwarded-For: ${v}`)]));

  const behind = await relayWith([...limits, '--trusted-proxy', '127.0.0.1']);
  assert.equal((await call(behind, ['198.51.100.1'])).status, 200);
  assert.equal((await call(behind, ['198.51.100.2'])).status, 200, 'another client has its own bucket');
  assert.equal((await call(behind, ['203.0.113.50, 198.51.100.3'])).status, 200);
  // The hops a client wrote itself do not buy it a new bucket: only the last one counts.
  assert.equal((await call(behind, ['203.0.113.77, 198.51.100.1'])).status, 429);
  assert.equal((await call(behind, ['198.51.100.2'])).status, 429);
  assert.deepEqual(await loggedClients(behind, 5), ['198.51.100.1', '198.51.100.1', '198.51.100.2', '198.51.100.2', '198.51.100.3']);

  // Without --trusted-proxy the header is ignored: every call is from 127.0.0.1.
  const direct = await relayWith(limits);
  assert.equal((await call(direct, ['198.51.100.1'])).status, 200);
  assert.equal((await call(direct, ['198.51.100.2'])).status, 429, 'a forged X-Forwarded-For buys nothing');
  assert.deepEqual(await loggedClients(direct, 2), ['127.0.0.1', '127.0.0.1']);

  // A trusted list that does not include the peer: ignored too.
  const elsewhere = await relayWith([...limits, '--trusted-proxy', '10.0.0.0/8']);
  assert.equal((await call(elsewhere, ['198.51.100.1'])).status, 200);
  assert.equal((await call(elsewhere, ['198.51.100.2'])).status, 429);
});
