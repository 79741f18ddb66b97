// No work when idle: the page stops drawing when nothing can change, ticks once a second while
// a countdown is shown, and still draws input in the very next animation frame.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { click, findItem, startConsoleStack, waitForState } from './lib/browser.mjs';

let stack;
let page;

before(async () => {
  stack = await startConsoleStack();
  page = stack.browser.page;
});

after(async () => {
  await stack?.stop();
});

const frames = () => page.evaluate(() => window.dypls.frames());

/** Frames drawn over `ms` with nothing happening, after the last input's settling frames. */
async function framesWhileIdle(ms) {
  await page.waitForTimeout(1200);
  const before = await frames();
  await page.waitForTimeout(ms);
  return (await frames()) - before;
}

/**
 * Animation frames from a real input on the idle page until a frame is drawn; the probe's rAF
 * callbacks run after the program's in the same frame, so 1 means the very next frame.
 */
async function framesUntilDrawn(send) {
  await page.waitForTimeout(1200);
  const probe = page.evaluate(() => new Promise((resolve) => {
    const start = () => {
      const frames0 = window.dypls.frames();
      let ticks = 0;
      const tick = () => {
        ticks += 1;
        if (window.dypls.frames() > frames0 || ticks >= 120) resolve(ticks);
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    };
    window.addEventListener('mousemove', start, { once: true });
    window.addEventListener('keydown', start, { once: true });
  }));
  await page.waitForTimeout(100);
  await send();
  return probe;
}

test('an idle page with nothing that can change draws no frames', async () => {
  const drawn = await framesWhileIdle(3000);
  assert.ok(drawn <= 1, `${drawn} frames in 3 s of nothing happening`);
});

test('a mouse move and a key press on the idle page are drawn in the next frame', async () => {
  assert.equal(await framesUntilDrawn(() => page.mouse.move(300, 200)), 1, 'mouse move');
  assert.equal(await framesUntilDrawn(() => page.keyboard.press('Shift')), 1, 'key press');
});

test('a click on the idle page works: the tab it names opens', async () => {
  await page.waitForTimeout(1200);
  await click(page, 'tab-activity');
  await findItem(page, 'export-csv');
});

test('with credentials the countdown ticks once a second, and no more', async () => {
  await click(page, 'use-demo');
  const state = await waitForState(page, (s) => s.credentials.status === 'valid',
    { what: 'demo credentials' });
  assert.ok(state.credentials.secondsLeft > 60);
  const drawn = await framesWhileIdle(4000);
  assert.ok(drawn >= 3 && drawn <= 6, `${drawn} frames in 4 s with a countdown shown`);
});
