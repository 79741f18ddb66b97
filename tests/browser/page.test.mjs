// The page around the program: sharp on high-DPI screens, a clear message without WebGL2, and
// its files precompressed (brotli for browsers that take it, gzip for the rest) and each fetched
// once.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';

import { startRelay, startSandbox, webDir } from '../lib/servers.mjs';

import { findItem, launch, openConsole, screenshot, state, waitForState } from './lib/browser.mjs';

let sandbox;
let relay;

before(async () => {
  sandbox = await startSandbox();
  relay = await startRelay(sandbox.url, ['--static', webDir, '--sandbox']);
});

after(async () => {
  await relay?.stop();
  await sandbox?.stop();
});

test(
    'on a 2x screen the canvas has twice the pixels and rectangles stay in CSS pixels',
    async () => {
      const browser = await launch({deviceScaleFactor: 2, viewport: {width: 900, height: 600}});
      try {
        const {page} = browser;
        await openConsole(page, `${relay.url}/`);
        await waitForState(page, (s) => s.relay.loaded, {what: 'relay config'});
        await page.waitForFunction(() => document.getElementById('canvas').width === 1800);
        const canvas = await page.evaluate(() => {
          const c = document.getElementById('canvas');
          const r = c.getBoundingClientRect();
          return {width: c.width, height: c.height, cssWidth: r.width, cssHeight: r.height};
        });
        assert.deepEqual(canvas, {width: 1800, height: 1200, cssWidth: 900, cssHeight: 600});
        const tab = await findItem(page, 'tab-stock');
        assert.ok(tab.x > 0 && tab.x + tab.w < 900 && tab.y + tab.h < 600, JSON.stringify(tab));
        await screenshot(page, '40-hidpi');
      } finally {
        await browser.close();
      }
    });

test('without WebGL2 the page says so and what to do', async () => {
  const browser = await launch({extraArgs: ['--disable-gpu', '--disable-software-rasterizer']});
  try {
    const {page} = browser;
    await page.goto(`${relay.url}/`);
    await page.waitForSelector('#fatal:not([hidden])', {timeout: 10000});
    const text = await page.textContent('#fatal');
    assert.match(text, /WebGL2/);
    assert.match(text, /hardware acceleration/);
  } finally {
    await browser.close();
  }
});

/**
 * Opens the page in a browser that `initScript` makes unable to run it; resolves to the message
 * shown and the program or font files requested by then (none are expected).
 */
async function refusedBeforeDownload(initScript) {
  const browser = await launch();
  try {
    const {page} = browser;
    const requested = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await page.addInitScript(initScript);
    await page.goto(`${relay.url}/`);
    await page.waitForSelector('#fatal:not([hidden])', {timeout: 10000});
    const text = await page.textContent('#fatal');
    await page.waitForTimeout(300);  // a download started anyway would show by now
    return {text, downloads: requested.filter((p) => /\.(wasm|ttf)$/.test(p))};
  } finally {
    await browser.close();
  }
}

test('a browser without WebGL2 at all is told so before the program is downloaded', async () => {
  const {text, downloads} =
      await refusedBeforeDownload(() => { delete window.WebGL2RenderingContext; });
  assert.match(text, /WebGL2/);
  assert.deepEqual(downloads, []);
});

test('a browser whose WebAssembly lacks bulk memory is told to update before the program is downloaded', async () => {
  // An engine without bulk memory refuses any module that uses it.
  const {text, downloads} = await refusedBeforeDownload(() => {
    const validate = WebAssembly.validate;
    WebAssembly.validate = (bytes) => !new Uint8Array(bytes).some(
      (b, i, all) => b === 0xfc && (all[i + 1] === 0x0a || all[i + 1] === 0x0b)) && validate(bytes);
  });
  assert.match(text, /newer browser/);
  assert.match(text, /Firefox 79/);
  assert.deepEqual(downloads, []);
});

test('the loading bar does not read 100% while the program has not arrived', async () => {
  const browser = await launch();
  try {
    const {page} = browser;
    await page.route('**/dypls-console.wasm', () => {});  // held: no answer, not even headers
    await page.goto(`${relay.url}/`);
    await page.waitForFunction(() => Number(document.getElementById('loading')
      .getAttribute('aria-valuenow')) > 0, null, {timeout: 10000});  // the font has come
    await page.waitForTimeout(300);
    const percent = Number(await page.getAttribute('#loading', 'aria-valuenow'));
    assert.ok(percent > 0 && percent < 100, `the bar reads ${percent}%`);
    assert.equal(await page.isVisible('#loading'), true);
  } finally {
    await browser.close();
  }
});

test('on a slow network the loading bar follows the decoded bytes of the program, not its compressed size', async () => {
  const browser = await launch();
  try {
    const {page} = browser;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    // 400 kbit/s: the program (about 270 KB brotli, 700 KB decoded) takes several seconds.
    await cdp.send('Network.emulateNetworkConditions',
      {offline: false, latency: 20, downloadThroughput: 50000, uploadThroughput: 50000});
    page.goto(`${relay.url}/`).catch(() => {});
    await page.waitForFunction(() => performance.getEntriesByType('resource')
      .some((e) => e.name.endsWith('/dypls-font.ttf')), null, {timeout: 20000});
    await page.waitForTimeout(1500);  // the program well past its compressed size's share
    const seen = await page.evaluate(() => ({
      percent: Number(document.getElementById('loading').getAttribute('aria-valuenow')),
      programDone: performance.getEntriesByType('resource').some((e) => e.name.endsWith('.wasm')),
    }));
    assert.equal(seen.programDone, false, 'the program came too fast to tell');
    // Counted against the compressed size, the decoded bytes would read 90-100% by now.
    assert.ok(seen.percent > 20 && seen.percent < 80, `the bar reads ${seen.percent}%`);
  } finally {
    await browser.close();
  }
});

