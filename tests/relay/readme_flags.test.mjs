// The README's table of dypls-relay's options says what `dypls-relay --help` says: every flag
// with its environment variable, and nothing the program does not take.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { binDir, repoRoot } from '../lib/servers.mjs';

function helpOptions() {
  const help = execFileSync(path.join(binDir, 'dypls-relay'), ['--help'], { encoding: 'utf8' });
  const options = new Map();
  let current = null;
  for (const line of help.split('\n')) {
    const flag = /^ {2}(--[a-z-]+)/.exec(line);
    if (flag) {
      current = flag[1];
      options.set(current, '');
      continue;
    }
    const variable = /\[(DYPLS_RELAY_[A-Z_]+)\]\s*$/.exec(line);
    if (current && variable) options.set(current, variable[1]);
  }
  return options;
}

function readmeOptions() {
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const options = new Map();
  for (const line of readme.split('\n')) {
    const row = /^\| `(--[a-z-]+)[^`]*` \| (?:`(DYPLS_RELAY_[A-Z_]+)`)? *\|/.exec(line);
    if (row) options.set(row[1], row[2] ?? '');
  }
  return options;
}

test('the README lists exactly the flags of dypls-relay --help, each with its variable', () => {
  const help = helpOptions();
  const readme = readmeOptions();
  assert.ok(help.size >= 20, `--help lists ${help.size} options`);
  assert.deepEqual([...readme.entries()].sort(), [...help.entries()].sort());
});
