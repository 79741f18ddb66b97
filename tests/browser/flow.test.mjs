// The main path against the real sandbox through the relay: paste credentials, query stock,
// buy one number, see it in Numbers, release it; the sandbox's own state must agree.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  click, findItem, openConsole, paste, screenshot, state, typeInto, useConsoleStack, waitForState,
} from './lib/browser.mjs';

const stack = useConsoleStack({ locale: 'zh-CN', open: false });

async function sandboxState() {
  const response = await fetch(`${stack.sandbox.url}/sandbox/state`);
  assert.equal(response.status, 200);
  return response.json();
}

test('paste -> stock -> buy 1 -> numbers -> release, through the relay', async () => {
  const { page } = stack.browser;
  const firstFrameMs = await openConsole(page, `${stack.relay.url}/`);
  assert.ok(firstFrameMs < 5000, `first frame after ${firstFrameMs} ms`);
  let s = await waitForState(page, (x) => x.relay.loaded, { what: 'relay config' });
  assert.equal(s.relay.sandbox, true);
  assert.equal(s.settings.language, 'zh');
  await screenshot(page, '01-start');

  // 1. Credentials: a fresh AssumeRole answer, pasted with Ctrl+V (a trusted paste event).
  const minted = await (await fetch(`${stack.relay.url}/sandbox/assume-role`)).text();
  const secret = JSON.parse(minted).Credentials.AccessKeySecret;
  await paste(page, minted);
  s = await waitForState(page, (x) => x.credentials.status === 'valid', { what: 'credentials' });
  assert.equal(s.credentials.hasToken, true);
  assert.ok(!JSON.stringify(s).includes(secret), 'the secret must not appear in state()');
  await screenshot(page, '02-credentials');

  // 2. Stock: 全国列表 lists every city with numbers.
  await click(page, 'tab-stock');
  await click(page, 'query-stock');
  s = await waitForState(page, (x) => !x.stock.busy && x.stock.rows.length > 0, { what: 'stock' });
  assert.equal(s.log.at(-1).action, 'QuerySecretNoRemain');
  assert.equal(s.log.at(-1).code, 'OK');
  const city = s.stock.rows[0].city;
  const before = s.stock.rows[0].amount;
  await screenshot(page, '03-stock');

  // 3. Buy one: the row fills the form; the pool key is typed; confirm.
  await click(page, `use-row-${city}`);
  s = await waitForState(page, (x) => x.buy.city === city, { what: 'form filled from the row' });
  await typeInto(page, 'buy-pool', stack.sandbox.poolKey);
  s = await waitForState(page, (x) => x.buy.poolKey === stack.sandbox.poolKey, { what: 'pool key typed' });
  await click(page, 'buy');
  await waitForState(page, (x) => x.run.phase === 'confirming', { what: 'confirmation' });
  await screenshot(page, '04-confirm');
  await click(page, 'confirm-buy');
  s = await waitForState(page, (x) => x.run.phase === 'done', { what: 'purchase done' });
  assert.equal(s.run.bought, 1);
  const number = s.run.attempts[0].secretNo;
  assert.match(number, /^\d{11,}$/);
  assert.equal(s.log.filter((e) => e.action === 'BuySecretNo').length, 1, 'exactly one Buy sent');
  await screenshot(page, '05-bought');

  let world = await sandboxState();
  assert.ok(world.numbers.some((n) => n.secretNo === number), 'the sandbox holds the number');
  const stock = world.stock.find((x) => x.city === city && x.specId === 1);
  assert.equal(stock.amount, before - 1, 'stock went down by exactly one');

  // 4. Numbers: the number is listed; release it after typing it.
  await click(page, 'tab-numbers');
  await findItem(page, `release-confirm-${number}`);
  // The button stays disabled (and a click does nothing) until the whole number is typed.
  assert.equal((await findItem(page, `release-${number}`)).disabled, true, 'nothing typed yet');
  const wrongLast = number.slice(0, -1) + (number.endsWith('0') ? '1' : '0');
  for (const typed of [number.slice(0, 1), number.slice(0, -1), wrongLast]) {
    await typeInto(page, `release-confirm-${number}`, typed);
    assert.equal((await findItem(page, `release-${number}`)).disabled, true, `typed "${typed}"`);
  }
  const logCount = (await state(page)).logCount;
  await click(page, `release-${number}`);
  assert.equal((await state(page)).logCount, logCount, 'a disabled Release sends nothing');
  await typeInto(page, `release-confirm-${number}`, number);
  assert.equal((await findItem(page, `release-${number}`)).disabled, false, 'the whole number typed');
  await click(page, `release-${number}`);
  s = await waitForState(page, (x) => x.numbers.some((n) => n.secretNo === number && n.released),
    { what: 'released' });
  await screenshot(page, '06-released');
  assert.equal(s.log.at(-1).action, 'ReleaseSecretNo');
  assert.equal(s.log.at(-1).code, 'OK');
  world = await sandboxState();
  assert.ok(!world.numbers.some((n) => n.secretNo === number), 'the sandbox released it');
});
