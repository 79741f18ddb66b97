// The relay under load, beside the sandbox alone and Debian's nginx as a plain proxy_pass to the
// same sandbox: wrk on loopback replaying one signed QuerySecretNoRemain at several concurrency
// levels; /healthz while 1,000 slow clients trickle; RSS with 10,000 idle connections; then a
// sustained mixed load through the relay while its RSS is sampled from /proc.
//
//   node bench/relay.mjs --out DIR [--seconds 5] [--rounds 3] [--levels 1,4,16,64,256]
//                        [--sustain 150] [--slow-clients 1000] [--idle-connections 10000]
//
// Prints one JSON object on stdout; progress goes to stderr; server logs go to DIR.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';

import os from 'node:os';

import {
  binDir, memoryKb, median, repoRoot, sleep, startServer, stopChild, track,
} from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    levels: { type: 'string', default: '1,4,16,64,256' },
    sustain: { type: 'string', default: '150' },
    'slow-clients': { type: 'string', default: '1000' },
    'idle-connections': { type: 'string', default: '10000' },
    'sustain-connections': { type: 'string', default: '16' },
  },
});
if (!args.out) {
  console.error('usage: node bench/relay.mjs --out DIR [--seconds S] [--levels 1,4,16,64] [--sustain S]');
  process.exit(2);
}
const OUT = path.resolve(args.out);
mkdirSync(OUT, { recursive: true });
const SECONDS = Number(args.seconds);
const ROUNDS = Math.max(1, Number(args.rounds));
const LEVELS = args.levels.split(',').map(Number);
const SUSTAIN = Number(args.sustain);
const log = (...parts) => console.error('[relay]', ...parts);
const RELAY_OPTIONS = ['--rate', '0', '--workers', '256', '--queue', '1024'];
const SLOW_CLIENTS = Number(args['slow-clients']);
const IDLE_CONNECTIONS = Number(args['idle-connections']);

/** The descriptor limit this process (and what it starts) runs under. */
function openFilesLimit() {
  const m = /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  return m ? (m[1] === 'unlimited' ? Infinity : Number(m[1])) : null;
}

const KEY_ID = 'LTAIbenchmark0000000000001';
const SECRET = 'benchmarkSecret000000000000001';
const POOL = 'FC100000000001';

// ---- signing one request with dypls-sign -------------------------------------------------------

