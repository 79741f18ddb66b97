// Refused on the head: a request the relay can refuse from its request line and headers alone
// (origin, action, version) is answered at once, without waiting for a body that may never come,
// and costs the client no rate-limit token. A client announcing `Content-Length: 100` and sending
// nothing must not hold a connection (or a worker) until the read timeout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startRelay } from '../lib/servers.mjs';
import { startRecordingUpstream, rawRequest, json } from './helpers.mjs';

const ALLOWED_ORIGIN = 'https://console.example';
const V1 = 'Action=BuySecretNo&Version=2017-05-25&PoolKey=FC1&SpecId=1&City=%E6%9D%AD%E5%B7%9E&AccessKeyId=LTAI5tRefusedHeads01';
const BURST = 3;
// Well under a second: the refusal needs no byte of the body. A relay that reads the body first
// answers only after its client timeout (5 s here), or never.
const PROMPT_MS = 500;

let upstream;
let relay;

before(async () => {
  upstream = await startRecordingUpstream();
  relay = await startRelay(upstream.url, [
    '--origins', ALLOWED_ORIGIN,
    '--client-timeout-ms', '5000',
    '--rate', '1',
    '--burst', String(BURST),
  ]);
});

after(async () => {
  await relay?.stop();
  await upstream?.close();
});

// A POST whose head announces a 100-byte body that is never sent.
function headOnly(target, headers = {}) {
  const lines = [`POST ${target} HTTP/1.1`, `Host: 127.0.0.1:${relay.port}`, 'Content-Length: 100'];
  const all = { 'Content-Type': 'application/x-www-form-urlencoded', ...headers };
  for (const [k, v] of Object.entries(all)) lines.push(`${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

// Heads that are refused whatever the body would say: an Action or Version in the query or the
// V3 headers that is not allowed cannot be made right by the body.
const refusedHeads = () => [
  ['disallowed origin', headOnly(`/api/?${V1}`, { Origin: 'https://evil.example' }), 403, 'Relay.OriginNotAllowed'],
  ['origin "null"', headOnly(`/api/?${V1}`, { Origin: 'null' }), 403, 'Relay.OriginNotAllowed'],
  ['allowed origin as a prefix', headOnly(`/api/?${V1}`, { Origin: `${ALLOWED_ORIGIN}.evil.example` }), 403, 'Relay.OriginNotAllowed'],
  ['a path below /api/', headOnly(`/api/x?${V1}`, { Origin: ALLOWED_ORIGIN }), 400, 'Relay.BadRequest'],
  ['a disallowed Action in the query', headOnly('/api/?Action=DeleteEverything&Version=2017-05-25', { Origin: ALLOWED_ORIGIN }), 403, 'Relay.ActionNotAllowed'],
  ['a disallowed action, encoded', headOnly('/api/?%41ction=BindAxb&Version=2017-05-25', { Origin: ALLOWED_ORIGIN }), 403, 'Relay.ActionNotAllowed'],
  ['a disallowed Version in the query', headOnly('/api/?Action=BuySecretNo&Version=2014-05-26', { Origin: ALLOWED_ORIGIN }), 403, 'Relay.VersionNotAllowed'],
  ['a disallowed x-acs-action (V3)', headOnly('/api/', { Origin: ALLOWED_ORIGIN, 'x-acs-action': 'DeleteEverything', 'x-acs-version': '2017-05-25' }), 403, 'Relay.ActionNotAllowed'],
  ['a disallowed x-acs-version (V3)', headOnly('/api/', { Origin: ALLOWED_ORIGIN, 'x-acs-action': 'BuySecretNo', 'x-acs-version': '2014-05-26' }), 403, 'Relay.VersionNotAllowed'],
  ['a body that is not a form', headOnly(`/api/?${V1}`, { Origin: ALLOWED_ORIGIN, 'Content-Type': 'application/json' }), 400, 'Relay.BadRequest'],
];

test('a head refused on its own is answered at once (403/400), before a body that never comes', async () => {
  const before = upstream.received.length;
  const failures = [];
  for (const [name, text, status, code] of refusedHeads()) {
    const t0 = Date.now();
    const r = await rawRequest(relay.port, text, { timeoutMs: 3000 });
    const took = Date.now() - t0;
    const got = `${r.status} ${json(r.body)?.Code ?? (r.timedOut ? 'HUNG' : '')} in ${took} ms`;
    if (r.status !== status || json(r.body)?.Code !== code) failures.push(`${name}: expected ${status} ${code}, got ${got}`);
    else if (took >= PROMPT_MS) failures.push(`${name}: ${status} only after ${took} ms (waited for the body?)`);
  }
  assert.deepEqual(failures, []);
  assert.equal(upstream.received.length, before, 'nothing reached the upstream');
});

test('a refused head costs no rate-limit token', async () => {
  // Many refusals first: if each took a token, the bucket (BURST, refilled at 1/s) would be empty.
  for (let round = 0; round < 3; round++) {
    for (const [name, text, status] of refusedHeads()) {
      const r = await rawRequest(relay.port, text, { timeoutMs: 3000 });
      assert.equal(r.status, status, `${name}: ${r.status} ${r.body}`);
    }
  }
  // At once, so the 1/s refill has no time to add a token.
  const answers = await Promise.all(Array.from({ length: BURST + 1 }, () => rawRequest(relay.port,
    `GET /api/?${V1} HTTP/1.1\r\nHost: 127.0.0.1:${relay.port}\r\nConnection: close\r\n\r\n`)));
  const statuses = answers.map((a) => a.status).sort();
  // The whole burst is still there for real calls, and the limiter is on: the next one waits.
  assert.deepEqual(statuses, [...Array(BURST).fill(200), 429]);
});
