// Reconciliation and numbers brought in from elsewhere, against the real relay and sandbox in
// Chromium: an unknown outcome (the connection dropped after the sandbox committed the purchase)
// settled by typing its number, recorded as "checked by number" with exactly that number; a
// number of another purchase leaves it unresolved, saying why; three numbers bought outside the
// page, pasted as a list on Numbers, are each looked up and listed; after a reload, the stock
// before (kept with the attempt) and after (fetched by itself, once) back a "stock diff" verdict.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { popCall, popClient } from '../sandbox/sdk_clients.mjs';
import {
  click, openConsole, paste, screenshot, startConsoleStack, typeInto, waitFrames,
  waitForState,
} from './lib/browser.mjs';
import { fillBuyForm, mintCredentials, sandboxControl, useCredentials } from './qa/harness.mjs';

const CITY = '杭州';

let stack;
let control;
let pop;  // a client outside the page: "bought in Alibaba Cloud's console"
let creds;

before(async () => {
  stack = await startConsoleStack({ sandboxArgs: ['--stock', `1:${CITY}:40`] });
  control = sandboxControl(stack.sandbox);
  const { account } = stack.sandbox;
  pop = popClient(new URL(stack.sandbox.url).port, { id: account.id, secret: account.secret });
  creds = await mintCredentials(stack.relay);
  await useCredentials(stack.browser.page, creds.text, paste);
});

after(() => stack?.stop());

const sandboxNumbers = async () => (await control.state()).numbers.map((n) => n.secretNo);

async function buyElsewhere() {
  const answer = await popCall(pop, 'BuySecretNo',
    { PoolKey: stack.sandbox.poolKey, SpecId: 1, City: CITY });
  assert.equal(answer.Code, 'OK', JSON.stringify(answer));
  return answer.SecretBuyInfoDTO.SecretNo;
}

async function loseAPurchase(page) {
  await fillBuyForm(page, { city: CITY, poolKey: stack.sandbox.poolKey, quantity: 1 });
  const before = new Set(await sandboxNumbers());
  await control.faults({ dropAfterCommit: 1 });
  await click(page, 'tab-buy');
  await click(page, 'buy');
  await waitForState(page, (s) => s.run.phase === 'confirming', { what: 'confirmation' });
  await click(page, 'confirm-buy');
  await waitForState(page, (s) => s.run.phase === 'outcome-unknown', { what: 'unknown' });
  // The figure after is fetched by itself; its answer adds lines above the number field. Clicking
  // the field before it lands would click where the field was, and the typing would go nowhere.
  await waitForState(page, (s) => s.unknown && s.unknown.stockAfter !== null &&
    !s.unknown.reconciling, { what: 'the stock fetched by itself' });
  await control.faults({ dropAfterCommit: 0 });
  const committed = (await sandboxNumbers()).filter((n) => !before.has(n));
  assert.equal(committed.length, 1, 'the sandbox committed the purchase');
  return committed[0];
}

test('a number bought before the attempt leaves it unresolved; its own number settles it', async () => {
  const { page } = stack.browser;
  const older = await buyElsewhere();
  // Well apart: PurchaseTime has whole seconds, and the check allows two for the clocks.
  await new Promise((resolve) => { setTimeout(resolve, 3500); });
  const committed = await loseAPurchase(page);

  // A number of the pool, but bought before this purchase started: not proof, said plainly.
  await typeInto(page, 'unknown-number', older);
  await click(page, 'reconcile');
  let s = await waitForState(page, (x) => x.unknown && x.unknown.numberVerdict !== '' &&
    !x.unknown.checkingNumber && x.unknown.stockAfter !== null, { what: 'checked' });
  assert.equal(s.unknown.numberVerdict, 'bought-before');
  assert.match(s.unknown.numberCheck, /before this purchase started/);
  assert.equal(s.ledger.attempts.filter((a) => a.unresolved).length, 1, 'still unresolved');
  assert.ok(!s.numbers.some((n) => n.secretNo === older), 'not recorded as bought');

  // A number not in the pool at all.
  await typeInto(page, 'unknown-number', '13900000000');
  await click(page, 'reconcile');
  s = await waitForState(page, (x) => x.unknown && x.unknown.numberVerdict === 'not-in-pool' &&
    !x.unknown.checkingNumber, { what: 'not in pool' });
  assert.match(s.unknown.numberCheck, /is not a number of pool/);
  await screenshot(page, 'reconcile-not-in-pool');  // docs/screenshots/reconcile-not-in-pool-en.png

  // The number the sandbox committed: recorded at once, as checked by number.
  await typeInto(page, 'unknown-number', committed);
  await click(page, 'reconcile');
  s = await waitForState(page, (x) => x.unknown === null, { what: 'settled by number' });
  const attempt = s.ledger.attempts.find((a) => a.secretNo === committed);
  assert.ok(attempt, 'the attempt has exactly the typed number');
  assert.equal(attempt.settlement, 'bought');
  assert.equal(attempt.how, 'checked-by-number');
  assert.equal(s.run.phase, 'idle');
  assert.deepEqual(s.numbers.filter((n) => n.origin === 'bought').map((n) => n.secretNo),
    [committed]);
  assert.match(s.reconcileNote, /^Checked by number: .* after this purchase started/);
  await screenshot(page, 'reconcile-checked-by-number');  // docs/screenshots/checked-by-number-en.png
});

