// Words and small faults: no console error on load (the page ships its icon), a secret typed or
// pasted into another field is refused and never sent, Copy as curl on a V3 entry gives a V3 curl
// even after Settings went back to V1, and results read as what happened.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  click, findItem, paste, screenshot, startConsoleStack, typeInto, waitForState,
} from './lib/browser.mjs';

let stack;
const served = [];
before(async () => {
  stack = await startConsoleStack({
    locale: 'en-US',
    onPage: (page) => page.on('response', (r) => served.push([new URL(r.url()).pathname, r.status()])),
  });
});
after(() => stack?.stop());

test('loading logs no console error; the icon is served', async () => {
  const { page, consoleLines } = stack.browser;
  await page.waitForTimeout(500);
  const errors = consoleLines.filter((line) => /^(error|pageerror)/.test(line));
  assert.deepEqual(errors, [], 'no console errors on load');
  assert.ok(served.some(([path, status]) => path === '/favicon.svg' && status === 200),
    `favicon.svg served: ${JSON.stringify(served)}`);
  assert.ok(!served.some(([, status]) => status >= 400), `no failed loads: ${JSON.stringify(served)}`);
});

test('the AccessKeySecret pasted into Pool key is refused and never sent', async () => {
  const { page } = stack.browser;
  const minted = await (await fetch(`${stack.relay.url}/sandbox/assume-role`)).text();
  const { AccessKeySecret: secret, SecurityToken: token } = JSON.parse(minted).Credentials;
  await paste(page, minted);
  await waitForState(page, (s) => s.credentials.status === 'valid', { what: 'credentials' });
  await click(page, 'tab-buy');
  await click(page, 'buy-pool');
  await paste(page, `pool-${secret}`);
  let s = await waitForState(page, (x) => /AccessKeySecret or security token/.test(x.status.text),
    { what: 'the refusal' });
  assert.equal(s.buy.poolKey, '', 'the field was emptied');
  await typeInto(page, 'buy-pool', token.slice(0, 40));
  s = await waitForState(page, (x) => x.buy.poolKey === token.slice(0, 40), { what: 'a part is no secret' });
  await click(page, 'buy-pool');
  await paste(page, token);
  s = await waitForState(page, (x) => x.buy.poolKey === '', { what: 'the token refused' });
  assert.ok(!JSON.stringify(s).includes(secret) && !JSON.stringify(s).includes(token));
  assert.equal(s.logCount, 0, 'nothing was sent');
  await screenshot(page, 'words-secret-refused');
});

test('Copy as curl on a V3 entry is a V3 curl, with a note that it works once', async () => {
  const { page } = stack.browser;
  await click(page, 'tab-settings');
  await click(page, 'style-v3');
  await click(page, 'tab-stock');
  await click(page, 'query-stock');
  let s = await waitForState(page, (x) => !x.stock.busy && x.logCount > 0, { what: 'stock (V3)' });
  const id = s.log.at(-1).id;
  await click(page, 'tab-settings');
  await click(page, 'style-v1');
  s = await waitForState(page, (x) => x.settings.style === 'V1', { what: 'back to V1' });
  await click(page, 'tab-activity');
  await click(page, `log-${id}`);
  await click(page, 'copy-curl');
  await page.waitForFunction(() => window.dypls.lastCopied > 0);
  const curl = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(curl, /Authorization: ACS3-HMAC-SHA256 /, 'a V3 entry gives a V3 curl');
  assert.doesNotMatch(curl, /SignatureMethod=HMAC-SHA1/);
  const note = await findItem(page, 'curl-once');
  assert.match(note.label, /works once: its nonce is single-use/);
  await screenshot(page, 'words-curl-once');
});

test('a screen reader gets a title, a text alternative and each result', async () => {
  const { page } = stack.browser;
  assert.match(await page.title(), /Dyplsapi Console/);
  const about = await page.evaluate(() => {
    const canvas = document.getElementById('canvas');
    const described = document.getElementById(canvas.getAttribute('aria-describedby'));
    return { label: canvas.getAttribute('aria-label'), text: described?.textContent ?? '' };
  });
  assert.match(about.label, /Dyplsapi Console/);
  assert.match(about.text, /Phone Number Privacy Protection/);
  assert.match(about.text, /Tab/);
  await click(page, 'tab-stock');
  await click(page, 'query-stock');
  await waitForState(page, (x) => !x.stock.busy && /^Stock: /.test(x.status.text), { what: 'stock' });
  await page.waitForFunction(() => /Stock: \d+/.test(document.getElementById('live').textContent));
  const live = await page.evaluate(() => document.getElementById('live').getAttribute('aria-live'));
  assert.equal(live, 'polite');
});
