// The deployment of docs/deploy.md, run: Debian's nginx with deploy/nginx/dypls.conf (its ports,
// name and certificate replaced for loopback, its pid, logs and temp files in a temp folder),
// terminating TLS in front of two relays, in front of the sandbox. Calls go through it; one relay
// is killed while a purchase is in it: the other relay keeps serving, and the purchase whose relay
// died comes back with a code whose outcome is unknown, never re-sent to the other relay.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startSandbox, startRelay, binDir, repoRoot } from '../lib/servers.mjs';
import { logLines, sleep } from './helpers.mjs';

const NAME = 'console.example.com';  // the server_name in the committed config
const OUTCOME_UNKNOWN = ['Relay.UpstreamTimeout', 'Relay.UpstreamConnectionLost', 'Relay.UpstreamBadAnswer', 'Relay.InternalError'];
let dir;
let sandbox;
let relays = [];
let nginx;
let tlsPort;
let cert;

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// The committed file with only what a loopback test must change; every change must apply, so a
// config that drifts from what the test expects fails here rather than testing something else.
function loopbackConfig(relayPorts, httpsPort, httpPort) {
  let text = fs.readFileSync(path.join(repoRoot, 'deploy', 'nginx', 'dypls.conf'), 'utf8');
  const swap = (from, to) => {
    assert.ok(text.includes(from), `deploy/nginx/dypls.conf no longer contains '${from}'`);
    text = text.replaceAll(from, to);
  };
  swap('server 127.0.0.1:8081 ', `server 127.0.0.1:${relayPorts[0]} `);
  swap('server 127.0.0.1:8082 ', `server 127.0.0.1:${relayPorts[1]} `);
  swap('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`);
  swap('listen 80;', `listen 127.0.0.1:${httpPort};`);
  swap('/etc/ssl/dypls/fullchain.pem', path.join(dir, 'cert.pem'));
  swap('/etc/ssl/dypls/privkey.pem', path.join(dir, 'key.pem'));
  return text;
}

function mainConfig() {
  return [
    'daemon off;', 'master_process on;', 'worker_processes 1;',
    `pid ${dir}/nginx.pid;`, `error_log ${dir}/error.log warn;`,
    'events { worker_connections 256; }',
    'http {',
    `  access_log ${dir}/access.log;`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t};`),
    `  include ${dir}/dypls.conf;`,
    '}',
  ].join('\n');
}

/** One HTTPS request to nginx as a browser on console.example.com would send it. */
function request(method, target, { body = '', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port: tlsPort, servername: NAME, ca: cert, method, path: target, agent: false,
      headers: { Host: NAME, ...(body ? { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } : {}), ...headers },
      timeout: 20000,
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        let parsed = null;
        try { parsed = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, text, body: parsed });
      });
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.end(body);
  });
}

/** Signs a V1 call with dypls-sign (the project's signer) and sends it through nginx. */
async function api(action, params, method = 'POST') {
  const line = {
    method, style: 'v1', accessKeyId: sandbox.account.id, accessKeySecret: sandbox.account.secret,
    action, endpoint: NAME, params,
  };
  const signed = await new Promise((resolve, reject) => {
    const child = execFile(path.join(binDir, 'dypls-sign'), [], (error, stdout) => (error ? reject(error) : resolve(JSON.parse(stdout))));
    child.stdin.end(`${JSON.stringify(line)}\n`);
  });
  if (method === 'GET') return request('GET', `/api/${new URL(signed.url).search}`);
  return request('POST', '/api/', { body: signed.body });
}

const apiLines = (relay, action) => relay.stderrText().split('\n').filter((l) => l.startsWith('{'))
  .map((l) => JSON.parse(l)).filter((l) => l.path === '/api/' && (!action || l.action === action));

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dypls-nginx-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1',
    '-subj', `/CN=${NAME}`, '-addext', `subjectAltName=DNS:${NAME}`], { stdio: 'ignore' });
  cert = fs.readFileSync(path.join(dir, 'cert.pem'));
  sandbox = await startSandbox();
  // As docs/deploy.md starts them: its public name, nginx as the one trusted proxy.
  for (let i = 0; i < 2; i++) {
    relays.push(await startRelay(sandbox.url, ['--sandbox', '--rate', '0', '--public-host', NAME, '--trusted-proxy', '127.0.0.1']));
  }
  tlsPort = await freePort();
  const httpPort = await freePort();
  fs.writeFileSync(path.join(dir, 'dypls.conf'), loopbackConfig(relays.map((r) => r.port), tlsPort, httpPort));
  fs.writeFileSync(path.join(dir, 'nginx.conf'), mainConfig());
  nginx = spawn('/usr/sbin/nginx', ['-p', dir, '-c', 'nginx.conf', '-e', path.join(dir, 'error.log')], { stdio: 'ignore' });
  for (let i = 0; ; i++) {  // nginx prints nothing when ready
    if (nginx.exitCode !== null) throw new Error(`nginx exited: ${fs.readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
    try {
      if ((await request('GET', '/healthz')).status === 200) break;
    } catch (error) {
      if (i > 100) throw error;
    }
    await sleep(50);
  }
});

