// A hostile or broken upstream: the relay's answer caps (status line, header count and bytes),
// its total deadline, and its connection reuse hold. The fake upstream speaks raw TCP so it can
// break HTTP in ways a real server library would not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { startRelay } from '../lib/servers.mjs';
import { json, sleep } from './helpers.mjs';

const V1 = 'Action=QuerySecretNoRemain&Version=2017-05-25&SpecId=1';
const ORIGIN = 'https://console.example';

/** A raw upstream: reads each request head (and its Content-Length body), then `mode` answers. */
async function startRawUpstream() {
  let mode = 'ok';
  let closeAfterMs = 20;
  let connections = 0;
  let requests = 0;
  const sockets = new Set();
  const ok = (id) => {
    const body = JSON.stringify({ RequestId: id, Code: 'OK' });
    return `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  };
  const answer = async (socket) => {
    const id = `UP-${++requests}`;
    switch (mode) {
      case 'ok':
        socket.write(ok(id));
        return;
      case 'status32k':
        socket.write(`HTTP/1.1 200 ${'A'.repeat(32000)}\r\nContent-Length: 2\r\n\r\n{}`);
        return;
      case 'headers120k': {
        const line = 'X-A: b\r\n'.repeat(1000);
        socket.write('HTTP/1.1 200 OK\r\n');
        for (let i = 0; i < 120 && !socket.destroyed; i++) socket.write(line);
        socket.write('Content-Length: 2\r\n\r\n{}');
        return;
      }
      case 'line24m': {
        socket.write('HTTP/1.1 200 OK\r\nX-Big: ');
        const chunk = 'a'.repeat(1 << 20);
        for (let i = 0; i < 24 && !socket.destroyed; i++) {
          if (!socket.write(chunk)) await new Promise((r) => { socket.once('drain', r); socket.once('close', r); });
        }
        if (!socket.destroyed) socket.write('\r\nContent-Length: 2\r\n\r\n{}');
        return;
      }
      case 'trickle': {
        socket.write('HTTP/1.1 200 OK\r\n');
        const timer = setInterval(() => { if (socket.destroyed) clearInterval(timer); else socket.write('X-Slow: 1\r\n'); }, 500);
        socket.on('close', () => clearInterval(timer));
        return;
      }
      case 'extra':  // a whole second answer glued to the first
        socket.write(ok(id) + ok('INJECTED'));
        return;
      case 'extra-late':  // the same, a moment after the answer
        socket.write(ok(id));
        setTimeout(() => { if (!socket.destroyed) socket.write(ok('INJECTED-LATE')); }, 50);
        return;
      case 'close-idle':  // kept-alive, then closed (FIN) a moment later, as a keep-alive timeout does
        socket.write(ok(id));
        setTimeout(() => {
          if (socket.destroyed) return;
          socket.closedByUpstream = true;
          socket.end();
        }, closeAfterMs);
        return;
      case 'reset-idle':  // the same, closed with a reset
        socket.write(ok(id));
        setTimeout(() => { if (!socket.destroyed) socket.resetAndDestroy(); }, closeAfterMs);
        return;
      default:
        socket.destroy();
    }
  };
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffered = Buffer.alloc(0);
    socket.on('data', (d) => {
      buffered = Buffer.concat([buffered, d]);
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffered.subarray(0, end).toString('latin1');
        const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        buffered = buffered.subarray(end + 4 + length);
        answer(socket);
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    setMode(next) { mode = next; },
    setCloseAfter(ms) { closeAfterMs = ms; },
    connections: () => connections,
    // Connections the upstream closed on its side that the relay still holds open (half-closed).
    halfClosed: () => [...sockets].filter((s) => s.closedByUpstream).length,
    requests: () => requests,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

let upstream;
let relay;

before(async () => {
  upstream = await startRawUpstream();
  relay = await startRelay(upstream.url, ['--origins', ORIGIN, '--rate', '0',
    '--read-timeout-ms', '2500', '--total-timeout-ms', '3000']);
});

after(async () => {
  await relay?.stop();
  await upstream?.close();
});

async function call(query = V1) {
  const started = Date.now();
  const res = await fetch(`${relay.url}/api/?${query}`, { headers: { Origin: ORIGIN } });
  const body = json(await res.text());
  return { status: res.status, body, took: Date.now() - started, cors: res.headers.get('access-control-allow-origin') };
}

async function assertHealthy() {
  upstream.setMode('ok');
  const res = await fetch(`${relay.url}/healthz`);
  assert.equal(res.status, 200);
  const again = await call();
  assert.equal(again.status, 200);
  assert.equal(again.body.Code, 'OK');
}

function peakRssKb() {
  const status = fs.readFileSync(`/proc/${relay.child.pid}/status`, 'utf8');
  return Number(/VmHWM:\s*(\d+) kB/.exec(status)[1]);
}

const capped = [
  ['a 32,000-byte status line', 'status32k'],
  ['120,000 header lines', 'headers120k'],
  ['one 24 MiB header line', 'line24m'],
];

for (const [name, mode] of capped) {
  test(`${name}: Relay.UpstreamBadAnswer at once, memory bounded, the relay healthy`, async () => {
    upstream.setMode(mode);
    const r = await call();
    assert.equal(r.status, 502, JSON.stringify(r.body));
    assert.equal(r.body.Code, 'Relay.UpstreamBadAnswer');
    assert.match(r.body.Message, /outcome is unknown|larger than the relay passes on/);
    assert.equal(r.cors, ORIGIN);
    assert.ok(r.took < 2000, `answered after ${r.took} ms`);
    assert.ok(peakRssKb() < 48 * 1024, `peak RSS ${peakRssKb()} kB`);
    await assertHealthy();
  });
}

test('headers trickled every 0.5 s: cut at the deadline, not held', async () => {
  upstream.setMode('trickle');
  const r = await call();
  assert.equal(r.status, 504, JSON.stringify(r.body));
  assert.equal(r.body.Code, 'Relay.UpstreamTimeout');
  assert.ok(r.took >= 2400 && r.took < 3600, `answered after ${r.took} ms (deadline 3000)`);
  await assertHealthy();
});

for (const mode of ['extra', 'extra-late']) {
  test(`bytes after an answer on a kept-alive connection never reach the next client (${mode})`, async () => {
    upstream.setMode('ok');
    await call();  // a kept-alive connection in the pool
    upstream.setMode(mode);
    const first = await call();
    assert.equal(first.status, 200);
    assert.match(first.body.RequestId, /^UP-/);
    await sleep(150);
    upstream.setMode('ok');
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push((await call()).body.RequestId);
    assert.ok(seen.every((id) => /^UP-\d+$/.test(id)), `later clients got ${seen.join(', ')}`);
  });
}

test('a kept-alive connection is reused when its answer was clean', async () => {
  upstream.setMode('ok');
  await call();
  const before = upstream.connections();
  for (let i = 0; i < 5; i++) assert.equal((await call()).status, 200);
  assert.equal(upstream.connections(), before, 'sequential calls share one upstream connection');
});

// A kept-alive upstream connection the upstream closes just before it is reused (its keep-alive
// timeout) must not turn a read into a spurious "outcome unknown": the relay sees the close
// before sending, or its write fails before a byte left, or (a read-only action) the connection
// ends before any byte of an answer, and the call goes once more on a new connection. The gaps
// straddle the close so that some reuses race it.
for (const mode of ['close-idle', 'reset-idle']) {
  test(`an idle upstream connection closed just before reuse is replaced, not reported lost (${mode})`, async () => {
    upstream.setMode(mode);
    upstream.setCloseAfter(15);
    const failures = [];
    for (let i = 0; i < 40; i++) {
      const r = await call();
      if (r.status !== 200) failures.push(`${r.status} ${r.body.Code}`);
      await sleep(5 + (i % 8) * 4);  // 5..33 ms after the answer: before, at and after the close
    }
    const connectionsBefore = upstream.connections();
    assert.deepEqual(failures, [], `calls failed: ${failures.join('; ')}`);
    assert.ok(connectionsBefore > 1, 'the upstream closed connections, so new ones were made');
    upstream.setCloseAfter(20);
    await assertHealthy();
  });
}

// An idle connection is watched while it waits for reuse: the upstream's close reaches the relay
// at once and the connection is let go, instead of lingering half-closed until the next call.
test('an idle upstream connection the upstream closes is let go at once, not held until reuse', async () => {
  upstream.setMode('close-idle');
  upstream.setCloseAfter(20);
  await call();
  await sleep(60);  // the upstream closes its side 20 ms after the answer
  for (let i = 0; i < 50 && upstream.halfClosed() > 0; i++) await sleep(20);
  assert.equal(upstream.halfClosed(), 0, 'the relay still holds a connection the upstream closed');
  await assertHealthy();
});

test('a call that changes something is never sent twice: a connection lost under it is reported, not retried', async () => {
  upstream.setMode('close-idle');
  upstream.setCloseAfter(15);
  const requestsBefore = upstream.requests();
  const codes = new Set();
  const calls = 40;
  for (let i = 0; i < calls; i++) {
    const r = await call('Action=LockSecretNo&Version=2017-05-25&PoolKey=FC1&SecretNo=17000000000');
    codes.add(r.status === 200 ? 'OK' : r.body.Code);
    await sleep(5 + (i % 8) * 4);
  }
  upstream.setCloseAfter(20);
  const reached = upstream.requests() - requestsBefore;
  assert.ok(reached <= calls, `the upstream saw ${reached} requests for ${calls} calls: one was sent twice`);
  for (const code of codes) assert.ok(['OK', 'Relay.UpstreamConnectionLost'].includes(code), `unexpected ${code}`);
  await assertHealthy();
});
