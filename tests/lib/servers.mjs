// Starts the project's servers for Node tests and stops them afterwards.
//
// Each server prints `<program> listening on http://HOST:PORT` as its first stdout line; we wait
// for it rather than polling a port, so a server that fails to start fails the test at once with
// its own stderr.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const binDir = path.resolve(repoRoot, process.env.DYPLS_BIN ?? 'build/native/bin');
export const webDir = path.resolve(repoRoot, process.env.DYPLS_WEB ?? 'build/web');

const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `program` (a name in binDir) with `args`; resolves to
 * { url, port, child, stdoutLines, stderrText(), stop() } once it prints its listening line.
 */
export function startServer(program, args = [], { timeoutMs = 10000, env = {} } = {}) {
  const exe = path.join(binDir, program);
  const child = spawn(exe, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  running.add(child);
  const stdoutLines = [];
  let stderr = '';
  let buffered = '';
  child.stderr.on('data', (d) => { stderr += d; });

  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`${program} did not print its listening line within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('exit', (code, signal) => {
      running.delete(child);
      clearTimeout(timer);
      reject(new Error(`${program} exited (${code ?? signal}) before listening\n${stderr}`));
    });
    child.stdout.on('data', (d) => {
      buffered += d;
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        stdoutLines.push(line);
        const m = /listening on (http:\/\/[^\s]+?):(\d+)\s*$/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve({ url: `${m[1]}:${m[2]}`, port: Number(m[2]) });
        }
      }
    });
  });

  return ready.then(({ url, port }) => ({
    url,
    port,
    child,
    stdoutLines,
    stderrText: () => stderr,
    /** SIGTERM, then SIGKILL after graceMs; resolves with the exit code or signal. */
    stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) {
        return Promise.resolve(child.exitCode ?? child.signalCode);
      }
      return new Promise((resolve) => {
        const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', (code, signal) => {
          clearTimeout(killer);
          running.delete(child);
          resolve(code ?? signal);
        });
        child.kill('SIGTERM');
      });
    },
  }));
}

/** A sandbox with one known account and pool; returns the server plus those values. */
export async function startSandbox(extraArgs = []) {
  const account = { id: 'LTAI5tSandboxTestKey01', secret: 'sandbox-test-secret-0123456789' };
  const poolKey = 'FC100000000000001';
  const server = await startServer('dypls-sandbox', [
    '--listen', '127.0.0.1:0',
    '--account', `${account.id}:${account.secret}`,
    '--pool', poolKey,
    '--seed', '7',
    ...extraArgs,
  ]);
  return { ...server, account, poolKey };
}

/** A relay in front of `upstreamUrl`, optionally serving the page. */
export function startRelay(upstreamUrl, extraArgs = []) {
  return startServer('dypls-relay', ['--listen', '127.0.0.1:0', '--upstream', upstreamUrl, ...extraArgs]);
}
