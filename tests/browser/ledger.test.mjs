// The durable purchase ledger in a real browser profile, against the real relay and sandbox:
// an unknown outcome survives a reload (nothing can be bought, nothing is sent), a page closed
// mid-purchase leaves an unknown outcome, the page asks before being left, resolving with a
// typed number records exactly that number, numbers and history come back after a reload, two
// tabs never have two purchases in flight and between them know every number the sandbox sold,
// and no secret is in any storage afterwards.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  click, findItem, items, openConsole, paste, screenshot, startConsoleStack, state, typeInto,
  waitForState,
} from './lib/browser.mjs';
import {
  assertAbsent, browserStorage, fillBuyForm, mintCredentials, sandboxControl, useCredentials,
  watchPurchases,
} from './qa/harness.mjs';

const CITY = '杭州';

let stack;
let control;
let creds;
const buyRequests = [];  // { page, start, end } for every BuySecretNo any tab sent

before(async () => {
  stack = await startConsoleStack({ sandboxArgs: ['--stock', `1:${CITY}:40`] });
  control = sandboxControl(stack.sandbox);
  creds = await mintCredentials(stack.relay);
  watchPurchases(stack.browser.page, 'A', buyRequests);
});

after(() => stack?.stop());

const sandboxNumbers = async () => (await control.state()).numbers.map((n) => n.secretNo);

async function ready(page) {
  await useCredentials(page, creds.text, paste);
  await fillBuyForm(page, { city: CITY, poolKey: stack.sandbox.poolKey, quantity: 1 });
}

async function reload(page) {
  // A fresh page on this loaded 2-core machine can take a while to draw its first frame.
  await openConsole(page, `${stack.relay.url}/`, { timeoutMs: 60000 });
  return waitForState(page, (s) => s.relay.loaded, { what: 'reloaded', timeoutMs: 30000 });
}

async function buyAndConfirm(page) {
  await click(page, 'tab-buy');
  await click(page, 'buy');
  await waitForState(page, (s) => s.run.phase === 'confirming', { what: 'confirmation' });
  await click(page, 'confirm-buy');
}

test('an unknown outcome survives a reload: still blocked, nothing sent; the typed number is recorded exactly', async () => {
  const { page } = stack.browser;
  await ready(page);
  await control.faults({ dropAfterCommit: 1 });
  await buyAndConfirm(page);
  let s = await waitForState(page, (x) => x.run.phase === 'outcome-unknown', { what: 'unknown' });
  await control.faults({ dropAfterCommit: 0 });
  const committed = await sandboxNumbers();
  assert.equal(committed.length, 1, 'the sandbox committed the purchase');
  assert.equal(s.ledger.attempts.length, 1);
  assert.equal(s.ledger.attempts[0].outcome, 'unknown');
  assert.equal(await page.evaluate(() => window.dypls.leaveWarning), true, 'leaving would warn');

  s = await reload(page);
  assert.ok(s.unknown, 'the reload still knows the unknown outcome');
  assert.equal(s.ledger.attempts[0].unresolved, true);
  // The page opens on Credentials: a notice above the tabs says so, and leads to Buy.
  await screenshot(page, 'ledger-unknown-notice');
  await click(page, 'go-reconcile');
  await findItem(page, 'reconcile');
  assert.ok(!(await items(page)).some((i) => i.key === 'go-reconcile'), 'Buy shows the panel, not the notice');
  await ready(page);
  const sentBefore = buyRequests.length;
  await click(page, 'buy');
  await page.waitForTimeout(300);
  s = await state(page);
  assert.notEqual(s.run.phase, 'confirming', 'Buy is refused while the outcome is unknown');
  assert.equal(buyRequests.length, sentBefore, 'no BuySecretNo was sent');
  assert.deepEqual(await sandboxNumbers(), committed, 'nothing more was bought');

  await screenshot(page, 'ledger-reconcile');  // docs/screenshots/reconcile-after-reload-en.png
  // The number the sandbox committed, typed into the reconcile box: Check now looks it up, and
  // a number of the pool bought after the attempt started settles it with no further question.
  await typeInto(page, 'unknown-number', committed[0]);
  await click(page, 'reconcile');
  s = await waitForState(page, (x) => x.unknown === null, { what: 'settled by number' });
  assert.deepEqual(s.numbers.map((n) => n.secretNo), committed, 'exactly the typed number');
  assert.equal(s.numbers[0].origin, 'bought');
  assert.equal(s.ledger.attempts[0].settlement, 'bought');
  assert.equal(s.ledger.attempts[0].how, 'checked-by-number');
  assert.equal(s.ledger.attempts[0].secretNo, committed[0]);
  assert.match(s.reconcileNote, new RegExp(`^Checked by number: ${committed[0]} is in pool`));

  // Numbers and history come back after a reload.
  s = await reload(page);
  assert.deepEqual(s.numbers.map((n) => n.secretNo), committed);
  assert.ok(s.log.some((e) => e.action === 'BuySecretNo'), 'the activity history is back');
  assert.equal(s.unknown, null);
  assert.ok(!(await items(page)).some((i) => i.key === 'go-reconcile'), 'settled: no notice');
  assert.equal(await page.evaluate(() => window.dypls.leaveWarning), false);
});

