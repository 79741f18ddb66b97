// What the bench scripts share: starting our servers with their logs in files (an access log per
// request would otherwise pile up in this process), statistics, and the machine's description.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const binDir = path.resolve(repoRoot, process.env.DYPLS_BIN ?? 'build/native/bin');
export const webDir = path.resolve(repoRoot, process.env.DYPLS_WEB ?? 'build/web');

const children = new Set();
const killAll = () => { for (const child of children) child.kill('SIGKILL'); };
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => { killAll(); process.exit(130); });
}

/**
 * Starts a program that prints `... listening on http://HOST:PORT` first; its stderr goes to
 * `logFile`. Resolves to { url, port, pid, stop() } or rejects after `timeoutMs`.
 */
export function startServer(exe, args, { logFile, timeoutMs = 10000 } = {}) {
  const errFd = logFile ? openSync(logFile, 'a') : 'ignore';
  const child = spawn(exe, args, { stdio: ['ignore', 'pipe', errFd] });
  if (typeof errFd === 'number') closeSync(errFd);
  children.add(child);
  child.on('exit', () => children.delete(child));
  let buffered = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(exe)} printed no listening line within ${timeoutMs} ms` +
        (logFile ? `; see ${logFile}` : '')));
    }, timeoutMs);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${path.basename(exe)} exited (${code ?? signal}) before listening` +
        (logFile ? `; see ${logFile}` : '')));
    });
    child.stdout.on('data', (data) => {
      if (buffered === null) return;  // keep draining, ignore the rest
      buffered += data;
      const m = /listening on (http:\/\/[^\s:]+):(\d+)/.exec(buffered);
      if (!m) return;
      buffered = null;
      clearTimeout(timer);
      resolve({
        url: `${m[1]}:${m[2]}`,
        port: Number(m[2]),
        pid: child.pid,
        stop: () => stopChild(child),
      });
    });
  });
}

/** SIGTERM, then SIGKILL after `graceMs`. */
export function stopChild(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => { clearTimeout(killer); resolve(); });
    child.kill('SIGTERM');
  });
}

/** Spawns a program that is not a server and tracks it so that it dies with us. */
export function track(child) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

export function median(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Reads kB fields (VmRSS, VmHWM) of /proc/PID/status; null once the process is gone. */
export function memoryKb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rss: field('VmRSS'), hwm: field('VmHWM') };
  } catch {
    return null;
  }
}

export function machine() {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  return {
    cpus: os.cpus().length,
    cpuModel: cpu.trim(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: os.release(),
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const TICKS_PER_SECOND = 100;  // USER_HZ on Linux

/**
 * Chromium's processes for one profile (each carries its --user-data-dir), with their type and
 * CPU time so far (user + system, in seconds).
 */
export function chromiumProcesses(userDataDir) {
  const flag = `--user-data-dir=${userDataDir}`;
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Child processes rewrite their title: the arguments are then joined by spaces.
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split(/[\0 ]/);
      if (!cmdline.includes(flag)) continue;
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      found.push({
        pid: Number(name),
        cpu: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
        type: (cmdline.find((a) => a.startsWith('--type=')) ?? '--type=browser').slice(7),
      });
    } catch { /* the process ended while we looked */ }
  }
  return found;
}

/** CPU seconds so far of one profile's Chromium processes, summed per process type. */
export function cpuByType(userDataDir) {
  const out = {};
  for (const p of chromiumProcesses(userDataDir)) out[p.type] = (out[p.type] ?? 0) + p.cpu;
  return out;
}

/**
 * Waits until a freshly launched Chromium has finished starting: for a second or two after
 * launch it builds its own UI pages (hundreds of scripts in renderers of its own), which on two
 * cores compete with whatever page is opened. A person's browser is already running when they
 * open the console, so a cold load is measured from a settled browser: its processes together
 * used under 10% of a core over the last 300 ms (given up after maxMs). Resolves to the ms waited.
 */
export async function settleBrowser(userDataDir, { maxMs = 10000 } = {}) {
  const total = () => chromiumProcesses(userDataDir).reduce((sum, p) => sum + p.cpu, 0);
  const started = Date.now();
  const recent = [total()];  // CPU seconds, every 100 ms
  while (Date.now() - started < maxMs) {
    await sleep(100);
    recent.push(total());
    if (recent.length > 4) recent.shift();
    if (recent.length === 4 && recent[3] - recent[0] < 0.03) break;
  }
  return Date.now() - started;
}

/**
 * The page as people get it: dypls-sandbox (demo account) behind dypls-relay serving build/web.
 * The relay's per-client rate limit is off: the bench is one client sending on purpose.
 */
export async function startPageServers(logDir) {
  const sandbox = await startServer(path.join(binDir, 'dypls-sandbox'),
    ['--listen', '127.0.0.1:0', '--seed', '11'], { logFile: path.join(logDir, 'page-sandbox.log') });
  try {
    const relay = await startServer(path.join(binDir, 'dypls-relay'), [
      '--listen', '127.0.0.1:0', '--upstream', sandbox.url, '--sandbox', '--static', webDir,
      '--rate', '0',
    ], { logFile: path.join(logDir, 'page-relay.log') });
    return { url: `${relay.url}/`, stop: async () => { await relay.stop(); await sandbox.stop(); } };
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
}
