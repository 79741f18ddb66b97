// Small and large screens: at 390 px wide every banner button, form field and table action is
// inside the viewport (the banner wraps, forms keep one column, tables scroll sideways instead of
// clipping), and the UI scale does not compound: 1.5 -> 0.75 -> 2 -> 1 ends where it started.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  click, findItem, items, screenshot, startConsoleStack, waitForState, waitFrames,
} from './lib/browser.mjs';

let stack;
before(async () => {
  stack = await startConsoleStack({ locale: 'en-US' });
});
after(() => stack?.stop());

function assertInside(item, viewport, what) {
  assert.ok(item.x >= 0 && item.y >= 0, `${what} starts inside: ${JSON.stringify(item)}`);
  assert.ok(item.x + item.w <= viewport.width + 0.5 && item.y + item.h <= viewport.height + 0.5,
    `${what} ends inside the ${viewport.width}x${viewport.height} viewport: ${JSON.stringify(item)}`);
}

const kTabs = ['tab-credentials', 'tab-stock', 'tab-buy', 'tab-numbers', 'tab-activity',
  'tab-settings'];

async function tabWidths(page) {
  const widths = [];
  for (const key of kTabs) widths.push((await findItem(page, key)).w);
  return widths;
}

test('390 px wide: the banner, the forms and the stock table all fit', async () => {
  const { page } = stack.browser;
  // Wide, every tab is its name plus the usual padding. Narrow, the padding may shrink but
  // evenly: a tab narrower than its name (ImGui cuts it to "Creden…") would shrink by more.
  await page.setViewportSize({ width: 1280, height: 800 });
  await waitFrames(page, 4);
  const wide = await tabWidths(page);
  const viewport = { width: 390, height: 844 };
  await page.setViewportSize(viewport);
  await waitFrames(page, 4);
  await screenshot(page, 'narrow-390-start');
  for (const key of ['use-demo', 'start-tour', 'tab-credentials', 'tab-settings']) {
    assertInside(await findItem(page, key), viewport, key);
  }
  const narrow = await tabWidths(page);
  const shrunk = wide.map((w, i) => w - narrow[i]);
  assert.ok(Math.max(...shrunk) - Math.min(...shrunk) < 1.5,
    `every tab name is whole at 390 px (each tab lost the same padding): wide ${wide}, ` +
    `narrow ${narrow}`);
  await click(page, 'use-demo');
  await waitForState(page, (s) => s.credentials.status === 'valid', { what: 'demo credentials' });
  await screenshot(page, 'narrow-390-credentials');

  await click(page, 'tab-stock');
  for (const key of ['stock-spec', 'stock-city', 'stock-city-pick', 'stock-prefix', 'query-stock']) {
    assertInside(await findItem(page, key), viewport, key);
  }
  await click(page, 'query-stock');
  const s = await waitForState(page, (x) => !x.stock.busy && x.stock.rows.length > 0,
    { what: 'stock' });
  const row = s.stock.rows.find((r) => r.amount > 0 && r.city !== '全国列表');
  // The row's button is whole (not clipped by a squeezed column) and inside the viewport.
  const use = await findItem(page, `use-row-${row.city}`);
  assertInside(use, viewport, 'the row button');
  assert.ok(use.w >= 30, `the row button is not squeezed: ${use.w} px`);
  await screenshot(page, 'narrow-390-stock');
  // A wide table scrolls inside the panel: the tabs above it still fit the window.
  const withTable = await tabWidths(page);
  assert.deepEqual(withTable, narrow, 'the tab widths do not change with the panel below them');

  await click(page, `use-row-${row.city}`);
  await waitForState(page, (x) => x.buy.city === row.city, { what: 'buy form filled' });
  for (const key of ['buy-pool', 'buy-spec', 'buy-city', 'buy-city-pick', 'buy-prefix',
    'buy-quantity']) {
    assertInside(await findItem(page, key), viewport, key);
  }
  await screenshot(page, 'narrow-390-buy');
  await page.setViewportSize({ width: 1280, height: 800 });
  await waitFrames(page, 4);
});

/** Sets the UI scale the way a person can: Ctrl+click the slider, type the value, Enter. */
async function setScale(page, value) {
  await page.keyboard.down('Control');
  await click(page, 'ui-scale');
  await page.keyboard.up('Control');
  await page.keyboard.down('Control');
  await page.keyboard.press('a', { delay: 40 });
  await page.keyboard.up('Control');
  for (const ch of String(value)) await page.keyboard.press(ch, { delay: 40 });
  await page.keyboard.press('Enter', { delay: 40 });
  await waitForState(page, (x) => Math.abs(x.settings.uiScale - value) < 0.001,
    { what: `UI scale ${value}` });
  await waitFrames(page, 4);
}

test('UI scale 1.5 -> 0.75 -> 2 -> 1 returns to the same sizes', async () => {
  const { page } = stack.browser;
  await page.setViewportSize({ width: 1280, height: 800 });
  await waitFrames(page, 4);
  await click(page, 'tab-settings');
  const base = await findItem(page, 'relay-apply');
  const heights = {};
  for (const value of [1.5, 0.75, 2, 1]) {
    await setScale(page, value);
    const apply = await findItem(page, 'relay-apply');
    heights[value] = apply.h;
    // Padding scales with the text: the button's height is proportional to the scale.
    assert.ok(Math.abs(apply.h - base.h * value) <= 2,
      `at ${value} the Apply button is ${apply.h} px high, expected about ${base.h * value}`);
    const slider = await findItem(page, 'ui-scale');
    assertInside(slider, { width: 1280, height: 800 }, `the scale slider at ${value}`);
    if (value === 2) await screenshot(page, 'scale-2');
  }
  assert.ok(Math.abs(heights[1] - base.h) <= 0.5, `back at 1: ${heights[1]} vs ${base.h}`);
  const after = (await items(page)).find((i) => i.key === 'relay-apply');
  assert.equal(after.w, base.w, 'the Apply button is as wide as before the round trip');
});
