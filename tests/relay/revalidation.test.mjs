// A second visit transfers only what changed: every page file carries an ETag of the bytes sent,
// a request naming it in If-None-Match gets 304 without a body, and a changed file gets 200.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { startRelay } from '../lib/servers.mjs';
import { startRecordingUpstream, rawRequest } from './helpers.mjs';

let upstream;
let relay;
let page;
const WASM = Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);

before(async () => {
  page = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-etag-'));
  fs.writeFileSync(path.join(page, 'index.html'), '<!doctype html><title>dypls</title>');
  fs.writeFileSync(path.join(page, 'dypls.wasm'), WASM);
  fs.writeFileSync(path.join(page, 'dypls.wasm.br'), zlib.brotliCompressSync(WASM));
  upstream = await startRecordingUpstream();
  relay = await startRelay(upstream.url, ['--static', page]);
});

after(async () => {
  await relay?.stop();
  await upstream?.close();
  fs.rmSync(page, { recursive: true, force: true });
});

const get = (target, headers = '') => rawRequest(relay.port,
  `GET ${target} HTTP/1.1\r\nHost: localhost\r\n${headers}Connection: close\r\n\r\n`);

test('each file and each encoding of it has its own ETag', async () => {
  const index = await get('/');
  const plain = await get('/dypls.wasm');
  const br = await get('/dypls.wasm', 'Accept-Encoding: br\r\n');
  for (const r of [index, plain, br]) {
    assert.equal(r.status, 200);
    assert.match(r.headers.etag, /^"[0-9a-f]{32}"$/);
  }
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(new Set([index.headers.etag, plain.headers.etag, br.headers.etag]).size, 3);
  assert.equal((await get('/dypls.wasm')).headers.etag, plain.headers.etag, 'stable across requests');
});

test('a matching If-None-Match gets 304 without a body; another tag gets the file', async () => {
  const first = await get('/dypls.wasm', 'Accept-Encoding: br\r\n');
  const again = await get('/dypls.wasm', `Accept-Encoding: br\r\nIf-None-Match: ${first.headers.etag}\r\n`);
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers.etag, first.headers.etag);
  assert.equal(again.headers['cache-control'], 'no-cache');
  // The plain copy's tag does not validate the brotli one.
  const plainTag = (await get('/dypls.wasm')).headers.etag;
  const other = await get('/dypls.wasm', `Accept-Encoding: br\r\nIf-None-Match: ${plainTag}\r\n`);
  assert.equal(other.status, 200);
  assert.equal(other.headers['content-encoding'], 'br');
});

test('a changed file is sent again', async () => {
  const before = await get('/');
  fs.writeFileSync(path.join(page, 'index.html'), '<!doctype html><title>dypls 2</title>');
  const after = await get('/', `If-None-Match: ${before.headers.etag}\r\n`);
  assert.equal(after.status, 200);
  assert.match(after.body, /dypls 2/);
  assert.notEqual(after.headers.etag, before.headers.etag);
});
