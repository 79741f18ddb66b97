// First use: the sandbox's demo fills the pool key too; a disabled button says why; an STS export
// is called temporary and a long-term key gets a word on why temporary credentials are meant; a
// city typed in pinyin or English becomes its Chinese name, a typo gets suggestions, and the city
// picker filters as you type.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  click, findItem, items, paste, screenshot, startConsoleStack, typeInto, waitForState, waitFrames,
} from './lib/browser.mjs';

let stack;
before(async () => {
  stack = await startConsoleStack({ locale: 'en-US' });
});
after(() => stack?.stop());

const label = (item) => item.label.split('###')[0];

test('a disabled button says why, on hover and beside Buy', async () => {
  const { page } = stack.browser;
  // Credentials: "Use pasted" is disabled while the box is empty; hovering it says why.
  const usePasted = await findItem(page, 'use-pasted');
  await page.mouse.move(usePasted.x + usePasted.w / 2, usePasted.y + usePasted.h / 2);
  const why = await findItem(page, 'why-disabled');
  assert.match(label(why), /Paste or type credentials into the box first/);
  // Buy: nothing filled in, so Buy is disabled and the reason is written beside it.
  await click(page, 'tab-buy');
  const buyWhy = await findItem(page, 'buy-why');
  assert.match(label(buyWhy), /^To buy, fix: /);
  assert.match(label(buyWhy), /PoolKey|pool/i);
  await screenshot(page, 'first-use-buy-why');
});

test('the demo fills the sandbox pool key beside the credentials', async () => {
  const { page } = stack.browser;
  await click(page, 'use-demo');
  const s = await waitForState(page, (x) => x.credentials.status === 'valid' && x.buy.poolKey,
    { what: 'demo credentials and pool key' });
  assert.equal(s.buy.poolKey, stack.sandbox.poolKey);
  const badge = await findItem(page, 'creds-badge');
  assert.match(label(badge), /Expires in/);
});

test('an STS export is temporary; a long-term key is told why temporary keys are meant', async () => {
  const { page } = stack.browser;
  const minted = JSON.parse(await (await fetch(`${stack.relay.url}/sandbox/assume-role`)).text());
  const c = minted.Credentials;
  await paste(page, `export ALIBABA_CLOUD_ACCESS_KEY_ID=${c.AccessKeyId}\n` +
    `export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${c.AccessKeySecret}\n` +
    `export ALIBABA_CLOUD_SECURITY_TOKEN=${c.SecurityToken}\n`);
  let s = await waitForState(page, (x) => x.credentials.hasToken && x.credentials.status === 'no-expiry',
    { what: 'STS export without expiry' });
  assert.ok(s);
  await click(page, 'tab-credentials');
  let badge = await findItem(page, 'creds-badge');
  assert.doesNotMatch(label(badge), /long-term/, `an STS key is not long-term: ${label(badge)}`);
  assert.match(label(badge), /Temporary/);
  assert.equal((await items(page)).some((i) => i.key === 'creds-long-term'), false);

  const { account } = stack.sandbox;
  await paste(page, `export ALIBABA_CLOUD_ACCESS_KEY_ID=${account.id}\n` +
    `export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${account.secret}\n`);
  s = await waitForState(page, (x) => !x.credentials.hasToken && x.credentials.status === 'no-expiry',
    { what: 'long-term key' });
  badge = await findItem(page, 'creds-badge');
  assert.match(label(badge), /long-term/);
  const word = await findItem(page, 'creds-long-term');
  assert.match(label(word), /temporary STS credentials/);
  await screenshot(page, 'first-use-long-term');
});

test('Hangzhou becomes 杭州, a typo gets suggestions, the picker filters as you type', async () => {
  const { page } = stack.browser;
  await click(page, 'tab-buy');
  await typeInto(page, 'buy-city', 'Hangzhou');
  await page.keyboard.press('Tab', { delay: 40 });
  await waitForState(page, (x) => x.buy.city === '杭州', { what: 'Hangzhou mapped to 杭州' });

  await typeInto(page, 'buy-city', 'Hangzou');
  await page.keyboard.press('Tab', { delay: 40 });
  await waitFrames(page, 3);
  await screenshot(page, 'first-use-city-suggestions');
  await click(page, 'buy-city-suggest-杭州');
  await waitForState(page, (x) => x.buy.city === '杭州', { what: 'suggestion taken' });

  await click(page, 'buy-city-pick');
  for (const ch of 'shen') await page.keyboard.press(ch, { delay: 40 });
  await waitFrames(page, 3);
  const options = (await items(page)).filter((i) => i.key.startsWith('buy-city-opt-'));
  const names = options.map((i) => i.key.slice('buy-city-opt-'.length));
  assert.ok(names.includes('深圳'), `深圳 is listed: ${names}`);
  assert.ok(!names.includes('杭州'), `杭州 is filtered out: ${names}`);
  await screenshot(page, 'first-use-city-filter');
  await page.keyboard.press('Enter', { delay: 40 });
  const s = await waitForState(page, (x) => x.buy.city !== '杭州',
    { what: 'Enter takes the first match' });
  assert.ok(names.includes(s.buy.city), `${s.buy.city} is one of the filtered cities`);
});
