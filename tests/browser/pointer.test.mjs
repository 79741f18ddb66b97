// Clicks and taps as they really arrive: a phone's tap and a fast click both reach the page as
// move + press + release before its next frame (and a tap's touch events come first). Each must
// press what is under the finger, once, and never the place pressed before.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { findItem, items, startConsoleStack, waitForState } from './lib/browser.mjs';

const phone = { touch: true, viewport: { width: 390, height: 844 } };
const center = (item) => ({ x: item.x + item.w / 2, y: item.y + item.h / 2 });
const opened = async (page, key) => (await items(page)).some((item) => item.key === key);

/** Each scenario gets its own idle page: the bug shows only when input wakes a paused page. */
async function onIdlePage(launchOptions, scenario) {
  const stack = await startConsoleStack({ launchOptions });
  try {
    await stack.browser.page.waitForTimeout(1200);  // past the settling frames: the page is idle
    await scenario(stack.browser.page);
  } finally {
    await stack.stop();
  }
}

let demoRequests = 0;
let stack;

before(async () => {
  stack = await startConsoleStack({
    launchOptions: phone,
    onPage: (page) => page.on('request', (request) => {
      if (request.url().includes('/sandbox/assume-role')) demoRequests += 1;
    }),
  });
});

after(() => stack?.stop());

test('a tap on a phone opens the tab under the finger', async () => {
  const { page } = stack.browser;
  await page.waitForTimeout(1200);
  const { x, y } = center(await findItem(page, 'tab-activity'));
  await page.touchscreen.tap(x, y);
  await findItem(page, 'export-csv');
});

test('a tap elsewhere never presses the place tapped before', async () => {
  const { page } = stack.browser;
  const tab = center(await findItem(page, 'tab-credentials'));
  await page.touchscreen.tap(tab.x, tab.y);
  const demo = center(await findItem(page, 'use-demo'));
  await page.waitForTimeout(1200);
  await page.touchscreen.tap(demo.x, demo.y);
  await waitForState(page, (s) => s.credentials.status === 'valid', { what: 'demo credentials' });
  assert.equal(demoRequests, 1, 'one tap, one request for demo credentials');
  // The next tap lands far from the button; before, the button was pressed again first.
  await page.waitForTimeout(1200);
  const activity = center(await findItem(page, 'tab-activity'));
  await page.touchscreen.tap(activity.x, activity.y);
  await findItem(page, 'export-csv');
  await page.waitForTimeout(500);
  assert.equal(demoRequests, 1, 'the tap on another place pressed the demo button again');
});

test('a click as fast as a program makes it works on an idle page', async () => {
  await onIdlePage({ viewport: { width: 390, height: 844 } }, async (page) => {
    const rest = center(await findItem(page, 'tab-credentials'));
    await page.mouse.move(rest.x, rest.y);  // the pointer rests on another tab meanwhile
    await page.waitForTimeout(1200);
    const { x, y } = center(await findItem(page, 'tab-activity'));
    await page.mouse.click(x, y);  // move, press and release with no time between
    await findItem(page, 'export-csv');
    assert.ok(await opened(page, 'export-csv'));
  });
});
