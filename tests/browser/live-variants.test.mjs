// The live API's variants, in the browser against the sandbox's scripted answers (POST
// /sandbox/faults): throttling with a retry-after in milliseconds, a 全国列表 answer without a
// top-level total, business codes with HTTP 400, and BuySecretNo refused as an action. Each ends
// in a clear state and message, and none is called "outcome unknown".
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  click, paste, screenshot, startConsoleStack, state, waitForState,
} from './lib/browser.mjs';
import {
  buyCalls, fillBuyForm, mintCredentials, sandboxControl, useCredentials,
} from './qa/harness.mjs';

const CITY = '杭州';

let sandbox;
let relay;
let browser;
let control;
let stack;

before(async () => {
  stack = await startConsoleStack({ sandboxArgs: ['--stock', `1:${CITY}:40`] });
  ({ sandbox, relay, browser } = stack);
  control = sandboxControl(sandbox);
  await useCredentials(browser.page, (await mintCredentials(relay)).text, paste);
});

after(() => stack?.stop());

const settled = (s) => !['confirming', 'sending', 'waiting'].includes(s.run.phase);
const numbersIn = async (city) => (await control.state()).numbers.filter((n) => n.city === city).length;

async function buyAndConfirm(page) {
  await click(page, 'buy');
  await waitForState(page, (s) => s.run.phase === 'confirming', { what: 'confirmation' });
  await click(page, 'confirm-buy');
}

test('throttled with x-acs-retry-after 1500 (ms): a countdown, then the run completes in seconds', async () => {
  const { page } = browser;
  await fillBuyForm(page, { city: CITY, poolKey: sandbox.poolKey, quantity: 2 });
  const numbersBefore = await numbersIn(CITY);
  const buysBefore = buyCalls(await state(page)).length;
  await control.faults({
    action: 'BuySecretNo', code: 'Throttling.User', status: 400, count: 1, retryAfterMs: 1500,
  });
  const started = Date.now();
  await buyAndConfirm(page);
  let s = await waitForState(page, (x) => x.run.phase === 'waiting', { what: 'throttled, waiting' });
  assert.equal(s.run.waitMs, 1500, 'x-acs-retry-after is milliseconds: 1.5 s, not 25 minutes');
  assert.equal(s.run.attempts.at(-1).result, 'throttled');
  assert.equal(s.run.attempts.at(-1).code, 'Throttling.User');
  assert.equal(s.status.level, 'warning');
  assert.match(s.status.text, /Throttled: retrying in 1\.5 s/);
  // The countdown and Stop are on screen while it waits.
  const keys = (await page.evaluate(() => window.dypls.items())).map((i) => i.key);
  assert.ok(keys.includes('stop-run'), 'Stop is offered during the wait');
  await screenshot(page, 'live-10-throttle-countdown');

  s = await waitForState(page, settled, { what: 'run ended', timeoutMs: 10000 });
  const elapsed = Date.now() - started;
  assert.equal(s.run.phase, 'done');
  assert.equal(s.run.bought, 2);
  assert.deepEqual(s.run.attempts.map((a) => a.result), ['throttled', 'bought', 'bought']);
  assert.ok(elapsed >= 1400, `waited the 1.5 s asked for (${elapsed} ms)`);
  assert.ok(elapsed < 8000, `completed in seconds, not minutes (${elapsed} ms)`);
  assert.equal(buyCalls(s).length - buysBefore, 3, 'one call per attempt');
  assert.equal(await numbersIn(CITY) - numbersBefore, 2, 'the sandbox sold exactly two');
});

test('全国列表 without a top-level total: the console shows the sum of the rows', async () => {
  const { page } = browser;
  await click(page, 'tab-stock');
  await click(page, 'stock-city-pick');
  await click(page, 'stock-city-opt-全国列表');
  await click(page, 'query-stock');
  const s = await waitForState(page, (x) => !x.stock.busy && x.stock.rows.length > 0
    && x.log.at(-1)?.action === 'QuerySecretNoRemain' && !x.log.at(-1).pending, { what: 'stock' });
  const sum = s.stock.rows.reduce((total, row) => total + row.amount, 0);
  assert.ok(sum > 0);
  assert.equal(s.stock.totalSource, 'summed', 'the answer had no total, and the console says so');
  assert.equal(s.stock.total, sum, 'not 0 above a full table');
  assert.equal(s.status.text, `Stock: ${sum}`);
  const world = (await control.state()).stock.filter((x) => x.specId === 1);
  assert.equal(sum, world.reduce((total, x) => total + x.amount, 0), 'the sandbox agrees');
  await screenshot(page, 'live-11-nationwide-list-summed');
});

