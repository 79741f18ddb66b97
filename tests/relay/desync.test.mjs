// Request smuggling and desync: whatever a client sends, the relay reads it as exactly the
// requests a strict HTTP/1.1 parser would, and never reads an unread body as the next request.
// Each case sends a request whose body (or trailing bytes) is itself a request for
// /relay/config: if that second answer ever appears, the body was parsed as a request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startRelay } from '../lib/servers.mjs';
import { startRecordingUpstream, rawRequest, json } from './helpers.mjs';

const ORIGIN = 'https://console.example';
const V1 = 'Action=QuerySecretNoRemain&Version=2017-05-25&SpecId=1';
const SMUGGLED = 'GET /relay/config HTTP/1.1\r\nHost: localhost\r\n\r\n';
let upstream;
let relay;
let page;
const WASM = Buffer.alloc(64 * 1024, 7);

before(async () => {
  page = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-desync-'));
  fs.writeFileSync(path.join(page, 'index.html'), '<!doctype html><title>dypls</title>');
  fs.writeFileSync(path.join(page, 'dypls.wasm'), WASM);
  upstream = await startRecordingUpstream();
  relay = await startRelay(upstream.url, ['--static', page, '--origins', ORIGIN, '--rate', '0']);
});

after(async () => {
  await relay?.stop();
  await upstream?.close();
  fs.rmSync(page, { recursive: true, force: true });
});

