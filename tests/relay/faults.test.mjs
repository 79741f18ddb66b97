// Upstream faults: each gives the page a clear, distinct answer with CORS, and the relay stays
// healthy afterwards.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startRelay } from '../lib/servers.mjs';
import { startRecordingUpstream, json } from './helpers.mjs';

const ORIGIN = 'https://console.example';
const V1 = 'Action=BuySecretNo&Version=2017-05-25&PoolKey=FC1&SpecId=1&City=%E6%9D%AD%E5%B7%9E';
let upstream;
let relay;

before(async () => {
  upstream = await startRecordingUpstream();
  relay = await startRelay(upstream.url, ['--origins', ORIGIN, '--read-timeout-ms', '700',
    '--total-timeout-ms', '1500', '--connect-timeout-ms', '500', '--rate', '0']);
});
after(async () => {
  await relay?.stop();
  await upstream?.close();
});

async function call(base) {
  const res = await fetch(`${base}/api/?${V1}`, { method: 'POST', headers: { Origin: ORIGIN } });
  const body = json(await res.text());
  return { res, body };
}

async function assertHealthy(base) {
  const res = await fetch(`${base}/healthz`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { status: 'ok' });
}

test('a 5xx from the upstream is passed through, with CORS', async () => {
  upstream.setBehaviour({ status: 503, headers: { 'x-acs-retry-after': '2' } });
  const { res, body } = await call(relay.url);
  assert.equal(res.status, 503);
  assert.equal(body.Code, 'InternalError');
  assert.equal(body.HostId, 'upstream');
  assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
  assert.equal(res.headers.get('x-acs-retry-after'), '2');
  assert.equal(res.headers.get('set-cookie'), null);
  assert.ok(res.headers.get('date'));
  upstream.setBehaviour('ok');
  await assertHealthy(relay.url);
});

test('a slow upstream: Relay.UpstreamTimeout (504), outcome unknown', async () => {
  upstream.setBehaviour({ delayMs: 1500 });
  const started = Date.now();
  const { res, body } = await call(relay.url);
  const took = Date.now() - started;
  assert.equal(res.status, 504);
  assert.equal(body.Code, 'Relay.UpstreamTimeout');
  assert.match(body.Message, /outcome is unknown/);
  assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
  assert.ok(took >= 650 && took < 1400, `answered after ${took} ms`);
  upstream.setBehaviour('ok');
  await new Promise((r) => setTimeout(r, 900));  // let the late answer land and be discarded
  await assertHealthy(relay.url);
  // The next call works (a fresh upstream connection, not the timed-out one).
  assert.equal((await call(relay.url)).res.status, 200);
});

test('a kept-alive upstream connection keeps its deadline: a slow answer on a reused one is cut', async () => {
  // Two calls leave a connection kept alive; the slow call then goes over it, not a new one.
  for (let i = 0; i < 2; i++) assert.equal((await call(relay.url)).res.status, 200);
  const before = upstream.connections();
  upstream.setBehaviour({ delayMs: 1500 });
  const started = Date.now();
  const { res, body } = await call(relay.url);
  const took = Date.now() - started;
  assert.equal(upstream.connections(), before, 'the slow call went over the reused connection');
  assert.equal(res.status, 504);
  assert.equal(body.Code, 'Relay.UpstreamTimeout');
  assert.ok(took >= 650 && took < 1400, `answered after ${took} ms`);
  upstream.setBehaviour('ok');
  await new Promise((r) => setTimeout(r, 900));  // let the late answer land and be discarded
  assert.equal((await call(relay.url)).res.status, 200);
});

test('dropped after commit: Relay.UpstreamConnectionLost (502), outcome unknown', async () => {
  upstream.setBehaviour('drop');
  const before = upstream.received.length;
  const { res, body } = await call(relay.url);
  assert.equal(res.status, 502);
  assert.equal(body.Code, 'Relay.UpstreamConnectionLost');
  assert.match(body.Message, /outcome is unknown/);
  assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
  assert.equal(upstream.received.length, before + 1, 'sent exactly once: the relay never retries');
  upstream.setBehaviour('ok');
  await assertHealthy(relay.url);
});

test('a redirect from the upstream is never followed', async () => {
  upstream.setBehaviour('redirect');
  const before = upstream.received.length;
  const { res, body } = await call(relay.url);
  assert.equal(res.status, 502);
  assert.equal(body.Code, 'Relay.UpstreamBadAnswer');
  assert.equal(res.headers.get('location'), null);
  assert.equal(upstream.received.length, before + 1);
  upstream.setBehaviour('ok');
  await assertHealthy(relay.url);
});

test('the upstream down: Relay.UpstreamUnreachable (502), safe to retry', async () => {
  // A port that was just free: nothing listens there.
  const probe = net.createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const deadPort = probe.address().port;
  await new Promise((r) => probe.close(r));
  const lonely = await startRelay(`http://127.0.0.1:${deadPort}`, ['--origins', ORIGIN]);
  try {
    const { res, body } = await call(lonely.url);
    assert.equal(res.status, 502);
    assert.equal(body.Code, 'Relay.UpstreamUnreachable');
    assert.match(body.Message, /not delivered/);
    assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN);
    await assertHealthy(lonely.url);
  } finally {
    await lonely.stop();
  }
});

test('an oversize upstream answer is not passed on', async () => {
  upstream.setBehaviour({ status: 200, body: JSON.stringify({ RequestId: 'big', Pad: 'x'.repeat(2 * 1024 * 1024) }) });
  try {
    const { res, body } = await call(relay.url);
    assert.equal(res.status, 502);
    assert.equal(body.Code, 'Relay.UpstreamBadAnswer');
  } finally {
    upstream.setBehaviour('ok');
  }
  await assertHealthy(relay.url);
});

test('upstream connections are kept alive and reused', async () => {
  const before = upstream.connections();
  for (let i = 0; i < 20; i++) {
    const { res } = await call(relay.url);
    assert.equal(res.status, 200);
  }
  // Sequential calls need one connection (a second only if the first was retired meanwhile).
  assert.ok(upstream.connections() - before <= 1, `${upstream.connections() - before} new connections for 20 calls`);
});
