// The relay under load, beside the sandbox alone and Debian's nginx as a plain proxy_pass to the
// same sandbox: wrk on loopback replaying one signed QuerySecretNoRemain at several concurrency
// levels; then a sustained run through the relay while its RSS is sampled from /proc.
//
//   node bench/relay.mjs --out DIR [--seconds 5] [--levels 1,4,16,64] [--sustain 150]
//
// Prints one JSON object on stdout; progress goes to stderr; server logs go to DIR.
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';

import {
  binDir, memoryKb, median, repoRoot, sleep, startServer, stopChild, track,
} from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string' },
    seconds: { type: 'string', default: '5' },
    levels: { type: 'string', default: '1,4,16,64' },
    sustain: { type: 'string', default: '150' },
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
const LEVELS = args.levels.split(',').map(Number);
const SUSTAIN = Number(args.sustain);
const log = (...parts) => console.error('[relay]', ...parts);

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

// ---- the run --------------------------------------------------------------------------------------

const stops = [];
try {
  const sandbox = await startServer(path.join(binDir, 'dypls-sandbox'), [
    '--listen', '127.0.0.1:0', '--account', `${KEY_ID}:${SECRET}`, '--pool', POOL, '--seed', '7',
    '--no-nonce-check', '--threads', '256',
  ], { logFile: path.join(OUT, 'sandbox.log') });
  stops.push(sandbox.stop);
  const sandboxHost = `127.0.0.1:${sandbox.port}`;
  const relay = await startServer(path.join(binDir, 'dypls-relay'), [
    '--listen', '127.0.0.1:0', '--upstream', sandbox.url, '--sandbox', '--rate', '0',
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
    levels: LEVELS,
    relayOptions: 'defaults (16 workers, queue 64) with --rate 0',
    nginxWorkers: 'auto',
    runs: {},
  };
  let v1File = await signedRequestFile('v1', sandboxHost, 'v1-get');
  for (const url of Object.values(targets)) await checkAccepted(url, v1File);

  for (const connections of LEVELS) {
    v1File = await signedRequestFile('v1', sandboxHost, 'v1-get');  // fresh timestamp per level
    for (const [name, url] of Object.entries(targets)) {
      log(`wrk ${name} c=${connections} ${SECONDS}s`);
      result.runs[`${name}@${connections}`] = await wrk(url, v1File, connections, SECONDS);
    }
  }

  // The sandbox alone verifying V3 (SHA-256 over a canonical request) rather than V1.
  const v3File = await signedRequestFile('v3', sandboxHost, 'v3-post');
  await checkAccepted(targets.direct, v3File);
  const v3Level = LEVELS.includes(16) ? 16 : LEVELS.at(-1);
  log(`wrk direct V3 c=${v3Level}`);
  result.runs[`directV3@${v3Level}`] = await wrk(targets.direct, v3File, v3Level, SECONDS);

  // Sustained load through the relay, sampling its memory once a second.
  if (SUSTAIN > 0) {
    const connections = Number(args['sustain-connections']);
    v1File = await signedRequestFile('v1', sandboxHost, 'v1-get');
    log(`sustained: relay c=${connections} for ${SUSTAIN}s, sampling RSS`);
    const samples = [];
    const before = memoryKb(relay.pid);
    const started = Date.now();
    const load = wrk(targets.relay, v1File, connections, SUSTAIN);
    const sampler = setInterval(() => {
      const m = memoryKb(relay.pid);
      if (m) samples.push({ t: (Date.now() - started) / 1000, ...m });
    }, 1000);
    const outcome = await load;
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