const answers = (raw) => [...raw.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
const send = (text) => rawRequest(relay.port, text, { keepOpen: true, timeoutMs: 3000 });

// A request with a body the relay answers without reading: one answer, then the connection closes.
const unreadBodies = [
  ['GET /healthz with a body', 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n', 200],
  ['HEAD /healthz with a body', 'HEAD /healthz HTTP/1.1\r\nHost: localhost\r\n', 200],
  ['OPTIONS preflight with a body', `OPTIONS /api/ HTTP/1.1\r\nHost: localhost\r\nOrigin: ${ORIGIN}\r\nAccess-Control-Request-Method: POST\r\n`, 204],
  ['refused PUT with a body', `PUT /api/?${V1} HTTP/1.1\r\nHost: localhost\r\n`, 400],
  ['refused POST (foreign origin) with a body', `POST /api/?${V1} HTTP/1.1\r\nHost: localhost\r\nOrigin: https://evil.example\r\nContent-Type: application/x-www-form-urlencoded\r\n`, 403],
  ['static file GET with a body', 'GET /dypls.wasm HTTP/1.1\r\nHost: localhost\r\n', 200],
  ['unknown path POST with a body', 'POST /nothing HTTP/1.1\r\nHost: localhost\r\n', 404],
];

for (const [name, head, status] of unreadBodies) {
  test(`unread body is never a request: ${name}`, async () => {
    const r = await send(`${head}Content-Length: ${SMUGGLED.length}\r\n\r\n${SMUGGLED}`);
    assert.deepEqual(answers(r.raw), [status], r.raw.slice(0, 300));
    assert.ok(!r.raw.includes('signHost'), 'the body was read as a request');
    assert.ok(r.closedByServer, 'the connection is closed after an unread body');
    assert.match(r.raw, /[Cc]onnection: close/);
  });
}

test('a chunked body on GET /healthz is not read as a request either', async () => {
  const chunk = SMUGGLED.length.toString(16);
  const r = await send(`GET /healthz HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n${chunk}\r\n${SMUGGLED}\r\n0\r\n\r\n`);
  assert.deepEqual(answers(r.raw), [200]);
  assert.ok(!r.raw.includes('signHost'));
  assert.ok(r.closedByServer);
});

// Heads two parsers might read differently: refused with 400 and closed, the rest unread.
const ambiguous = [
  ['bare LF line ends', `GET /healthz HTTP/1.1\nHost: localhost\n\n${SMUGGLED}`],
  ['a bare LF in one header line', `GET /healthz HTTP/1.1\r\nHost: localhost\nX: y\r\n\r\n${SMUGGLED}`],
  ['a header line without a colon', `GET /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length 44\r\n\r\n${SMUGGLED}`],
  ['whitespace before the colon', `GET /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length : ${SMUGGLED.length}\r\n\r\n${SMUGGLED}`],
  ['obs-fold continuation', `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX: a\r\n Content-Length: ${SMUGGLED.length}\r\n\r\n${SMUGGLED}`],
  ['Content-Length with Transfer-Encoding', `POST /api/?${V1} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`],
  ['two equal Content-Lengths', `POST /nothing HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc${SMUGGLED}`],
  ['two different Content-Lengths', `POST /nothing HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\nContent-Length: 44\r\n\r\nabc${SMUGGLED}`],
  ['a Content-Length list', `POST /nothing HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3, 3\r\n\r\nabc${SMUGGLED}`],
  ['a signed Content-Length', `POST /nothing HTTP/1.1\r\nHost: localhost\r\nContent-Length: +3\r\n\r\nabc${SMUGGLED}`],
  ['an unknown transfer coding', `POST /nothing HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: gzip\r\n\r\n${SMUGGLED}`],
  ['chunked not last', `POST /nothing HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n${SMUGGLED}`],
  ['two Transfer-Encodings', `POST /nothing HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`],
  ['a header name with a space', `GET /healthz HTTP/1.1\r\nHost: localhost\r\nBad Name: 1\r\n\r\n${SMUGGLED}`],
  ['a NUL in a header value', `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX: a\0b\r\n\r\n${SMUGGLED}`],
  ['HTTP/0.9-style request line', `GET /healthz\r\n\r\n${SMUGGLED}`],
  ['HTTP/2 version on HTTP/1 framing', `GET /healthz HTTP/2.0\r\nHost: localhost\r\n\r\n${SMUGGLED}`],
];

for (const [name, text] of ambiguous) {
  test(`ambiguous head is refused and closed: ${name}`, async () => {
    const started = Date.now();
    const r = await send(text);
    assert.deepEqual(answers(r.raw), [400], r.raw.slice(0, 300));
    assert.equal(json(r.body)?.Code, 'Relay.BadRequest');
    assert.ok(!r.raw.includes('signHost'), 'bytes after a refused head were read as a request');
    assert.ok(r.closedByServer);
    assert.ok(Date.now() - started < 1500, 'refused at once, not after a timeout');
  });
}

test('pipelined requests: answered in order; a refused one ends the connection', async () => {
  const r = await send(`GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\nGET /relay/config HTTP/1.1\r\nHost: localhost\r\n\r\nGET /healthz HTTP/1.1\r\nHost x\r\n\r\n${SMUGGLED}`);
  assert.deepEqual(answers(r.raw), [200, 200, 400]);
  assert.equal((r.raw.match(/signHost/g) ?? []).length, 1, 'only the pipelined /relay/config');
  assert.ok(r.raw.indexOf('{"status":"ok"}') < r.raw.indexOf('signHost'));
  assert.ok(r.closedByServer);
});

test('pipelined API calls with bodies: each body read exactly, answers in order', async () => {
  const post = (body) => `POST /api/?Action=QuerySecretNoRemain&Version=2017-05-25 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  const before = upstream.received.length;
  const r = await send(`${post('SpecId=1')}${post('SpecId=22')}GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
  assert.deepEqual(answers(r.raw), [200, 200, 200]);
  const seen = upstream.received.slice(before);
  assert.deepEqual(seen.map((s) => [s.method, s.body]), [['POST', 'SpecId=1'], ['POST', 'SpecId=22']]);
});

test('a refused head whose announced body never comes is answered in milliseconds', async () => {
  const started = Date.now();
  const r = await rawRequest(relay.port, `POST /api/?${V1} HTTP/1.1\r\nHost: localhost\r\nOrigin: https://evil.example\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 4000\r\n\r\n`, { timeoutMs: 3000 });
  const took = Date.now() - started;
  assert.equal(r.status, 403);
  assert.equal(json(r.body)?.Code, 'Relay.OriginNotAllowed');
  assert.equal(r.headers.connection, 'close');
  assert.ok(took < 200, `answered after ${took} ms`);
});

test('Range: multiple ranges never multiply the answer; one range is bounded by the file', async () => {
  const many = Array.from({ length: 2700 }, () => '0-').join(',');
  const multi = await rawRequest(relay.port, `GET /dypls.wasm HTTP/1.1\r\nHost: localhost\r\nRange: bytes=${many}\r\nConnection: close\r\n\r\n`, { timeoutMs: 5000 });
  assert.equal(multi.status, 200);
  assert.equal(Number(multi.headers['content-length']), WASM.length);
  assert.ok(!/multipart/i.test(multi.headers['content-type'] ?? ''));
  const one = await rawRequest(relay.port, `GET /dypls.wasm HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-9\r\nConnection: close\r\n\r\n`);
  assert.equal(one.status, 206);
  assert.equal(Number(one.headers['content-length']), 10);
  assert.equal(one.headers['content-range'], `bytes 0-9/${WASM.length}`);
  const past = await rawRequest(relay.port, `GET /dypls.wasm HTTP/1.1\r\nHost: localhost\r\nRange: bytes=0-99999999\r\nConnection: close\r\n\r\n`);
  assert.ok([200, 206].includes(past.status));
  assert.ok(Number(past.headers['content-length']) <= WASM.length);
  const status = fs.readFileSync(`/proc/${relay.child.pid}/status`, 'utf8');
  const rssKb = Number(/VmHWM:\s*(\d+) kB/.exec(status)[1]);
  console.log(`relay peak RSS after the range requests: ${rssKb} kB`);
  assert.ok(rssKb < 64 * 1024, `peak RSS ${rssKb} kB`);
});

test('HEAD on a file announces its length and sends no body', async () => {
  const r = await send('HEAD /dypls.wasm HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  assert.deepEqual(answers(r.raw), [200]);
  assert.match(r.raw, new RegExp(`[Cc]ontent-[Ll]ength: ${WASM.length}\r\n`));
  assert.ok(r.raw.endsWith('\r\n\r\n'), 'no body after the head');
});

test('static files: only GET and HEAD', async () => {
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    const r = await rawRequest(relay.port, `${method} /dypls.wasm HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    assert.equal(r.status, 404, method);
  }
});
