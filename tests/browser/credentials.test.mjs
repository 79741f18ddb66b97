// Credentials in the browser: the paste area, shell-export lines, a wrong secret diagnosed as
// such, remember-in-tab (sessionStorage only, opt-in), Forget; and IME input into a field.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  click, openConsole, paste, screenshot, typeInto, useConsoleStack, waitForState,
} from './lib/browser.mjs';

const stack = useConsoleStack();

const exportsFor = (id, secret) =>
  `export ALIBABA_CLOUD_ACCESS_KEY_ID=${id}\nexport ALIBABA_CLOUD_ACCESS_KEY_SECRET=${secret}\n`;

test('a wrong secret pasted into the paste area is diagnosed, then fixed by Ctrl+V', async () => {
  const { page } = stack.browser;
  await click(page, 'paste-area');
  await paste(page, exportsFor(stack.sandbox.account.id, 'not-the-right-secret'));
  await click(page, 'use-pasted');
  let s = await waitForState(page, (x) => x.credentials.status === 'no-expiry', { what: 'long-term key' });
  assert.equal(s.credentials.hasToken, false);

  await click(page, 'tab-stock');
  await click(page, 'query-stock');
  s = await waitForState(page, (x) => !x.stock.busy && x.logCount === 1, { what: 'answer' });
  assert.equal(s.log[0].code, 'SignatureDoesNotMatch');
  assert.equal(s.stock.error, 'SignatureDoesNotMatch');
  await click(page, 'tab-activity');
  await click(page, `log-${s.log[0].id}`);
  await screenshot(page, '30-signature-mismatch');

  // Ctrl+V with no field active replaces the credentials.
  await click(page, 'tab-stock');
  await paste(page, exportsFor(stack.sandbox.account.id, stack.sandbox.account.secret));
  await page.waitForTimeout(200);
  await click(page, 'query-stock');
  s = await waitForState(page, (x) => !x.stock.busy && x.logCount === 2, { what: 'second answer' });
  assert.equal(s.log[1].code, 'OK');
});

test('credentials saved as a named profile can be switched back to', async () => {
  const { page } = stack.browser;
  await click(page, 'tab-credentials');
  await typeInto(page, 'profile-name', 'longterm');
  await click(page, 'save-profile');
  let s = await waitForState(page, (x) => x.credentials.profiles.includes('longterm'), { what: 'saved' });
  assert.equal(s.credentials.activeProfile, 'longterm');
  await screenshot(page, '32-profiles');
  await click(page, 'delete-profile-longterm');
  s = await waitForState(page, (x) => x.credentials.profiles.length === 0, { what: 'deleted' });
  assert.equal(s.credentials.status, 'no-expiry', 'deleting a profile keeps the active credentials');
});

test('remember in this tab is opt-in, sessionStorage only, and Forget wipes it', async () => {
  const { page } = stack.browser;
  // Apart from the purchase ledger and the tab's activity, which hold no secret.
  const storage = () => page.evaluate(() => {
    const other = (keys) => keys.filter((k) => !/^dypls\.(ledger|lease):/.test(k) && k !== 'dypls.activity');
    return { session: other(Object.keys(sessionStorage)), local: other(Object.keys(localStorage)) };
  });
  assert.deepEqual(await storage(), { session: [], local: [] }, 'nothing stored by default');
  await click(page, 'tab-credentials');
  await click(page, 'remember');
  await waitForState(page, (x) => x.credentials.rememberInTab, { what: 'remember' });
  let stored = await storage();
  assert.deepEqual(stored.session, ['dypls.credentials']);
  assert.deepEqual(stored.local, []);
  await screenshot(page, '31-credentials');

  // A reload in the same tab keeps them.
  await openConsole(page, `${stack.relay.url}/`);
  let s = await waitForState(page, (x) => x.credentials.status === 'no-expiry', { what: 'restored' });
  assert.equal(s.credentials.rememberInTab, true);

  await click(page, 'forget');
  s = await waitForState(page, (x) => x.credentials.status === 'none', { what: 'forgotten' });
  stored = await storage();
  assert.deepEqual(stored, { session: [], local: [] });
});

test('IME composition reaches the focused field', async () => {
  const { page } = stack.browser;
  await click(page, 'tab-buy');
  await click(page, 'buy-city');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.imeSetComposition', { text: 'hangzhou', selectionStart: 8, selectionEnd: 8 });
  await cdp.send('Input.insertText', { text: '杭州' });
  const s = await waitForState(page, (x) => x.buy.city === '杭州', { what: 'IME text' });
  assert.equal(s.buy.city, '杭州');
});
