// Never buy twice by accident, in the browser against the real sandbox: the sandbox commits a
// purchase and drops the answer; the console must call the outcome unknown, send nothing more,
// refuse the next purchase until the person reconciles and decides.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  click, findItem, paste, screenshot, state, typeInto, useConsoleStack, waitForState,
} from './lib/browser.mjs';

const stack = useConsoleStack();

async function setFaults(faults) {
  const response = await fetch(`${stack.sandbox.url}/sandbox/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(faults),
  });
  assert.equal(response.status, 200, await response.text());
}

const sandboxState = async () => (await fetch(`${stack.sandbox.url}/sandbox/state`)).json();
const buys = (s) => s.log.filter((e) => e.action === 'BuySecretNo').length;

test('a dropped purchase answer blocks buying until reconciled', async () => {
  const { page } = stack.browser;
  await paste(page, await (await fetch(`${stack.relay.url}/sandbox/assume-role`)).text());
  await waitForState(page, (x) => x.credentials.status === 'valid', { what: 'credentials' });

  await click(page, 'tab-stock');
  await typeInto(page, 'stock-city', '');
  await click(page, 'stock-city-pick');
  await click(page, 'stock-city-opt-全国列表');
  await click(page, 'query-stock');
  let s = await waitForState(page, (x) => x.stock.rows.length > 0, { what: 'stock' });
  const { city, amount } = s.stock.rows[0];
  await click(page, `use-row-${city}`);
  await typeInto(page, 'buy-pool', stack.sandbox.poolKey);

  await setFaults({ dropAfterCommit: 1 });
  await click(page, 'buy');
  // A double click on "Buy now" sends one purchase.
  const confirm = await findItem(page, 'confirm-buy');
  await page.mouse.dblclick(confirm.x + confirm.w / 2, confirm.y + confirm.h / 2);
  s = await waitForState(page, (x) => x.run.phase === 'outcome-unknown', { what: 'outcome unknown' });
  assert.equal(buys(s), 1, 'one purchase sent, no retry');
  assert.ok(s.unknown, 'an unresolved unknown purchase is recorded');
  let world = await sandboxState();
  assert.equal(world.numbers.length, 1, 'the sandbox did commit the purchase');
  await screenshot(page, '20-outcome-unknown');

  // Buying again is refused while the outcome is unknown.
  await setFaults({ dropAfterCommit: 0 });
  await click(page, 'buy');
  await page.waitForTimeout(300);
  s = await state(page);
  assert.equal(s.run.phase, 'outcome-unknown');
  assert.equal(buys(s), 1);

  // Reconcile: the stock for that city is one less than before.
  await click(page, 'reconcile');
  s = await waitForState(page, (x) => x.unknown && x.unknown.reconciled, { what: 'reconciled' });
  assert.equal(s.log.at(-1).action, 'QuerySecretNoRemain');
  const row = s.stock.rows.find((r) => r.city === city);
  assert.equal(row.amount, amount - 1);
  await screenshot(page, '21-reconciled');
  await click(page, 'resolve-bought');
  s = await waitForState(page, (x) => x.unknown === null && x.run.phase === 'idle', { what: 'resolved' });

  // Now a purchase may go again, and it does exactly once.
  await click(page, 'buy');
  await click(page, 'confirm-buy');
  s = await waitForState(page, (x) => x.run.phase === 'done', { what: 'second purchase' });
  assert.equal(buys(s), 2);
  world = await sandboxState();
  assert.equal(world.numbers.length, 2);
});
