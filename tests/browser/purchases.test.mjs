// Purchases in the browser against the real sandbox through the relay: one number, then a run
// of five with its progress; double clicks on Buy and on the confirm button buy once; Stop in
// the middle of a run lets the purchase in flight finish and sends nothing more.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startRelay, webDir } from '../lib/servers.mjs';
import {
  click, findItem, openConsole, paste, screenshot, startConsoleStack, state, waitForState,
} from './lib/browser.mjs';
import {
  buyCalls, clickTwice, doubleClick, fillBuyForm, mintCredentials, sandboxControl, useCredentials,
} from './qa/harness.mjs';

const CITY = '杭州';
const STOCK = 40;

let sandbox;
let relay;
let browser;
let control;

let stack;
before(async () => {
  stack = await startConsoleStack({ sandboxArgs: ['--stock', `1:${CITY}:${STOCK}`] });
  ({ sandbox, relay, browser } = stack);
  control = sandboxControl(sandbox);
  await useCredentials(browser.page, (await mintCredentials(relay)).text, paste);
});

after(() => stack?.stop());

const numbersIn = async () => (await control.state()).numbers.map((n) => n.secretNo);
const stockOf = async () =>
  (await control.state()).stock.find((x) => x.city === CITY && x.specId === 1).amount;

/** Presses Buy, then the confirm button; resolves once the run has started. */
async function buyAndConfirm(page) {
  await click(page, 'buy');
  await waitForState(page, (s) => s.run.phase === 'confirming', { what: 'confirmation' });
  await click(page, 'confirm-buy');
  await waitForState(page, (s) => s.run.phase !== 'confirming', { what: 'run started' });
}

test('buy one, then five with progress, five results and five numbers in the sandbox', async () => {
  const { page } = browser;
  await fillBuyForm(page, { city: CITY, poolKey: sandbox.poolKey, quantity: 1 });
  await buyAndConfirm(page);
  let s = await waitForState(page, (x) => x.run.phase === 'done', { what: 'one bought' });
  assert.equal(s.run.bought, 1);
  assert.equal(buyCalls(s).length, 1);
  const first = s.run.attempts[0].secretNo;
  assert.deepEqual(await numbersIn(), [first], 'the sandbox holds exactly that number');
  assert.equal(await stockOf(), STOCK - 1);

  // Five, slowed down so the progress can be watched between purchases.
  await control.faults({ latencyMs: 400 });
  await fillBuyForm(page, { city: CITY, poolKey: sandbox.poolKey, quantity: 5 });
  await buyAndConfirm(page);
  const seen = new Set();
  const told = [];
  s = await waitForState(page, (x) => {
    if (x.run.phase === 'sending') seen.add(x.run.bought);
    // navigator.locks grants the pool's lock a moment after it is asked for: this tab is alone,
    // so it is never told that another tab is buying.
    if (x.run.queuedBehindTab || /Another tab/.test(x.status.text)) told.push(x.status.text);
    return x.run.phase === 'done';
  }, { what: 'five bought', timeoutMs: 20000 });
  assert.ok(seen.size >= 3, `progress was visible between purchases: saw bought = ${[...seen]}`);
  assert.deepEqual(told, [], 'a tab alone is never told another tab is buying');
  assert.equal(s.run.quantity, 5);
  assert.equal(s.run.bought, 5);
  assert.equal(s.run.attempts.length, 5, 'five results, no failed or repeated attempt');
  assert.ok(s.run.attempts.every((a) => a.result === 'bought' && /^\d{11,}$/.test(a.secretNo)));
  const five = s.run.attempts.map((a) => a.secretNo);
  assert.equal(new Set(five).size, 5, 'five different numbers');
  assert.equal(buyCalls(s).length, 6, 'one BuySecretNo per number, 1 + 5');
  assert.equal(s.status.level, 'success');
  assert.match(s.status.text, /Bought: 5/);
  await screenshot(page, 'qa-40-bought-five');

  const world = await numbersIn();
  assert.equal(world.length, 6);
  for (const number of five) assert.ok(world.includes(number), `the sandbox holds ${number}`);
  assert.equal(await stockOf(), STOCK - 6);
  // The Numbers tab lists all six.
  await click(page, 'tab-numbers');
  for (const number of [first, ...five]) assert.ok(s.numbers.some((n) => n.secretNo === number));
  await findItem(page, `release-${five[4]}`);
  await control.faults({ latencyMs: 0 });
});

