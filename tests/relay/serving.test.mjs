// The relay as a web server: the page's files, /healthz, /relay/config, CORS preflight, the
// rate limit, the Date header, configuration through the environment, and a draining SIGTERM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startRelay, startServer } from '../lib/servers.mjs';
import { startRecordingUpstream, rawRequest, json, sleep } from './helpers.mjs';

const ORIGIN = 'https://console.example';
const V1 = 'Action=QuerySecretNoRemain&Version=2017-05-25&SpecId=1&City=%E6%9D%AD%E5%B7%9E';
let upstream;
let relay;
let page;
const GLUE = 'document.title = "dypls";\n'.repeat(40);

before(async () => {
  page = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-page-'));
  fs.writeFileSync(path.join(page, 'index.html'), '<!doctype html><title>dypls</title>');
  const wasm = Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  fs.writeFileSync(path.join(page, 'dypls.wasm'), wasm);
  fs.writeFileSync(path.join(page, 'dypls.wasm.br'), zlib.brotliCompressSync(wasm));
  fs.writeFileSync(path.join(page, 'dypls.wasm.gz'), zlib.gzipSync(wasm));
  fs.writeFileSync(path.join(page, 'dypls.3f9a1c2e.js'), 'console.log(1)');
  fs.writeFileSync(path.join(page, 'glue.js'), GLUE);
  fs.writeFileSync(path.join(page, 'glue.js.gz'), zlib.gzipSync(GLUE));
  fs.writeFileSync(path.join(page, '.secret'), 'nope');
  fs.writeFileSync(path.join(os.tmpdir(), 'relay-outside.txt'), 'outside');
  upstream = await startRecordingUpstream();
  relay = await startRelay(upstream.url, ['--static', page, '--origins', ORIGIN,
    '--connect-src', 'https://relay.example', '--rate', '1', '--burst', '3']);
});

after(async () => {
  await relay?.stop();
  await upstream?.close();
  fs.rmSync(page, { recursive: true, force: true });
});

test('serves the page with the right types, encodings, cache headers and CSP', async () => {
  const index = await fetch(`${relay.url}/`);
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  const csp = index.headers.get('content-security-policy');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.match(csp, /connect-src 'self' https:\/\/relay\.example/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.match(csp, /object-src 'none'/);
  assert.match(csp, /base-uri 'none'/);
  assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
  assert.ok(index.headers.get('date'));

  const br = await rawRequest(relay.port, `GET /dypls.wasm HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip, br\r\nConnection: close\r\n\r\n`);
  assert.equal(br.status, 200);
  assert.equal(br.headers['content-type'], 'application/wasm');
  assert.equal(br.headers['content-encoding'], 'br');
  assert.match(br.headers.vary, /Accept-Encoding/);
  // The size once decoded, for the page's download progress (Content-Length is the br size).
  assert.equal(br.headers['x-decoded-length'], '8');
  assert.equal(Number(br.headers['content-length']), fs.readFileSync(path.join(page, 'dypls.wasm.br')).length);
  const gz = await rawRequest(relay.port, `GET /dypls.wasm HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n`);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  const plain = await rawRequest(relay.port, `GET /dypls.wasm HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(Number(plain.headers['content-length']), 8);
  assert.equal(plain.headers['x-decoded-length'], undefined);  // Content-Length says it
  // fetch decodes: the bytes are the module either way.
  const viaFetch = Buffer.from(await (await fetch(`${relay.url}/dypls.wasm`)).arrayBuffer());
  assert.deepEqual([...viaFetch.subarray(0, 4)], [0, 0x61, 0x73, 0x6d]);

  const hashed = await fetch(`${relay.url}/dypls.3f9a1c2e.js`);
  assert.equal(hashed.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(hashed.headers.get('content-type'), 'text/javascript; charset=utf-8');
});

test('a precompressed text file goes out compressed once, even to a client that takes br', async () => {
  // A precompressed copy goes out as it is: a .gz must not be compressed again on the way.
  const r = await rawRequest(relay.port, `GET /glue.js HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: gzip, deflate, br\r\nConnection: close\r\n\r\n`);
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-encoding'], 'gzip');
  assert.equal(r.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(Number(r.headers['x-decoded-length']), Buffer.byteLength(GLUE));
  const sent = fs.readFileSync(path.join(page, 'glue.js.gz'));
  assert.equal(Number(r.headers['content-length']), sent.length);
});

test('never serves outside the folder or hidden files', async () => {
  for (const target of ['/../relay-outside.txt', '/%2e%2e/relay-outside.txt', '/.secret', '/%2esecret',
    '/missing.js', '/..%2frelay-outside.txt']) {
    const r = await rawRequest(relay.port, `GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
    assert.equal(r.status, 404, target);
    assert.equal(json(r.body)?.Code, 'Relay.NotFound', target);
    assert.ok(!r.body.includes('outside') && !r.body.includes('nope'), target);
  }
});

test('/healthz and /relay/config', async () => {
  assert.deepEqual(await (await fetch(`${relay.url}/healthz`)).json(), { status: 'ok' });
  const config = await (await fetch(`${relay.url}/relay/config`)).json();
  assert.equal(config.sandbox, false);
  assert.equal(config.signHost, upstream.host);
  assert.equal(config.version, '2017-05-25');
  assert.deepEqual(config.actions, ['QuerySecretNoRemain', 'BuySecretNo', 'ReleaseSecretNo',
    'QuerySecretNoDetail', 'LockSecretNo', 'UnlockSecretNo']);
});

test('preflight is answered by the relay and never forwarded', async () => {
  const before = upstream.received.length;
  const res = await fetch(`${relay.url}/api/`, {
    method: 'OPTIONS',
    headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization,content-type,x-acs-action,x-acs-version,x-acs-date,x-acs-signature-nonce,x-acs-content-sha256,x-acs-security-token,x-acs-accesskey-id' },
  });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
  assert.equal(res.headers.get('access-control-allow-credentials'), null);
  assert.match(res.headers.get('access-control-allow-headers'), /x-acs-security-token/);
  const refused = await fetch(`${relay.url}/api/`, {
    method: 'OPTIONS',
    headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'cookie2,x-forwarded-host' },
  });
  assert.equal(refused.status, 400);
  assert.equal(refused.headers.get('access-control-allow-origin'), null);
  assert.equal(upstream.received.length, before);
});