test('three numbers bought elsewhere, pasted as a list on Numbers, are looked up and listed', async () => {
  const { page } = stack.browser;
  const bought = [await buyElsewhere(), await buyElsewhere(), await buyElsewhere()];
  await click(page, 'tab-numbers');
  await typeInto(page, 'lookup-pool', stack.sandbox.poolKey);
  await click(page, 'import-title');
  await click(page, 'import-numbers');
  await paste(page, `number\n+86${bought[0]}\n${bought[1]}, ${bought[2]}\nnot a number\n`);
  await click(page, 'import-numbers-go');
  const s = await waitForState(page, (x) => x.numberImport.total === 3 && !x.numberImport.active,
    { what: 'import finished', timeoutMs: 30000 });
  assert.equal(s.numberImport.found, 3);
  assert.deepEqual(s.numberImport.problems.map((p) => p.line), [4], 'the bad line, by number');
  for (const number of bought) {
    const row = s.numbers.find((n) => n.secretNo === number);
    assert.ok(row, `${number} is on the Numbers tab`);
    assert.equal(row.origin, 'looked-up');
    assert.equal(row.poolKey, stack.sandbox.poolKey);
  }
  const lookups = s.log.filter((e) => e.action === 'QuerySecretNoDetail');
  assert.ok(lookups.length >= 3, 'each number was looked up');
  await screenshot(page, 'numbers-imported');  // docs/screenshots/numbers-imported-en.png
});

test('after a reload the stock before (kept with the attempt) and after (fetched by itself) are shown', async () => {
  const { page } = stack.browser;
  await click(page, 'tab-stock');
  await typeInto(page, 'stock-city', '');
  await click(page, 'stock-city-pick');
  await click(page, 'stock-city-opt-全国列表');
  await click(page, 'query-stock');
  let s = await waitForState(page, (x) => !x.stock.busy && x.stock.rows.some((r) => r.city === CITY),
    { what: 'stock' });
  const before = s.stock.rows.find((r) => r.city === CITY).amount;
  await loseAPurchase(page);
  s = await waitForState(page, (x) => x.ledger.attempts.some((a) => a.unresolved), { what: 'ledger' });
  const attempt = s.ledger.attempts.find((a) => a.unresolved);
  assert.equal(attempt.stockBefore?.amount, before, 'the figure is kept with the attempt');
  assert.equal(attempt.stockBefore.city, CITY);

  // A reload: the figure before comes back from the ledger; the one after is fetched once the
  // credentials can sign.
  await openConsole(page, `${stack.relay.url}/`, { timeoutMs: 60000 });
  s = await waitForState(page, (x) => x.relay.loaded && x.unknown !== null, { what: 'reloaded' });
  assert.equal(s.unknown.stockBefore, before);
  assert.equal(s.unknown.stockAfter, null, 'nothing can be signed before credentials');
  const stockQueries = (x) => x.log.filter((e) => e.action === 'QuerySecretNoRemain').length;
  const queriesBefore = stockQueries(s);  // the tab's activity comes back after a reload
  await useCredentials(page, creds.text, paste);
  s = await waitForState(page, (x) => x.unknown && x.unknown.stockAfter !== null &&
    !x.unknown.reconciling, { what: 'the stock after fetched by itself' });
  assert.equal(s.unknown.stockBefore, before);
  assert.equal(s.unknown.stockAfter, before - 1, 'the sandbox sold one');
  await page.evaluate(() => window.dypls.wake());  // more frames: still fetched only once
  s = await waitForState(page, (x) => x.unknown !== null, { what: 'more frames' });
  assert.equal(stockQueries(s), queriesBefore + 1, 'fetched once');
  await click(page, 'tab-buy');
  await screenshot(page, 'reconcile-stock-after-reload-1280');  // docs/screenshots/…-1280-en.png
  await page.setViewportSize({ width: 390, height: 844 });
  await waitFrames(page, 3);
  await screenshot(page, 'reconcile-stock-after-reload-390');  // docs/screenshots/…-390-en.png
  await page.setViewportSize({ width: 1280, height: 800 });
  await waitFrames(page, 3);  // laid out anew before the buttons are looked up

  await click(page, 'resolve-bought');
  s = await waitForState(page, (x) => x.unknown === null, { what: 'settled' });
  const settled = s.ledger.attempts.find((a) => a.id === attempt.id);
  assert.equal(settled.how, 'stock-diff', 'the stock difference backed the verdict');
});
