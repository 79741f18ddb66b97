// The upstream's TLS certificate is verified: a certificate the relay does not trust means the
// request is not delivered (Relay.UpstreamUnreachable); trusting it with --ca-file works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { startRelay } from '../lib/servers.mjs';

let dir;
let server;
let port;
let received = 0;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'relay-tls-'));
  // A throwaway self-signed certificate for 127.0.0.1 (never trusted by the system store).
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  server = https.createServer({
    key: fs.readFileSync(path.join(dir, 'key.pem')), cert: fs.readFileSync(path.join(dir, 'cert.pem')),
  }, (req, res) => {
    received++;
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ RequestId: 'TLS-1', Code: 'OK' }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = server.address().port;
});

after(async () => {
  server?.closeAllConnections?.();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

const call = (relay) => fetch(`${relay.url}/api/?Action=QuerySecretNoRemain&Version=2017-05-25`);

test('an untrusted certificate: not delivered', async () => {
  const relay = await startRelay(`https://127.0.0.1:${port}`);
  try {
    const res = await call(relay);
    const body = await res.json();
    assert.equal(res.status, 502);
    assert.equal(body.Code, 'Relay.UpstreamUnreachable');
    assert.match(body.Message, /certificate/);
    assert.equal(received, 0, 'nothing reached the upstream');
  } finally {
    await relay.stop();
  }
});

test('trusted with --ca-file: delivered, with the upstream\'s host as signHost', async () => {
  const relay = await startRelay(`https://127.0.0.1:${port}`, ['--ca-file', path.join(dir, 'cert.pem')]);
  try {
    const res = await call(relay);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await res.json()).RequestId, 'TLS-1');
    assert.equal(received, 1);
    const config = await (await fetch(`${relay.url}/relay/config`)).json();
    assert.equal(config.signHost, `127.0.0.1:${port}`);
  } finally {
    await relay.stop();
  }
});
