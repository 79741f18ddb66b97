// The sandbox walkthrough in English: demo credentials, the guided tour (paste -> stock -> buy
// -> release), then V3 signing, the Activity details, copy as curl, CSV/JSON export, settings.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';

import {
  click, findItem, items, screenshot, state, typeInto, useConsoleStack, waitForState,
} from './lib/browser.mjs';

const stack = useConsoleStack();

const visible = async (page, key) => (await items(page)).some((item) => item.key === key);

test('the tour walks from demo credentials to a released number', async () => {
  const { page } = stack.browser;
  let s = await state(page);
  assert.equal(s.settings.language, 'en', 'the language follows the browser');
  await click(page, 'start-tour');
  await findItem(page, 'tour-next');
  await click(page, 'use-demo');
  s = await waitForState(page, (x) => x.credentials.status === 'valid', { what: 'demo credentials' });
  assert.equal(s.credentials.hasToken, true);
  // Step 2 opened the Stock tab by itself.
  await findItem(page, 'query-stock');
  await screenshot(page, '10-tour-stock');
  await click(page, 'query-stock');
  s = await waitForState(page, (x) => x.stock.rows.length > 0, { what: 'stock' });
  const city = s.stock.rows[0].city;
  await click(page, `use-row-${city}`);
  await typeInto(page, 'buy-pool', stack.sandbox.poolKey);
  await click(page, 'buy');
  await click(page, 'confirm-buy');
  s = await waitForState(page, (x) => x.run.phase === 'done', { what: 'bought' });
  const number = s.run.attempts[0].secretNo;
  // Step 4 opened Numbers.
  await findItem(page, `release-confirm-${number}`);
  await typeInto(page, `release-confirm-${number}`, number);
  await screenshot(page, '11-tour-release');
  await click(page, `release-${number}`);
  await waitForState(page, (x) => x.numbers.some((n) => n.released), { what: 'released' });
  await page.waitForTimeout(150);
  assert.equal(await visible(page, 'tour-next'), false, 'the tour ends after the release');
});


test('V3 through the relay, Activity details, copy as curl, exports', async () => {
  const { page } = stack.browser;
  await click(page, 'tab-settings');
  await click(page, 'style-v3');
  let s = await waitForState(page, (x) => x.settings.style === 'V3', { what: 'V3' });
  await screenshot(page, '12-settings');
  await click(page, 'tab-stock');
  const before = s.logCount;
  await click(page, 'query-stock');
  s = await waitForState(page, (x) => x.logCount > before && !x.stock.busy, { what: 'V3 query' });
  assert.equal(s.log.at(-1).code, 'OK', `V3 signed for the relay's signHost: ${JSON.stringify(s.log.at(-1))}`);

  await click(page, 'tab-activity');
  await click(page, `log-${s.log.at(-1).id}`);
  await findItem(page, 'copy-curl');
  await screenshot(page, '13-activity-details');
  await click(page, 'copy-curl');
  await page.waitForFunction(() => window.dypls.lastCopied > 0);
  const curl = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(curl, /^curl -sS -X POST '.*\/api\/\?/);
  assert.match(curl, /x-acs-signature-nonce: [0-9a-f]{32}/);
  assert.match(curl, /Authorization: ACS3-HMAC-SHA256 /);

  // The copied command works once: it was signed afresh, so the sandbox accepts it.
  const url = /'(http[^']+)'/.exec(curl)[1];
  const headers = {};
  for (const m of curl.matchAll(/-H '([^:]+): ([^']*)'/g)) headers[m[1]] = m[2];
  const answer = await fetch(url, { method: 'POST', headers });
  assert.equal(answer.status, 200, await answer.text());

  const [csvDownload] = await Promise.all([page.waitForEvent('download'), click(page, 'export-csv')]);
  const csv = await readFile(await csvDownload.path(), 'utf8');
  assert.match(csv, /^time,action,style,http_status,code,request_id,latency_ms\r\n/);
  assert.ok(csv.split('\r\n').length >= s.logCount + 1, csv);
  assert.match(csv, /,BuySecretNo,V1,200,OK,/);
  const [jsonDownload] = await Promise.all([page.waitForEvent('download'), click(page, 'export-json')]);
  const history = JSON.parse(await readFile(await jsonDownload.path(), 'utf8'));
  assert.ok(history.some((e) => e.action === 'ReleaseSecretNo' && e.code === 'OK'));
});

test('language and theme switch live', async () => {
  const { page } = stack.browser;
  await click(page, 'tab-settings');
  await click(page, 'lang-zh');
  await click(page, 'theme-light');
  const s = await waitForState(page, (x) => x.settings.language === 'zh' && x.settings.theme === 'light',
    { what: 'zh + light' });
  assert.equal(s.settings.language, 'zh');
  await click(page, 'tab-numbers');
  await screenshot(page, '14-light-zh-numbers');
  await click(page, 'tab-settings');
  await click(page, 'theme-dark');
});
