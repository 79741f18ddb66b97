// The storage-lease fallback for the cross-tab purchase lock (`?lock=lease`, for browsers without
// navigator.locks), against the real relay and sandbox in Chromium: two tabs of one profile
// buying in the same pool never have two BuySecretNo in flight, and the waiting tab says so.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  click, openConsole, paste, useConsoleStack, waitForState,
} from './lib/browser.mjs';
import {
  fillBuyForm, mintCredentials, sandboxControl, useCredentials, watchPurchases,
} from './qa/harness.mjs';

const CITY = '杭州';
const stack = useConsoleStack({ sandboxArgs: ['--stock', `1:${CITY}:40`], open: false });

async function openWithLease(page, creds) {
  await openConsole(page, `${stack.relay.url}/?lock=lease`, { timeoutMs: 60000 });
  await waitForState(page, (s) => s.relay.loaded, { what: 'relay config', timeoutMs: 30000 });
  assert.equal(await page.evaluate(() => window.dypls.lockMode), 'lease');
  await useCredentials(page, creds.text, paste);
  await fillBuyForm(page, { city: CITY, poolKey: stack.sandbox.poolKey, quantity: 2 });
}

// Each press once: another tab's purchase in flight shows as "another tab is buying" below the
// form (never as an unknown outcome above it), so nothing moves the buttons between finding and
// pressing them.
async function buyAndConfirm(page) {
  await click(page, 'tab-buy');
  await click(page, 'buy');
  await waitForState(page, (s) => s.run.phase === 'confirming', { what: 'confirmation' });
  await click(page, 'confirm-buy');
  await waitForState(page, (s) => s.run.phase !== 'confirming', { what: 'confirmed' });
}

test('with the storage lease, two tabs never have two purchases in flight', async () => {
  const control = sandboxControl(stack.sandbox);
  const creds = await mintCredentials(stack.relay);
  const { context, page: a } = stack.browser;
  const b = await context.newPage();
  const buys = [];
  watchPurchases(a, 'A', buys);
  watchPurchases(b, 'B', buys);
  await openWithLease(b, creds);
  // A hidden tab draws no frames: each tab is brought to the front to be used, as a person does.
  await a.bringToFront();
  await openWithLease(a, creds);

  await control.faults({ latencyMs: 2000 });  // A's run outlasts B's clicks
  await buyAndConfirm(a);
  await waitForState(a, (s) => s.run.phase === 'sending', { what: 'A buying' });
  await b.bringToFront();
  // B sees A's purchase in flight as such (the lease is held there), never as unknown.
  const seen = await waitForState(b, (s) => s.buyingElsewhere.length > 0,
    { what: 'B shows another tab buying' });
  assert.equal(seen.unknown, null);
  await buyAndConfirm(b);
  // Waiting, B shows A's purchase in flight as another tab buying, not as an unknown outcome.
  const waiting = await waitForState(b, (s) => s.run.phase === 'queued' && s.unknown === null,
    { what: 'B waits its turn, showing no unknown outcome' });
  assert.match(waiting.status.text, /Another tab is buying/);
  const leases = await b.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('dypls.lease:')));
  assert.equal(leases.length, 1, 'the lock is a lease in localStorage while A buys');
  const sa = await waitForState(a, (s) => s.run.phase === 'done', { what: 'A done', timeoutMs: 30000 });
  const sb = await waitForState(b, (s) => s.run.phase === 'done', { what: 'B done', timeoutMs: 30000 });
  await control.faults({ latencyMs: 0 });
  assert.equal(sa.run.bought + sb.run.bought, 4);

  const ordered = buys.sort((x, y) => x.start - y.start);
  assert.equal(ordered.length, 4);
  for (let i = 1; i < ordered.length; ++i) {
    assert.ok(ordered[i].end !== null && ordered[i].start >= ordered[i - 1].end,
      `purchase ${i} (${ordered[i].page}) left before ${ordered[i - 1].page}'s answer came`);
  }
  await b.close();
});