test('per-client rate limit: 429 with Retry-After, readable by the page', async () => {
  await sleep(3100);  // a full bucket
  const statuses = [];
  let limited;
  for (let i = 0; i < 5; i++) {
    const res = await fetch(`${relay.url}/api/?${V1}`, { headers: { Origin: ORIGIN } });
    statuses.push(res.status);
    if (res.status === 429) limited = { res, body: await res.json() };
    else await res.text();
  }
  assert.deepEqual(statuses.slice(0, 3), [200, 200, 200]);
  assert.ok(limited, `statuses ${statuses}`);
  assert.equal(limited.body.Code, 'Relay.RateLimited');
  assert.ok(Number(limited.res.headers.get('retry-after')) >= 1);
  assert.equal(limited.res.headers.get('access-control-allow-origin'), ORIGIN);
  assert.match(limited.res.headers.get('access-control-expose-headers'), /Retry-After/);
  // Static files and health are not rate limited.
  assert.equal((await fetch(`${relay.url}/healthz`)).status, 200);
});

test('the log is one JSON line per request, without secrets', async () => {
  const token = 'CAIS' + 'x'.repeat(300);
  const signature = 'SIGNATURE-VALUE-abcdef';
  await sleep(1100);
  const res = await fetch(`${relay.url}/api/?${V1}&AccessKeyId=STS.NUgYrLnoCabcdefghijkl9Q2&SecurityToken=${token}&Signature=${signature}`, { headers: { Origin: ORIGIN } });
  assert.equal(res.status, 200, await res.text());
  // The line is written just after the answer: wait for it.
  for (let i = 0; i < 50 && !relay.stderrText().includes('"keyId"'); i++) await sleep(20);
  const log = relay.stderrText();
  assert.ok(!log.includes(token.slice(0, 40)), 'no token');
  assert.ok(!log.includes(signature), 'no signature');
  assert.ok(!log.includes('abcdefghijkl'), 'no full key id');
  const lines = log.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const last = lines.filter((l) => l.action === 'QuerySecretNoRemain').at(-1);
  assert.equal(last.keyId, 'STS.NUgY...Q2');
  assert.equal(last.path, '/api/');
  for (const field of ['time', 'client', 'status', 'latencyMs']) assert.ok(field in last, field);
  assert.equal(typeof last.requestId, 'string');
});

test('configuration through the environment; bad configuration is explained', async () => {
  const viaEnv = await startServer('dypls-relay', [], {
    env: { DYPLS_RELAY_LISTEN: '127.0.0.1:0', DYPLS_RELAY_UPSTREAM: upstream.url, DYPLS_RELAY_SANDBOX: '1' },
  });
  try {
    const config = await (await fetch(`${viaEnv.url}/relay/config`)).json();
    assert.equal(config.sandbox, true);
    assert.equal(config.signHost, upstream.host);
  } finally {
    await viaEnv.stop();
  }
  await assert.rejects(startServer('dypls-relay', ['--upstream', 'http://a/b']), /no path, query/);
  await assert.rejects(startServer('dypls-relay', ['--origins', '*']), /not an origin/);
});

test('SIGTERM finishes the requests in flight and those queued, then exits', async () => {
  const own = await startRelay(upstream.url, ['--rate', '0', '--workers', '1', '--queue', '4']);
  upstream.setBehaviour({ delayMs: 400 });
  try {
    // One in a worker, two waiting in the queue when the signal comes.
    const inflight = [0, 1, 2].map(() => fetch(`${own.url}/api/?${V1}`)
      .then(async (r) => ({ status: r.status, body: await r.text() })));
    await sleep(150);
    const exited = own.stop(5000);
    for (const answer of await Promise.all(inflight)) assert.equal(answer.status, 200, answer.body);
    assert.equal(await exited, 0);
    assert.match(own.stderrText(), /finishing requests in flight/);
  } finally {
    upstream.setBehaviour('ok');
  }
});

test('pipelined requests on one connection are all answered, in order', async () => {
  const r = await rawRequest(relay.port,
    'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\nGET /relay/config HTTP/1.1\r\nHost: localhost\r\n\r\nGET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
    { keepOpen: true, timeoutMs: 3000 });
  const statuses = [...r.raw.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
  assert.deepEqual(statuses, [200, 200, 200]);
  assert.ok(r.raw.indexOf('"signHost"') > r.raw.indexOf('{"status":"ok"}'));
  assert.ok(r.closedByServer);
});
