// The page around the program: sharp on high-DPI screens, and a clear message without WebGL2.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startRelay, startSandbox, webDir } from '../lib/servers.mjs';

import { findItem, launch, openConsole, screenshot, waitForState } from './lib/browser.mjs';

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
