// What the bench scripts share: starting our servers with their logs in files (an access log per
// request would otherwise pile up in this process), statistics, and the machine's description.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
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