test('a page closed mid-purchase: the reopened page calls it unknown and blocks the pool', async () => {
  const { context, page: first } = stack.browser;
  await ready(first);
  await control.faults({ latencyMs: 2500 });
  await buyAndConfirm(first);
  await waitForState(first, (x) => x.run.phase === 'sending', { what: 'in flight' });
  // The page asks before being left while a purchase is in flight.
  let dialog = null;
  first.once('dialog', (d) => { dialog = d.type(); d.accept(); });
  await first.close({ runBeforeUnload: true });
  const deadline = Date.now() + 5000;
  while (!first.isClosed() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(dialog, 'beforeunload', 'the browser asked before leaving');
  await control.faults({ latencyMs: 0 });

  const page = await context.newPage();
  stack.browser.page = page;
  watchPurchases(page, 'A2', buyRequests);
  let s = await reload(page);
  const open = s.ledger.attempts.filter((a) => a.unresolved);
  assert.equal(open.length, 1, 'the attempt with no answer is unresolved');
  assert.equal(open[0].outcome, 'pending');
  // The closed page's lock is free: once it has been free a moment (an outcome written just
  // before could still be arriving), the attempt is an unknown outcome, and blocks the pool.
  s = await waitForState(page, (x) => x.unknown !== null, { what: 'shown as unknown' });
  assert.ok(s.unknown.noOutcomeRecorded, 'shown as an unknown outcome with no answer recorded');
  assert.deepEqual(s.buyingElsewhere, [], 'not as another tab buying');
  const sentBefore = buyRequests.length;
  await ready(page);
  await click(page, 'tab-buy');
  await click(page, 'reconcile');
  assert.equal(buyRequests.length, sentBefore, 'no BuySecretNo was sent');
  await waitForState(page, (x) => x.unknown && x.unknown.reconciled, { what: 'reconciled' });
  await click(page, 'resolve-bought');
  s = await waitForState(page, (x) => x.unknown === null, { what: 'resolved' });
  const missing = s.ledger.attempts.filter((a) => a.numberMissing);
  assert.equal(missing.length, 1, 'bought without a number: a row asks for it');
});

test('two tabs buying at once: never two purchases in flight, every number sold is known', async () => {
  const { context, page: a } = stack.browser;
  const b = await context.newPage();
  watchPurchases(b, 'B', buyRequests);
  await reload(b);
  await ready(b);
  await fillBuyForm(b, { city: CITY, poolKey: stack.sandbox.poolKey, quantity: 3 });
  // A hidden tab draws no frames: each tab is brought to the front to be used, as a person does.
  await a.bringToFront();
  await ready(a);
  await fillBuyForm(a, { city: CITY, poolKey: stack.sandbox.poolKey, quantity: 3 });
  await control.faults({ latencyMs: 2000 });  // A's run outlasts B's clicks
  const firstBuy = buyRequests.length;
  const soldBefore = new Set(await sandboxNumbers());
  await buyAndConfirm(a);
  await waitForState(a, (x) => x.run.phase === 'sending', { what: 'A buying' });
  await b.bringToFront();  // A's run goes on meanwhile
  await buyAndConfirm(b);
  let sb = await waitForState(b, (x) => x.run.phase === 'queued', { what: 'B waits its turn' });
  assert.match(sb.status.text, /Another tab is buying/);
  await screenshot(b, 'ledger-second-tab-waiting');  // docs/screenshots/second-tab-waiting-en.png
  const sa = await waitForState(a, (x) => x.run.phase === 'done', { what: 'A done', timeoutMs: 30000 });
  sb = await waitForState(b, (x) => x.run.phase === 'done', { what: 'B done', timeoutMs: 30000 });
  await control.faults({ latencyMs: 0 });
  assert.equal(sa.run.bought + sb.run.bought, 6);

  const mine = buyRequests.slice(firstBuy).sort((x, y) => x.start - y.start);
  assert.equal(mine.length, 6);
  for (let i = 1; i < mine.length; ++i) {
    assert.ok(mine[i].start >= mine[i - 1].end,
      `purchase ${i} (${mine[i].page}) left before ${mine[i - 1].page}'s answer came`);
  }
  // Every number the sandbox sold is in some tab's ledger; each tab sees them all.
  const sold = (await sandboxNumbers()).filter((n) => !soldBefore.has(n));
  assert.equal(sold.length, 6, 'the sandbox sold six');
  const known = (s) => new Set([...s.numbers.map((n) => n.secretNo),
    ...s.ledger.attempts.map((x) => x.secretNo).filter(Boolean)]);
  const finalA = await waitForState(a, (x) => sold.every((n) => known(x).has(n)),
    { what: 'tab A knows every number sold' });
  const finalB = await state(b);
  for (const number of sold) {
    assert.ok(known(finalA).has(number) || known(finalB).has(number), `${number} is in a ledger`);
  }
  for (const number of sb.run.attempts.map((x) => x.secretNo)) {
    assert.ok(known(finalA).has(number), `tab A sees tab B's ${number}`);
  }
  await b.close();
});

test('no secret in any storage afterwards; the ledger holds no key id in full', async () => {
  const { page } = stack.browser;
  const storage = await browserStorage(page);
  assert.ok(storage.localStorageKeys.length > 0, 'the ledger is in localStorage');
  for (const key of storage.localStorageKeys) assert.match(key, /^dypls\.(ledger|lease):/);
  assertAbsent(creds.secret, { storage: JSON.stringify(storage) }, 'the AccessKeySecret');
  assertAbsent(creds.token, { storage: JSON.stringify(storage) }, 'the SecurityToken');
  assertAbsent(creds.keyId, { localStorage: storage.localStorage }, 'the full AccessKeyId');
});

