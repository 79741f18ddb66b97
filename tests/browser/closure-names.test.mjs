// The program's JavaScript goes through Closure's ADVANCED mode, which renames every property it
// is not told to keep; web/glue.js does not. A name the two share must therefore stay quoted on the
// program's side (docs/contracts.md, "The page's test hooks"), or the call silently reaches
// nothing. These checks read the sources, so they fail with the file and the name to fix, and
// the built page, to show Closure kept what the glue calls.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { repoRoot, webDir } from '../lib/servers.mjs';

const platformDir = path.join(repoRoot, 'src', 'platform');
const sources = fs.readdirSync(platformDir)
  .filter((name) => name.endsWith('.cpp'))
  .map((name) => ({ name, text: fs.readFileSync(path.join(platformDir, name), 'utf8') }));
const glue = fs.readFileSync(path.join(repoRoot, 'web', 'glue.js'), 'utf8');

// The names of the functions in glue.js's `window.dyplsGlue = { ... };` object.
function glueFunctionNames() {
  const start = glue.indexOf('window.dyplsGlue = {');
  assert.ok(start >= 0, 'web/glue.js no longer assigns window.dyplsGlue = { ... }');
  const body = glue.slice(start, glue.indexOf('\n  };\n', start));
  const names = new Set();
  for (const match of body.matchAll(/^ {4}([A-Za-z]+)(?:,|\(| *:)/gm)) names.add(match[1]);
  return names;
}

test('EM_JS code reaches window.dyplsGlue and Module by quoted names only', () => {
  const unquoted = [];
  for (const { name, text } of sources) {
    for (const match of text.matchAll(/window\.dyplsGlue\b|dyplsGlue"?\]?\.[A-Za-z]+|Module\.[A-Za-z_]+/g)) {
      unquoted.push(`${name}: ${match[0]}`);
    }
  }
  assert.deepEqual(unquoted, [], 'Closure would rename these: write window["dyplsGlue"]["name"] ' +
    'and Module["name"]');
});

test('every window.dyplsGlue function the program calls is defined by web/glue.js', () => {
  const defined = glueFunctionNames();
  const called = new Set();
  for (const { text } of sources) {
    for (const match of text.matchAll(/window\["dyplsGlue"\]\["([A-Za-z]+)"\]/g)) called.add(match[1]);
  }
  assert.ok(called.size >= 10, `expected the program to call the glue, found ${[...called]}`);
  const missing = [...called].filter((name) => !defined.has(name));
  assert.deepEqual(missing, [], `web/glue.js defines ${[...defined].join(', ')}`);
});

test('the built page still calls each glue function by its own name', (t) => {
  const built = path.join(webDir, 'dypls-console.js');
  if (!fs.existsSync(built)) {
    assert.fail(`${built} is missing: build the wasm preset (cmake --build --preset wasm)`);
  }
  const js = fs.readFileSync(built, 'utf8');
  const called = new Set();
  for (const { text } of sources) {
    for (const match of text.matchAll(/window\["dyplsGlue"\]\["([A-Za-z]+)"\]/g)) called.add(match[1]);
  }
  for (const name of called) {
    assert.ok(js.includes(`dyplsGlue.${name}(`) || js.includes(`dyplsGlue["${name}"](`),
      `dypls-console.js has no call of dyplsGlue.${name}: Closure renamed it`);
  }
  t.diagnostic(`${called.size} glue calls found in the built page`);
});