function run(file, argv, input, timeoutMs = 30000) {
  return new Promise((resolve, reject) => {
    const child = track(execFile(file, argv, { timeout: timeoutMs, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => (error ? reject(new Error(`${file}: ${error.message}\n${stderr}`))
        : resolve(stdout))));
    if (input !== undefined) child.stdin.end(input);
  });
}

/** Signs QuerySecretNoRemain now and writes it in replay.lua's format; returns the file. */
async function signedRequestFile(style, host, name) {
  const line = {
    method: style === 'v1' ? 'GET' : 'POST', style, accessKeyId: KEY_ID, accessKeySecret: SECRET,
    action: 'QuerySecretNoRemain', endpoint: host, params: { City: '杭州', SpecId: 1 },
  };
  const answer = JSON.parse(await run(path.join(binDir, 'dypls-sign'), [], JSON.stringify(line) + '\n'));
  if (answer.error) throw new Error(`dypls-sign refused the bench request: ${answer.error}`);
  const url = new URL(answer.url);
  const head = [`${answer.method ?? line.method} ${url.pathname}${url.search}`];
  for (const [header, value] of Object.entries(answer.headers ?? {})) head.push(`${header}: ${value}`);
  const file = path.join(OUT, `${name}.request`);
  writeFileSync(file, `${head.join('\n')}\n\n${answer.body ?? ''}`);
  return file;
}

/** One request through `base` (sandbox, relay /api or nginx /api) must answer 200 and Code OK. */
async function checkAccepted(base, requestFile) {
  const [head] = readFileSync(requestFile, 'utf8').split('\n\n');
  const [first, ...headerLines] = head.split('\n');
  const [method, pathAndQuery] = first.split(' ');
  const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
  const response = await fetch(base.replace(/\/$/, '') + pathAndQuery, { method, headers, signal: AbortSignal.timeout(5000) });
  const body = await response.text();
  if (response.status !== 200 || !/"Code":\s*"OK"/.test(body)) {
    throw new Error(`${base} refused the bench request (${response.status}): ${body.slice(0, 300)}`);
  }
}

// ---- wrk ------------------------------------------------------------------------------------------

function toMs(value, unit) {
  return Number(value) * ({ us: 0.001, ms: 1, s: 1000, m: 60000 }[unit] ?? NaN);
}

export function parseWrk(text) {
  const latency = (p) => {
    const m = new RegExp(`^\\s*${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(text);
    return m ? toMs(m[1], m[2]) : null;
  };
  const requests = Number(/(\d+) requests in/.exec(text)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = socket ? socket.slice(1).map(Number).reduce((a, b) => a + b, 0) : 0;
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? 0),
    p50: latency(50),
    p99: latency(99),
    requests,
    errors: non2xx + socketErrors,
    non2xx,
    socketErrors,
  };
}

// The machine's count of connections dropped because a listen queue was full (each costs the
// client a SYN retry, about 1 s). Machine-wide: other loopback traffic can add to it.
function listenOverflows() {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((l) => l.startsWith('TcpExt:'));
    const names = lines[0].split(/\s+/);
    const values = lines[1].split(/\s+/);
    return Number(values[names.indexOf('ListenOverflows')]);
  } catch {
    return null;
  }
}

async function wrk(url, requestFile, connections, seconds) {
  const overflowsBefore = listenOverflows();
  const outcome = await wrkRun(url, requestFile, connections, seconds);
  const overflowsAfter = listenOverflows();
  outcome.listenOverflows = overflowsBefore === null ? null : overflowsAfter - overflowsBefore;
  return outcome;
}

function wrkRun(url, requestFile, connections, seconds) {
  const threads = Math.min(2, connections);
  const argv = ['-t', String(threads), '-c', String(connections), '-d', `${seconds}s`, '--latency',
    '--timeout', '5s', '-s', path.join(repoRoot, 'bench', 'replay.lua'), url, '--', requestFile];
  return run('/usr/bin/wrk', argv, undefined, (seconds + 30) * 1000).then(parseWrk);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startNginx(upstreamHost) {
  const dir = path.join(OUT, 'nginx');
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const config = readFileSync(path.join(repoRoot, 'bench', 'nginx.conf.template'), 'utf8')
    .replaceAll('@DIR@', dir).replaceAll('@PORT@', String(port)).replaceAll('@UPSTREAM@', upstreamHost);
  writeFileSync(path.join(dir, 'nginx.conf'), config);
  const child = track(spawn('/usr/sbin/nginx', ['-p', dir, '-c', 'nginx.conf', '-e', path.join(dir, 'error.log')],
    { stdio: 'ignore' }));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 50; i++) {  // nginx prints nothing when ready: poll, at most 5 s
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}); see ${dir}/error.log`);
    try {
      await fetch(`${url}/`, { signal: AbortSignal.timeout(500) });
      return { url, stop: () => stopChild(child) };
    } catch { await sleep(100); }
  }
  await stopChild(child);
  throw new Error(`nginx did not answer on ${url} within 5 s; see ${dir}/error.log`);
}

// ---- slow and idle clients ------------------------------------------------------------------------

/** Opens `count` connections from `prefix`.1..`addresses` (spread so the per-address cap holds). */
async function openConnections(port, count, prefix, addresses) {
  const sockets = [];
  const batch = 200;
  for (let i = 0; i < count; i += batch) {
    const opening = [];
    for (let j = i; j < Math.min(count, i + batch); j++) {
      opening.push(new Promise((resolve) => {
        const s = net.connect({ port, host: '127.0.0.1', localAddress: `${prefix}.${1 + (j % addresses)}` });
        s.on('error', () => {});
        s.once('connect', () => resolve(s));
        s.once('error', () => resolve(s));
      }));
    }
    sockets.push(...await Promise.all(opening));
  }
  return sockets;
}

/** Sequential /healthz probes on one kept-alive connection; the latencies in ms. */
async function probeHealth(port, count, gapMs) {
  const socket = await new Promise((resolve, reject) => {
    const s = net.connect({ port, host: '127.0.0.1' }, () => resolve(s));
    s.once('error', reject);
  });
  const latencies = [];
  let buffered = '';
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    const answered = await new Promise((resolve) => {
      const timer = setTimeout(() => { socket.off('data', onData); resolve(false); }, 5000);
      function onData(d) {
        buffered += d.toString('latin1');
        if (buffered.includes('{"status":"ok"}')) {
          buffered = '';
          clearTimeout(timer);
          socket.off('data', onData);
          resolve(true);
        }
      }
      socket.on('data', onData);
      socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    });
    latencies.push(answered ? Number(process.hrtime.bigint() - t0) / 1e6 : 5000);
    await sleep(gapMs);
  }
  socket.destroy();
  return latencies;
}

