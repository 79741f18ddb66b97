// Slow and idle clients cost a socket and a small buffer, never a thread: while hundreds trickle
// a request a byte a second and thousands sit idle, /healthz still answers in milliseconds, the
// memory stays bounded, and every slow head is cut at the head deadline (whole head, not per
// byte). Loopback only: the floods come from other 127.x addresses so that the per-address cap
// does not shed the probe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { startRelay } from '../lib/servers.mjs';
import { startRecordingUpstream, rawRequest, json, sleep, logLines } from './helpers.mjs';

const HEAD_DEADLINE_MS = 3000;
let upstream;
let relay;
const figures = [];

before(async () => {
  upstream = await startRecordingUpstream();
  // The head deadline is its own (--head-timeout-ms), shorter than the body's --client-timeout-ms.
  relay = await startRelay(upstream.url, ['--rate', '0', '--head-timeout-ms', String(HEAD_DEADLINE_MS),
    '--keep-alive-ms', '2000', '--trusted-proxy', '127.0.3.1']);
});

after(async () => {
  console.log('\nslow and idle clients:');
  for (const f of figures) console.log(`  ${f}`);
  await relay?.stop();
  await upstream?.close();
});

function rssKb() {
  const status = fs.readFileSync(`/proc/${relay.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s*(\d+) kB/.exec(status)[1]);
}

function connectFrom(localAddress) {
  return new Promise((resolve) => {
    const s = net.connect({ port: relay.port, host: '127.0.0.1', localAddress });
    s.on('error', () => {});
    s.once('connect', () => resolve(s));
    s.once('error', () => resolve(s));
  });
}

// Sequential /healthz probes on one kept-alive connection; resolves to the latencies in ms.
async function probeHealth(count, gapMs) {
  const socket = await connectFrom('127.0.0.1');
  const latencies = [];
  let buffered = '';
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    const answered = new Promise((resolve) => {
      const onData = (d) => {
        buffered += d.toString('latin1');
        if (buffered.includes('{"status":"ok"}')) {
          buffered = '';
          socket.off('data', onData);
          resolve(true);
        }
      };
      socket.on('data', onData);
      setTimeout(() => resolve(false), 2000);
    });
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    assert.ok(await answered, `probe ${i} unanswered`);
    latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    await sleep(gapMs);
  }
  socket.destroy();
  return latencies;
}

// Most probes prompt: robust to a loaded machine's occasional stall, not to a server that makes
// every probe wait behind the slow clients.
function assertPrompt(latencies) {
  assert.ok(percentile(latencies, 0.5) < 50, `healthz p50 ${percentile(latencies, 0.5)} ms`);
  assert.ok(percentile(latencies, 0.9) < 500, `healthz p90 ${percentile(latencies, 0.9)} ms`);
}

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

test('200 clients trickling a byte a second: /healthz answers in milliseconds; each is cut at the head deadline', async () => {
  const slow = [];
  const started = Date.now();
  for (let i = 0; i < 200; i++) {
    const s = await connectFrom(`127.0.0.${2 + (i % 4)}`);
    const entry = { s, closedAt: 0, openedAt: Date.now() - started };
    s.on('close', () => { entry.closedAt = Date.now() - started; });
    s.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Pad: ');
    entry.timer = setInterval(() => { if (!s.destroyed) s.write('a'); }, 1000);
    slow.push(entry);
  }
  const latencies = await probeHealth(40, 25);
  const p99 = percentile(latencies, 0.99);
  figures.push(`200 trickling clients: /healthz p50 ${percentile(latencies, 0.5).toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${Math.max(...latencies).toFixed(2)} ms; relay RSS ${rssKb()} kB`);
  // The goal is p99 <= 50 ms (printed above); the bounds asserted leave room for a loaded CI
  // machine while still failing a server that makes probes wait behind slow clients (seconds).
  assertPrompt(latencies);
  const lastOpened = Math.max(...slow.map((e) => e.openedAt));
  await sleep(lastOpened + HEAD_DEADLINE_MS + 1500 - (Date.now() - started));
  for (const e of slow) clearInterval(e.timer);
  const open = slow.filter((e) => e.closedAt === 0).length;
  const latest = Math.max(...slow.map((e) => e.closedAt - e.openedAt));
  for (const e of slow) e.s.destroy();
  figures.push(`the 200 slow heads closed by the relay at most ${latest} ms after they began (deadline ${HEAD_DEADLINE_MS} ms)`);
  assert.equal(open, 0, `${open} slow connections still open past the head deadline`);
});

test('2,000 idle connections: still answering, memory bounded, all closed after the deadline', async () => {
  const before = rssKb();
  const idle = [];
  for (let i = 0; i < 2000; i++) idle.push(connectFrom(`127.0.1.${1 + (i % 8)}`));
  const sockets = await Promise.all(idle);
  await sleep(300);
  const during = rssKb();
  const latencies = await probeHealth(20, 10);
  const api = await rawRequest(relay.port, `GET /api/?Action=QuerySecretNoRemain&Version=2017-05-25 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
  figures.push(`2000 idle connections: RSS ${before} kB before, ${during} kB with them (${((during - before) / 2000 * 1024).toFixed(0)} B each); /healthz p99 ${percentile(latencies, 0.99).toFixed(2)} ms`);
  assert.equal(api.status, 200);
  assert.ok(during - before < 16 * 1024, `RSS grew by ${during - before} kB`);
  assertPrompt(latencies);
  await sleep(HEAD_DEADLINE_MS + 1000);
  const stillOpen = sockets.filter((s) => !s.destroyed && !s.readableEnded).length;
  for (const s of sockets) s.destroy();
  assert.equal(stillOpen, 0, `${stillOpen} idle connections outlived the deadline`);
});

test('one address over its connection cap is answered Relay.Busy; other addresses are served', async () => {
  // Past the per-address cap (a fraction of the process's descriptors), new connections from that
  // address get Relay.Busy at once instead of queueing.
  const hog = [];
  for (let i = 0; i < 1200; i++) hog.push(connectFrom('127.0.2.1'));
  const sockets = await Promise.all(hog);
  await sleep(200);
  const t0 = Date.now();
  const same = await new Promise((resolve) => {
    const s = net.connect({ port: relay.port, host: '127.0.0.1', localAddress: '127.0.2.1' });
    let raw = '';
    s.on('data', (d) => { raw += d; });
    s.on('close', () => resolve(raw));
    s.on('error', () => resolve(raw));
    s.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
  });
  const tookSame = Date.now() - t0;
  const other = await rawRequest(relay.port, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
  for (const s of sockets) s.destroy();
  figures.push(`1200 connections from one address: its next request answered ${/HTTP\/1\.1 (\d+)/.exec(same)?.[1]} in ${tookSame} ms; another address: ${other.status}`);
  assert.match(same, /^HTTP\/1\.1 503 /);
  assert.equal(json(same.slice(same.indexOf('\r\n\r\n') + 4))?.Code, 'Relay.Busy');
  assert.match(same, /Retry-After: 1/i);
  assert.ok(tookSame < 1000);
  assert.equal(other.status, 200);
});

test('a --trusted-proxy is not held to the per-address cap (it carries many clients)', async () => {
  const proxied = [];
  for (let i = 0; i < 1200; i++) proxied.push(connectFrom('127.0.3.1'));
  const sockets = await Promise.all(proxied);
  await sleep(200);
  const answer = await new Promise((resolve) => {
    const s = net.connect({ port: relay.port, host: '127.0.0.1', localAddress: '127.0.3.1' });
    let raw = '';
    s.on('data', (d) => { raw += d; });
    s.on('close', () => resolve(raw));
    s.on('error', () => resolve(raw));
    s.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n');
  });
  for (const s of sockets) s.destroy();
  figures.push(`1200 connections from a trusted proxy: its next request answered ${/HTTP\/1\.1 (\d+)/.exec(answer)?.[1]}`);
  assert.match(answer, /^HTTP\/1\.1 200 /);
  const lines = await logLines(relay, (l) => l.some((line) => line.client === '203.0.113.9'));
  assert.ok(lines.some((line) => line.client === '203.0.113.9'), 'the forwarded client is logged');
});

test('by default a request head must arrive whole within 5 s, however it is paced', async () => {
  const defaults = await startRelay(upstream.url, ['--rate', '0']);
  try {
    const started = Date.now();
    const s = net.connect({ port: defaults.port, host: '127.0.0.1' });
    s.on('error', () => {});
    const closed = new Promise((resolve) => s.on('close', () => resolve(Date.now() - started)));
    s.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Pad: ');
    const timer = setInterval(() => { if (!s.destroyed) s.write('a'); }, 200);  // never idle 1 s
    const after = await Promise.race([closed, sleep(9000).then(() => -1)]);
    clearInterval(timer);
    s.destroy();
    figures.push(`default head deadline: a head trickled a byte every 200 ms was closed after ${after} ms`);
    assert.ok(after >= 4500 && after < 7000, `closed after ${after} ms (expected about 5000; -1: still open)`);
  } finally {
    await defaults.stop();
  }
});
