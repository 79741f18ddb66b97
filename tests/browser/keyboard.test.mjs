// The console with the keyboard alone: paste credentials, query stock, buy one number and release
// it without touching the mouse; at 390 px, Tab brings each of a number's actions and each request
// of Activity into view. Tab / Shift+Tab move through fields and buttons, Enter submits the
// current form or presses the focused button, Escape closes the confirmation, and the focus ring
// stays visible throughout; a screen reader hears the focused widget's label and role.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  click, findItem, paste, screenshot, startConsoleStack, waitForState, waitFrames,
} from './lib/browser.mjs';

let stack;
before(async () => {
  stack = await startConsoleStack({ locale: 'en-US' });
});
after(() => stack?.stop());

const focused = (page) => page.evaluate(() => window.dypls.focused());

async function key(page, name) {
  await page.keyboard.press(name, { delay: 40 });
  await page.waitForTimeout(40);
}

/**
 * Presses Tab (or Shift+Tab) until the widget with this key has focus; returns the keys focus
 * went through, the wanted one last.
 */
async function tabTo(page, wanted, { back = false, max = 60 } = {}) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await key(page, back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    seen.push(now.key);
    if (now.key === wanted) {
      assert.equal(now.ring, true, `the focus ring is visible on ${wanted}`);
      return seen;
    }
  }
  throw new Error(`Tab never reached ${wanted}; focus went through: ${seen.join(' > ')}`);
}

async function typeText(page, text) {
  for (const ch of text) await page.keyboard.press(ch, { delay: 30 });
}

test('paste -> stock -> buy -> release with the keyboard alone', async () => {
  const { page } = stack.browser;
  const { sandbox, relay } = stack;
  // Nothing may be clicked in this test: count mouse presses reaching the page.
  await page.evaluate(() => {
    window.mousePresses = 0;
    window.addEventListener('mousedown', () => { window.mousePresses++; }, true);
  });

  // 1. Credentials: Ctrl+V anywhere on the page.
  const minted = await (await fetch(`${relay.url}/sandbox/assume-role`)).text();
  await paste(page, minted);
  await waitForState(page, (s) => s.credentials.status === 'valid', { what: 'credentials' });

  // 2. Stock: Tab to the Stock tab, Enter opens it; Tab to the query button, Enter queries.
  await tabTo(page, 'tab-stock');
  const announced = await page.evaluate(() => document.getElementById('live-focus').textContent);
  assert.match(announced, /Stock, tab/, 'the focused widget is announced with its role');
  await key(page, 'Enter');
  await tabTo(page, 'stock-prefix');
  assert.equal((await focused(page)).role, 'textbox');
  // Enter in a field of the form runs the query.
  await key(page, 'Enter');
  let s = await waitForState(page, (x) => !x.stock.busy && x.stock.rows.length > 0,
    { what: 'stock after Enter in the prefix field' });
  const row = s.stock.rows.find((r) => r.amount > 0 && r.city !== '全国列表');
  assert.ok(row, 'a city with stock');

  // 3. The row's "Use" button fills the Buy form; the pool key is typed; Enter submits.
  await tabTo(page, `use-row-${row.city}`);
  await key(page, 'Enter');
  await waitForState(page, (x) => x.buy.city === row.city, { what: 'form filled from the row' });
  await tabTo(page, 'buy-pool');
  await typeText(page, sandbox.poolKey);
  await waitForState(page, (x) => x.buy.poolKey === sandbox.poolKey, { what: 'pool key typed' });
  await key(page, 'Enter');
  await waitForState(page, (x) => x.run.phase === 'confirming', { what: 'confirmation by Enter' });
  // The focus moved into the confirmation, onto Cancel (two Enters never buy).
  assert.equal((await focused(page)).key, 'cancel-buy');
  await screenshot(page, 'keyboard-confirm');
  // Escape closes it without buying.
  await key(page, 'Escape');
  s = await waitForState(page, (x) => x.run.phase !== 'confirming', { what: 'Escape closes' });
  assert.equal(s.log.filter((e) => e.action === 'BuySecretNo').length, 0, 'nothing bought');
  // Again, and this time Shift+Tab back to "Buy now" and press Enter.
  await tabTo(page, 'buy');
  await key(page, 'Enter');
  await waitForState(page, (x) => x.run.phase === 'confirming', { what: 'confirmation again' });
  await tabTo(page, 'confirm-buy', { back: true });
  await key(page, 'Enter');
  s = await waitForState(page, (x) => x.run.phase === 'done', { what: 'purchase done' });
  assert.equal(s.run.bought, 1);
  const number = s.run.attempts[0].secretNo;

  // 4. Numbers: Tab to the tab, Enter; Tab to the release field, type the number, Enter.
  await tabTo(page, 'tab-numbers', { back: true });
  await key(page, 'Enter');
  await tabTo(page, `release-confirm-${number}`);
  await typeText(page, number);
  await key(page, 'Enter');
  s = await waitForState(page, (x) => x.numbers.some((n) => n.secretNo === number && n.released),
    { what: 'released by Enter' });
  assert.equal(s.log.at(-1).action, 'ReleaseSecretNo');
  assert.equal(s.log.at(-1).code, 'OK');
  const world = await (await fetch(`${sandbox.url}/sandbox/state`)).json();
  assert.ok(!world.numbers.some((n) => n.secretNo === number), 'the sandbox released it');
  assert.equal(await page.evaluate(() => window.mousePresses), 0, 'the mouse was never pressed');
});