test('a dropped font download is tried again; a font that never comes leaves the console in English', async () => {
  for (const failures of [1, Infinity]) {
    const browser = await launch({locale: 'zh-CN'});
    try {
      const {page} = browser;
      let tries = 0;
      await page.route('**/dypls-font.ttf', (route) => (++tries <= failures ? route.abort('connectionreset') : route.continue()));
      await openConsole(page, `${relay.url}/`);
      const shown = await state(page);
      if (failures === 1) {
        assert.equal(tries, 2);
        assert.equal(shown.settings.language, 'zh');
        assert.equal(await page.evaluate(() => window.dypls.missingGlyphs('号码隐私保护控制台')), '');
      } else {
        assert.equal(tries, 3, 'the font is asked for three times in all');
        // Chinese would be all '?' with the built-in font: English, and the reason said.
        assert.equal(shown.settings.language, 'en');
        assert.match(shown.status.text, /Chinese font could not be downloaded/);
      }
      assert.equal(await page.isVisible('#fatal'), false);
    } finally {
      await browser.close();
    }
  }
});

test('a dropped program download is tried again; one that never comes is said plainly', async () => {
  for (const failures of [2, Infinity]) {
    const browser = await launch();
    try {
      const {page} = browser;
      let tries = 0;
      await page.route('**/dypls-console.wasm', (route) => (++tries <= failures ? route.abort('connectionreset') : route.continue()));
      await page.goto(`${relay.url}/`);
      if (failures === 2) {
        await page.waitForFunction(() => window.dypls && window.dypls.frames() > 0, null, {timeout: 20000});
        assert.equal(tries, 3);
        assert.equal(await page.isVisible('#fatal'), false);
      } else {
        await page.waitForSelector('#fatal:not([hidden])', {timeout: 20000});
        assert.equal(tries, 3, 'the program is asked for three times in all');
        assert.match(await page.textContent('#fatal'), /could not be loaded: reload the page/);
      }
    } finally {
      await browser.close();
    }
  }
});

test('every page file has a .br and a .gz beside it holding the same bytes', () => {
  const files = fs.readdirSync(webDir).filter((f) => !/\.(br|gz)$/.test(f));
  for (const name of ['index.html', 'glue.js', 'dypls-console.js', 'dypls-console.wasm', 'dypls-font.ttf']) {
    assert.ok(files.includes(name), `${name} is missing from ${webDir}`);
  }
  for (const name of files) {
    const raw = fs.readFileSync(path.join(webDir, name));
    const br = fs.readFileSync(path.join(webDir, `${name}.br`));
    const gz = fs.readFileSync(path.join(webDir, `${name}.gz`));
    assert.ok(zlib.brotliDecompressSync(br).equals(raw), `${name}.br is not ${name}`);
    assert.ok(zlib.gunzipSync(gz).equals(raw), `${name}.gz is not ${name}`);
    if (raw.length > 4096) assert.ok(br.length < gz.length, `${name}: brotli is not smaller than gzip`);
  }
});

test('Chromium gets the program, the font and the scripts brotli-compressed', async () => {
  const browser = await launch();
  try {
    const {page} = browser;
    const encodings = new Map();
    page.on('response', async (response) => {
      const name = new URL(response.url()).pathname.slice(1);
      if (/\.(wasm|ttf|js)$/.test(name)) encodings.set(name, (await response.allHeaders())['content-encoding']);
    });
    await openConsole(page, `${relay.url}/`);
    for (const name of ['dypls-console.wasm', 'dypls-font.ttf', 'dypls-console.js', 'glue.js']) {
      assert.equal(encodings.get(name), 'br', `${name}: ${JSON.stringify([...encodings])}`);
    }
  } finally {
    await browser.close();
  }
});

test('a cold load fetches every file once, the program and the font included, within the CSP', async () => {
  const browser = await launch();
  try {
    const {page} = browser;
    const fetched = new Map();
    page.on('request', (request) => {
      const name = new URL(request.url()).pathname;
      fetched.set(name, (fetched.get(name) ?? 0) + 1);
    });
    const complaints = [];
    page.on('console', (message) => {
      if (/preload|Content Security Policy/i.test(message.text())) complaints.push(message.text());
    });
    await openConsole(page, `${relay.url}/`);
    await page.waitForFunction(() => window.dypls.fontComplete, null, {timeout: 20000});
    for (const name of ['/', '/glue.js', '/dypls-console.js', '/dypls-console.wasm', '/dypls-font.ttf',
      '/dypls-font-rest.ttf']) {
      assert.ok(fetched.has(name), `${name} was not fetched: ${JSON.stringify([...fetched])}`);
    }
    // Each download costs the first frame; none may come twice (a preload hint whose mode or
    // credentials differ from glue.js's fetch() would make Chromium fetch its file again).
    for (const [name, count] of fetched) assert.equal(count, 1, `${name} fetched ${count} times`);
    assert.deepEqual(complaints, []);
  } finally {
    await browser.close();
  }
});