after(async () => {
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx.once('exit', resolve));
    nginx.kill('SIGQUIT');
    await Promise.race([exited, sleep(3000)]);
    if (nginx.exitCode === null) nginx.kill('SIGKILL');
  }
  for (const relay of relays) await relay.stop();
  await sandbox?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('through nginx: TLS, both relays serve, the client address is nginx\'s own hop', async () => {
  for (let i = 0; i < 6; i++) {
    const r = await api('QuerySecretNoRemain', { SpecId: 1, City: '杭州' }, i % 2 ? 'GET' : 'POST');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body?.Code, 'OK');
  }
  // A relay writes its log lines shortly after its answers: each relay's are awaited.
  const hasApiLine = (lines) => lines.some((l) => l.path === '/api/');
  const apiLogs = await Promise.all(relays.map((r) => logLines(r, hasApiLine)));
  assert.ok(apiLogs.every(hasApiLine), 'nginx balances over both relays');
  // A client cannot choose its own address: nginx replaces X-Forwarded-For.
  const spoofed = await request('GET', '/relay/config', { headers: { 'X-Forwarded-For': '203.0.113.66' } });
  assert.equal(spoofed.status, 200);
  // One relay logs the request: its line is awaited (the other's wait runs out by itself).
  const hasConfigLine = (lines) => lines.some((l) => l.path === '/relay/config');
  await Promise.race(relays.map((r) => logLines(r, hasConfigLine)));
  const logs = relays.map((r) => r.stderrText().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)));
  assert.ok(logs.some(hasConfigLine), 'the /relay/config request was logged');
  const clients = logs.flat().map((l) => l.client);
  assert.ok(!clients.includes('203.0.113.66'), 'a forged X-Forwarded-For is not believed');
  assert.ok(clients.every((c) => c === '127.0.0.1'), clients.join(','));
  // The page's name only: nginx's Host is the relays' --public-host, anything else is 421.
  const config = await request('GET', '/relay/config');
  assert.equal(config.body?.sandbox, true);
  const plain = await new Promise((resolve, reject) => {
    const s = net.connect(tlsPort, '127.0.0.1', () => s.end('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'));
    let t = '';
    s.on('data', (d) => { t += d; });
    s.on('close', () => resolve(t));
    s.on('error', reject);
  });
  assert.match(plain, /^HTTP\/1\.1 400/, 'plain HTTP on the TLS port is refused by nginx');
});

test('a relay killed with a purchase in it: the other serves, the purchase is "outcome unknown", not re-sent', async () => {
  const numbersBefore = (await (await fetch(`${sandbox.url}/sandbox/state`)).json()).numbers.length;
  const boughtBefore = relays.map((r) => apiLines(r, 'BuySecretNo').length);
  // The sandbox takes 3 s per call, so both purchases are inside a relay when one is killed
  // halfway (signing and the TLS handshake take milliseconds, even on a loaded machine).
  await fetch(`${sandbox.url}/sandbox/faults`, { method: 'POST', body: JSON.stringify({ latencyMs: 3000 }) });
  const purchases = [
    api('BuySecretNo', { PoolKey: sandbox.poolKey, SpecId: 1, City: '杭州' }),
    api('BuySecretNo', { PoolKey: sandbox.poolKey, SpecId: 1, City: '杭州' }, 'GET'),
  ];
  await sleep(1500);
  const [victim, survivor] = relays;
  victim.child.kill('SIGKILL');
  const answers = await Promise.all(purchases);
  await fetch(`${sandbox.url}/sandbox/faults`, { method: 'POST', body: JSON.stringify({ latencyMs: 0 }) });
  await sleep(1000);  // the sandbox finishes the purchase whose relay is gone

  const ok = answers.filter((a) => a.status === 200 && a.body?.Code === 'OK');
  const unknown = answers.filter((a) => OUTCOME_UNKNOWN.includes(a.body?.Code));
  assert.equal(ok.length + unknown.length, 2, answers.map((a) => `${a.status} ${a.text.slice(0, 200)}`).join('\n'));
  assert.ok(unknown.length >= 1, 'a purchase was inside the killed relay');
  for (const a of unknown) {
    assert.equal(a.status, 502);
    assert.equal(a.headers['content-type'], 'application/json');
  }
  // Each purchase reached the sandbox exactly once: the unknown one did go through (so "unknown"
  // was the truth), and nginx did not re-send it to the surviving relay.
  const numbersAfter = (await (await fetch(`${sandbox.url}/sandbox/state`)).json()).numbers.length;
  assert.equal(numbersAfter, numbersBefore + 2);
  assert.equal(apiLines(survivor, 'BuySecretNo').length - boughtBefore[1], ok.length, 'the survivor served only its own purchases');

  // The other relay serves everything from now on: POST and GET, page paths too.
  for (let i = 0; i < 6; i++) {
    const r = await api('QuerySecretNoRemain', { SpecId: 1, City: '杭州' }, i % 2 ? 'GET' : 'POST');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body?.Code, 'OK');
  }
  assert.equal((await request('GET', '/healthz')).status, 200);
  relays = [survivor];
});