test('390 px wide: Tab brings each of a number\'s actions into view, whole', async () => {
  const { page } = stack.browser;
  // A number to act on (the form is still filled by the test above); the mouse may be used here.
  await page.setViewportSize({ width: 1280, height: 800 });
  await click(page, 'tab-buy');
  await click(page, 'buy');
  await waitForState(page, (x) => x.run.phase === 'confirming', { what: 'confirmation' });
  await click(page, 'confirm-buy');
  const s = await waitForState(page, (x) => x.run.phase === 'done', { what: 'purchase done' });
  const number = s.run.attempts[0].secretNo;
  await click(page, 'tab-numbers');
  const actions = ['copy', 'refresh', 'lock', 'release-confirm', 'release'].map((a) => `${a}-${number}`);
  const wide = {};
  for (const action of actions) wide[action] = (await findItem(page, action)).w;

  const viewport = { width: 390, height: 844 };
  await page.setViewportSize(viewport);
  await waitFrames(page, 4);
  await click(page, 'tab-numbers');
  const steps = await tabTo(page, actions[0], { max: 40 });
  // The column headers sort nothing: no Tab stop without a name between Export and the rows.
  assert.ok(!steps.includes(''), `every Tab stop has a name: ${steps.join(' > ')}`);
  for (const action of actions) {
    if (action !== actions[0]) {
      if (action === `release-${number}`) await typeText(page, number);  // Release needs it
      await key(page, 'Tab');
    }
    assert.equal((await focused(page)).key, action);
    await waitFrames(page, 3);
    if (action === `release-confirm-${number}`) {
      // A field without a visible label is announced by its prompt, not by its key.
      const announced = await page.evaluate(() => document.getElementById('live-focus').textContent);
      assert.equal(announced, `Type ${number} to release it. This cannot be undone., text field`);
    }
    const item = await findItem(page, action, { timeoutMs: 2000 });
    assert.ok(item.x >= 0 && item.x + item.w <= viewport.width + 0.5,
      `${action} is inside the 390 px viewport once focused: ${JSON.stringify(item)}`);
    assert.ok(item.w >= wide[action] - 0.5,
      `${action} is whole (${item.w} px shown of ${wide[action]}): ${JSON.stringify(item)}`);
  }
  await screenshot(page, 'keyboard-390-release');
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('390 px wide: Tab reaches every Activity row; Enter opens it; Tab reaches its Copy buttons', async () => {
  const { page } = stack.browser;
  const viewport = { width: 390, height: 844 };
  await page.setViewportSize(viewport);
  await waitFrames(page, 4);
  await click(page, 'tab-activity');
  await findItem(page, 'export-csv');  // the Activity panel is drawn
  const { log } = await waitForState(page, (x) => x.log.length >= 3, { what: 'a few requests' });
  const steps = await tabTo(page, 'tab-settings');
  // One stop per request (the table was one unnamed stop, its rows out of Tab's reach).
  const rows = steps.filter((k) => k.startsWith('log-'));
  assert.equal(rows.length, log.length, `a Tab stop per request: ${steps.join(' > ')}`);
  assert.ok(!steps.includes(''), `every Tab stop has a name: ${steps.join(' > ')}`);
  await tabTo(page, rows[0]);
  await key(page, 'Enter');
  await tabTo(page, 'copy-curl');
  await tabTo(page, 'copy-answer');
  await waitFrames(page, 3);
  const copy = await findItem(page, 'copy-answer', { timeoutMs: 2000 });
  assert.ok(copy.y >= 0 && copy.y + copy.h <= viewport.height && copy.x + copy.w <= viewport.width,
    `the focused Copy is in view: ${JSON.stringify(copy)}`);
  await screenshot(page, 'keyboard-390-activity');
  await page.setViewportSize({ width: 1280, height: 800 });
});
