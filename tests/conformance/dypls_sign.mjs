// Runs dypls-sign once with many requests as lines and returns its answers in order.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { binDir } from '../lib/servers.mjs';

export const signPath = path.join(binDir, 'dypls-sign');

/** Feeds `lines` (strings, one request each) to one dypls-sign; resolves to its parsed answers. */
export function runLines(lines, { args = [], env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(signPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) {
        reject(new Error(`dypls-sign exited ${code ?? signal}: ${stderr}`));
        return;
      }
      const out = stdout.split('\n');
      if (out.at(-1) === '') out.pop();
      resolve({ answers: out.map((line) => JSON.parse(line)), raw: out, stderr });
    });
    child.stdin.on('error', () => {});  // a crash shows up as the exit code instead
    child.stdin.end(lines.map((line) => `${line}\n`).join(''));
  });
}

/** Runs dypls-sign with `args` and optional stdin; resolves to { code, stdout, stderr }. */
export function runOnce(args, { input = '', env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(signPath, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}