test('a double click on Buy and on the confirm button makes exactly one purchase', async () => {
  const { page } = browser;
  const before = await numbersIn();
  await fillBuyForm(page, { city: CITY, poolKey: sandbox.poolKey, quantity: 1 });
  // The two-click gesture really delivers two clicks: the quantity's + button counts them.
  await clickTwice(page, '+');
  assert.equal((await state(page)).buy.quantity, 3, 'two clicks reached the program');
  await clickTwice(page, '-');
  let s = await state(page);
  assert.equal(s.buy.quantity, 1);
  const buysBefore = buyCalls(s).length;

  // A fast OS double click on Buy opens one confirmation and sends nothing.
  await doubleClick(page, 'buy');
  s = await waitForState(page, (x) => x.run.phase === 'confirming', { what: 'confirmation' });
  await page.waitForTimeout(300);
  s = await state(page);
  assert.equal(s.run.phase, 'confirming');
  assert.equal(buyCalls(s).length, buysBefore, 'Buy alone never sends a purchase');
  // Two deliberate clicks on Buy while confirming change nothing either.
  await clickTwice(page, 'buy');
  s = await state(page);
  assert.equal(s.run.phase, 'confirming');
  assert.equal(buyCalls(s).length, buysBefore);

  // Two clicks on the confirm button, each held across frames, so both surely arrive.
  await control.faults({ latencyMs: 400 });
  await clickTwice(page, 'confirm-buy');
  s = await waitForState(page, (x) => x.run.phase === 'done', { what: 'bought once' });
  await control.faults({ latencyMs: 0 });
  assert.equal(s.run.bought, 1);
  assert.equal(buyCalls(s).length, buysBefore + 1, 'exactly one BuySecretNo sent');
  await page.waitForTimeout(500);
  s = await state(page);
  assert.equal(buyCalls(s).length, buysBefore + 1, 'and none later');
  const after = await numbersIn();
  assert.equal(after.length, before.length + 1, 'the sandbox counts exactly one purchase');
});

test('through a rate-limited relay a run waits as told and buys each number once', async () => {
  const { page } = browser;
  const strict = await startRelay(sandbox.url,
    ['--static', webDir, '--sandbox', '--rate', '1', '--burst', '2']);
  try {
    await openConsole(page, `${strict.url}/`);
    await waitForState(page, (s) => s.relay.loaded, { what: 'relay config' });
    await useCredentials(page, (await mintCredentials(strict)).text, paste);
    const before = await numbersIn();
    await fillBuyForm(page, { city: CITY, poolKey: sandbox.poolKey, quantity: 4 });
    await buyAndConfirm(page);
    const s = await waitForState(page, (x) => ['done', 'failed', 'stopped', 'outcome-unknown']
      .includes(x.run.phase), { what: 'run ended', timeoutMs: 30000 });
    assert.equal(s.run.phase, 'done', JSON.stringify(s.run.attempts));
    assert.equal(s.run.bought, 4);
    const limited = s.run.attempts.filter((a) => a.result === 'throttled');
    assert.ok(limited.length >= 1, 'the relay refused at least one purchase for the rate');
    assert.ok(limited.every((a) => a.code === 'Relay.RateLimited'), JSON.stringify(limited));
    assert.equal(buyCalls(s).length, 4 + limited.length, 'one call per attempt');
    const bought = s.run.attempts.filter((a) => a.result === 'bought').map((a) => a.secretNo);
    assert.equal(new Set(bought).size, 4);
    assert.equal((await numbersIn()).length - before.length, 4, 'the sandbox sold exactly four');
  } finally {
    await strict.stop();
    // Back to the ordinary relay for the next test.
    await openConsole(page, `${relay.url}/`);
    await waitForState(page, (s) => s.relay.loaded, { what: 'relay config' });
    await useCredentials(page, (await mintCredentials(relay)).text, paste);
  }
});

test('Stop in the middle of a run lets the purchase in flight finish and sends nothing more', async () => {
  const { page } = browser;
  const before = await numbersIn();
  await fillBuyForm(page, { city: CITY, poolKey: sandbox.poolKey, quantity: 5 });
  let s = await state(page);
  const buysBefore = buyCalls(s).length;
  await control.faults({ latencyMs: 700 });
  await buyAndConfirm(page);
  // Stop while the second purchase is in flight.
  await waitForState(page, (x) => x.run.phase === 'sending' && x.run.bought === 1,
    { what: 'second purchase in flight' });
  await click(page, 'stop-run');
  s = await state(page);
  assert.equal(s.run.stopRequested, true);
  // Still sending: the purchase in flight when Stop was pressed is this one, and it counts.
  const inFlight = s.run.phase === 'sending' ? s.run.bought + 1 : null;
  if (inFlight) await screenshot(page, 'qa-41-stopping');
  s = await waitForState(page, (x) => x.run.phase === 'stopped', { what: 'stopped', timeoutMs: 10000 });
  await control.faults({ latencyMs: 0 });
  assert.ok(s.run.bought >= 1 && s.run.bought < 5, `stopped early: bought ${s.run.bought}`);
  if (inFlight) assert.equal(s.run.bought, inFlight, 'the purchase in flight finished and counted');
  const sent = buyCalls(s).length - buysBefore;
  assert.equal(sent, s.run.bought, 'every purchase sent was the one in flight or before it');
  assert.match(s.status.text, /Stopped/);
  await screenshot(page, 'qa-42-stopped');
  // Nothing more goes out afterwards, and the sandbox agrees with the console.
  await page.waitForTimeout(1500);
  s = await state(page);
  assert.equal(buyCalls(s).length - buysBefore, sent);
  const after = await numbersIn();
  assert.equal(after.length - before.length, s.run.bought);
});