test('isp.RAM_PERMISSION_DENY with HTTP 400 on Buy stops the run with its hint, not "unknown"', async () => {
  const { page } = browser;
  await fillBuyForm(page, { city: CITY, poolKey: sandbox.poolKey, quantity: 3 });
  const numbersBefore = await numbersIn(CITY);
  const buysBefore = buyCalls(await state(page)).length;
  await control.faults({ action: 'BuySecretNo', code: 'isp.RAM_PERMISSION_DENY', status: 400 });
  await buyAndConfirm(page);
  const s = await waitForState(page, settled, { what: 'run stopped' });
  assert.equal(s.run.phase, 'failed', 'a refusal, not "outcome-unknown"');
  assert.equal(s.unknown, null, 'nothing to reconcile');
  assert.deepEqual(s.run.attempts.map((a) => [a.result, a.code]), [['failed', 'isp.RAM_PERMISSION_DENY']]);
  assert.equal(buyCalls(s).length - buysBefore, 1, 'not retried');
  assert.equal(s.log.at(-1).httpStatus, 400);
  assert.equal(s.status.level, 'error');
  assert.match(s.status.text, /lacks permission for this action\. Grant it AliyunDyplsFullAccess/);
  assert.equal(await numbersIn(CITY), numbersBefore);
  await screenshot(page, 'live-12-ram-denied-400');
});

test('BuySecretNo refused as an action: "buy in Alibaba\'s console", and every other panel works', async () => {
  const { page } = browser;
  await fillBuyForm(page, { city: CITY, poolKey: sandbox.poolKey, quantity: 2 });
  const numbersBefore = await numbersIn(CITY);
  const buysBefore = buyCalls(await state(page)).length;
  await control.faults({ action: 'BuySecretNo', code: 'InvalidAction.NotFound', status: 404 });
  await buyAndConfirm(page);
  let s = await waitForState(page, settled, { what: 'run stopped' });
  assert.equal(s.run.phase, 'failed', 'a definite "not bought", never "outcome unknown"');
  assert.equal(s.unknown, null);
  assert.equal(s.run.buyInConsole, true);
  assert.deepEqual(s.run.attempts.map((a) => [a.result, a.code]), [['failed', 'InvalidAction.NotFound']]);
  assert.equal(buyCalls(s).length - buysBefore, 1, 'not retried');
  assert.match(s.status.text, /cannot buy numbers through the API.*Buy them in the Alibaba Cloud console/);
  assert.match(s.status.text, /manage them here/);
  assert.equal(await numbersIn(CITY), numbersBefore);
  await screenshot(page, 'live-13-buy-refused-as-action');

  // Stock still answers, and a number bought elsewhere can be looked up and managed here.
  await click(page, 'tab-stock');
  await click(page, 'query-stock');
  s = await waitForState(page, (x) => !x.stock.busy && x.log.at(-1)?.action === 'QuerySecretNoRemain'
    && !x.log.at(-1).pending, { what: 'stock after the refusal' });
  assert.equal(s.log.at(-1).code, 'OK');
  assert.equal(s.stock.error, '');
  const owned = (await control.state()).numbers.find((n) => n.city === CITY);
  assert.ok(owned, 'a number from the first test');
  const lookups = s.log.filter((e) => e.action === 'QuerySecretNoDetail').length;
  await click(page, 'tab-numbers');
  await click(page, `refresh-${owned.secretNo}`);
  s = await waitForState(page, (x) => x.log.filter((e) => e.action === 'QuerySecretNoDetail').length > lookups
    && !x.log.at(-1).pending, { what: 'number looked up' });
  assert.equal(s.log.at(-1).code, 'OK');
  assert.equal(s.run.phase, 'failed', 'the refusal stays on the Buy tab; nothing else is blocked');
});