function summarize(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
  return { probes: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) };
}

// ---- the run --------------------------------------------------------------------------------------

const stops = [];
try {
  const sandbox = await startServer(path.join(binDir, 'dypls-sandbox'), [
    '--listen', '127.0.0.1:0', '--account', `${KEY_ID}:${SECRET}`, '--pool', POOL, '--seed', '7',
    '--no-nonce-check', '--threads', '256',
  ], { logFile: path.join(OUT, 'sandbox.log') });
  stops.push(sandbox.stop);
  const sandboxHost = `127.0.0.1:${sandbox.port}`;
  // As many upstream calls in flight as nginx keeps upstream connections (keepalive 256), so the
  // 256-connection level is not shed with Relay.Busy; event loops: one per core, as nginx's workers.
  const relay = await startServer(path.join(binDir, 'dypls-relay'), [
    '--listen', '127.0.0.1:0', '--upstream', sandbox.url, '--sandbox', ...RELAY_OPTIONS,
  ], { logFile: path.join(OUT, 'relay.log') });
  stops.push(relay.stop);
  const nginx = await startNginx(sandboxHost);
  stops.push(nginx.stop);

  const targets = {
    direct: `${sandbox.url}/`,
    relay: `${relay.url}/api/`,
    nginx: `${nginx.url}/api/`,
  };
  const result = {
    seconds: SECONDS,
    rounds: ROUNDS,
    levels: LEVELS,
    relayOptions: `${RELAY_OPTIONS.join(' ')}; --io-threads default: ${os.availableParallelism?.() ?? os.cpus().length} (one per core)`,
    nginxWorkers: `auto (${os.availableParallelism?.() ?? os.cpus().length})`,
    openFilesLimit: openFilesLimit(),
    runs: {},
  };
  let v1File = await signedRequestFile('v1', sandboxHost, 'v1-get');
  for (const url of Object.values(targets)) await checkAccepted(url, v1File);

  // Each level is measured in ROUNDS rounds of the three targets, in a rotated order, and each
  // target keeps its median run: on a shared machine a burst of load from elsewhere lasts
  // seconds, and one run each in a row let it land on one target alone (a 5 s cell swung ±12%).
  for (const connections of LEVELS) {
    v1File = await signedRequestFile('v1', sandboxHost, 'v1-get');  // fresh timestamp per level
    const names = Object.keys(targets);
    const rounds = Object.fromEntries(names.map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = names.map((_, i) => names[(i + round) % names.length]);
      for (const name of order) {
        log(`wrk ${name} c=${connections} ${SECONDS}s (round ${round + 1} of ${ROUNDS})`);
        rounds[name].push(await wrk(targets[name], v1File, connections, SECONDS));
      }
    }
    for (const name of names) {
      const byRps = [...rounds[name]].sort((a, b) => a.rps - b.rps);
      result.runs[`${name}@${connections}`] = {
        ...byRps[Math.floor((byRps.length - 1) / 2)],
        roundsRps: rounds[name].map((r) => r.rps),
      };
    }
  }

  // The sandbox alone verifying V3 (SHA-256 over a canonical request) rather than V1.
  const v3File = await signedRequestFile('v3', sandboxHost, 'v3-post');
  await checkAccepted(targets.direct, v3File);
  const v3Level = LEVELS.includes(16) ? 16 : LEVELS.at(-1);
  log(`wrk direct V3 c=${v3Level}`);
  result.runs[`directV3@${v3Level}`] = await wrk(targets.direct, v3File, v3Level, SECONDS);

  // Slow and idle clients, against a relay of its own whose head deadline is long enough (60 s)
  // that they stay for the whole measurement (the default, 5 s, would close them first).
  if (SLOW_CLIENTS > 0 || IDLE_CONNECTIONS > 0) {
    const patient = await startServer(path.join(binDir, 'dypls-relay'), [
      '--listen', '127.0.0.1:0', '--upstream', sandbox.url, '--sandbox', ...RELAY_OPTIONS,
      '--head-timeout-ms', '60000', '--client-timeout-ms', '60000', '--keep-alive-ms', '60000',
    ], { logFile: path.join(OUT, 'relay-clients.log') });
    stops.push(patient.stop);
    if (SLOW_CLIENTS > 0) {
      log(`/healthz while ${SLOW_CLIENTS} slow clients trickle a byte a second`);
      const slow = await openConnections(patient.port, SLOW_CLIENTS, '127.0.2', 8);
      for (const s of slow) s.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Pad: ');
      const trickle = setInterval(() => { for (const s of slow) if (!s.destroyed) s.write('a'); }, 1000);
      await sleep(1500);
      const probes = await probeHealth(patient.port, 200, 10);
      clearInterval(trickle);
      const stillOpen = slow.filter((s) => !s.destroyed && !s.readableEnded).length;
      for (const s of slow) s.destroy();
      result.slowClients = { clients: SLOW_CLIENTS, open: stillOpen, ...summarize(probes) };
      await sleep(500);
    }
    if (IDLE_CONNECTIONS > 0) {
      log(`RSS with ${IDLE_CONNECTIONS} idle connections`);
      await sleep(500);
      const before = memoryKb(patient.pid)?.rss ?? null;
      const idle = await openConnections(patient.port, IDLE_CONNECTIONS, '127.0.3', 16);
      await sleep(1500);
      const during = memoryKb(patient.pid)?.rss ?? null;
      const probes = await probeHealth(patient.port, 50, 10);
      const open = idle.filter((s) => !s.destroyed && !s.readableEnded).length;
      for (const s of idle) s.destroy();
      result.idle = {
        connections: IDLE_CONNECTIONS, open, rssBeforeKb: before, rssWithKb: during,
        bytesEach: before && during ? Math.round(((during - before) * 1024) / IDLE_CONNECTIONS) : null,
        healthz: summarize(probes),
      };
    }
    await patient.stop();
  }

  // Sustained mixed load through the relay, sampling its memory once a second: API calls (wrk),
  // /healthz (wrk), and a churn of clients that open, send half a head and leave.
  if (SUSTAIN > 0) {
    const connections = Number(args['sustain-connections']);
    v1File = await signedRequestFile('v1', sandboxHost, 'v1-get');
    log(`sustained mixed load: relay c=${connections} API + c=2 /healthz + 20 half heads/s for ${SUSTAIN}s, sampling RSS`);
    const samples = [];
    const before = memoryKb(relay.pid);
    const started = Date.now();
    const load = wrk(targets.relay, v1File, connections, SUSTAIN);
    const healthFile = path.join(OUT, 'healthz.request');
    writeFileSync(healthFile, 'GET /healthz\n\n');
    const health = wrk(`${relay.url}/`, healthFile, 2, SUSTAIN);
    let churned = 0;
    const churn = setInterval(async () => {
      const half = await openConnections(relay.port, 20, '127.0.4', 4);
      churned += half.length;
      for (const s of half) s.write('GET /api/?Action=QuerySecretNoRemain HTTP/1.1\r\nHost: local');
      setTimeout(() => { for (const s of half) s.destroy(); }, 2000);
    }, 1000);
    const sampler = setInterval(() => {
      const m = memoryKb(relay.pid);
      if (m) samples.push({ t: (Date.now() - started) / 1000, ...m });
    }, 1000);
    const outcome = await load;
    const healthOutcome = await health;
    clearInterval(churn);
    clearInterval(sampler);
    await sleep(1000);
    const after = memoryKb(relay.pid);
    // Flat: the last third's RSS is within 10% (+1 MB) of the first third's, once warmed up.
    const third = Math.max(1, Math.floor(samples.length / 3));
    const early = Math.max(...samples.slice(0, third).map((s) => s.rss));
    const late = Math.max(...samples.slice(-third).map((s) => s.rss));
    result.sustained = {
      seconds: SUSTAIN,
      connections,
      ...outcome,
      rssBeforeKb: before?.rss ?? null,
      rssEarlyKb: early,
      rssLateKb: late,
      peakRssKb: Math.max(after?.hwm ?? 0, ...samples.map((s) => s.hwm)),
      rssAfterKb: after?.rss ?? null,
      mix: { healthzRps: healthOutcome.rps, healthzP99: healthOutcome.p99, halfHeads: churned },
      flat: late <= early * 1.1 + 1024,
      samples: samples.filter((_, i) => i % 5 === 0).map((s) => [Math.round(s.t), s.rss]),
    };
  }
  result.peakRssKb = memoryKb(relay.pid)?.hwm ?? null;
  result.medianRelayRps = median(LEVELS.map((c) => result.runs[`relay@${c}`].rps));
  console.log(JSON.stringify(result));
} finally {
  for (const stop of stops.reverse()) await stop();
}
