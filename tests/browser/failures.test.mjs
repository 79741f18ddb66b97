// Failures in the browser against the real sandbox through the relay. Each ends in a clear state
// and message: a wrong secret on a purchase, no stock left, throttling waited out, credentials
// that expire (nothing more is signed or sent), and the relay going away mid-session.
// (A purchase whose answer is dropped after the commit is tests/browser/never-twice.test.mjs.)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startServer, webDir } from '../lib/servers.mjs';
import {
  click, paste, screenshot, startConsoleStack, state, waitForState,
} from './lib/browser.mjs';
import {
  buyCalls, fillBuyForm, mintCredentials, recordTraffic, sandboxControl, useCredentials,
} from './qa/harness.mjs';

const SCARCE_CITY = '拉萨';  // one number only
const CITY = '杭州';

let sandbox;
let relay;
let browser;
let control;
let traffic;

let stack;
before(async () => {
  stack = await startConsoleStack({
    sandboxArgs: ['--stock', `1:${SCARCE_CITY}:1`, '--stock', `1:${CITY}:30`],
    onPage: (page) => { traffic = recordTraffic(page); },
  });
  ({ sandbox, relay, browser } = stack);
  control = sandboxControl(sandbox);
});

after(async () => {
  await stack?.stop();
  await relay?.stop();  // the relay-down test starts a new relay in place of the stack's one
});

const numbersIn = async (city) =>
  (await control.state()).numbers.filter((n) => !city || n.city === city).length;

async function buyAndConfirm(page) {
  await click(page, 'buy');
  await waitForState(page, (s) => s.run.phase === 'confirming', { what: 'confirmation' });
  await click(page, 'confirm-buy');
}

const settled = (s) => !['confirming', 'sending', 'waiting'].includes(s.run.phase);

test('a wrong secret: the purchase fails as SignatureDoesNotMatch with its hint, once', async () => {
  const { page } = browser;
  const { id } = sandbox.account;
  await useCredentials(page,
    `export ALIBABA_CLOUD_ACCESS_KEY_ID=${id}\nexport ALIBABA_CLOUD_ACCESS_KEY_SECRET=wrong-secret-0000000000\n`,
    paste);
  await fillBuyForm(page, { city: CITY, poolKey: sandbox.poolKey, quantity: 2 });
  await buyAndConfirm(page);
  const s = await waitForState(page, settled, { what: 'purchase refused' });
  assert.equal(s.run.phase, 'failed');
  assert.equal(s.run.bought, 0);
  assert.deepEqual(s.run.attempts.map((a) => [a.result, a.code]), [['failed', 'SignatureDoesNotMatch']],
    'one attempt, refused, no second one');
  assert.equal(buyCalls(s).length, 1);
  assert.equal(s.status.level, 'error');
  assert.match(s.status.text, /signature did not match/i);
  assert.match(s.status.text, /AccessKeySecret is wrong/, 'the hint names the likely cause');
  assert.equal(await numbersIn(), 0, 'the sandbox sold nothing');
  await screenshot(page, 'qa-60-wrong-secret');
});

test('no stock: the run stops at isv.NO_AVAILABLE_NUMBER with what to do', async () => {
  const { page } = browser;
  await useCredentials(page, (await mintCredentials(relay)).text, paste);
  await fillBuyForm(page, { city: SCARCE_CITY, poolKey: sandbox.poolKey, quantity: 2 });
  const buysBefore = buyCalls(await state(page)).length;
  await buyAndConfirm(page);
  const s = await waitForState(page, settled, { what: 'run ended' });
  assert.equal(s.run.phase, 'failed');
  assert.equal(s.run.bought, 1, 'the one number in stock was bought');
  assert.deepEqual(s.run.attempts.map((a) => [a.result, a.code]),
    [['bought', 'OK'], ['failed', 'isv.NO_AVAILABLE_NUMBER']]);
  assert.equal(buyCalls(s).length - buysBefore, 2, 'not retried');
  assert.equal(s.status.level, 'error');
  assert.match(s.status.text, /No numbers left for this city/);
  assert.match(s.status.text, /pick another city/);
  assert.equal(await numbersIn(SCARCE_CITY), 1);
  await screenshot(page, 'qa-61-no-stock');
});

test('throttling: the run waits, then continues with no double purchase', async () => {
  const { page } = browser;
  await useCredentials(page, (await mintCredentials(relay)).text, paste);
  await fillBuyForm(page, { city: CITY, poolKey: sandbox.poolKey, quantity: 2 });
  const numbersBefore = await numbersIn(CITY);
  const buysBefore = buyCalls(await state(page)).length;
  await control.faults({ throttleRate: 1 });
  await buyAndConfirm(page);
  let s = await waitForState(page, (x) => x.run.phase === 'waiting', { what: 'throttled, waiting' });
  assert.equal(s.run.attempts.at(-1).result, 'throttled');
  assert.match(s.run.attempts.at(-1).code, /^Throttling/);
  assert.equal(s.status.level, 'warning');
  assert.match(s.status.text, /^Throttled: retrying in [\d.]+ s$/);
  await screenshot(page, 'qa-62-throttled');
  await control.faults({ throttleRate: 0 });
  s = await waitForState(page, settled, { what: 'run ended', timeoutMs: 30000 });
  assert.equal(s.run.phase, 'done');
  assert.equal(s.run.bought, 2);
  const results = s.run.attempts.map((a) => a.result);
  const throttled = results.filter((r) => r === 'throttled').length;
  assert.ok(throttled >= 1);
  assert.equal(results.filter((r) => r === 'bought').length, 2);
  assert.ok(!results.includes('unknown') && !results.includes('failed'), results.join());
  assert.equal(buyCalls(s).length - buysBefore, 2 + throttled, 'one call per attempt');
  const bought = s.run.attempts.filter((a) => a.result === 'bought').map((a) => a.secretNo);
  assert.equal(new Set(bought).size, 2);
  assert.equal(await numbersIn(CITY) - numbersBefore, 2, 'the sandbox sold exactly two');
});

test('expired credentials: the console refuses to sign, says what to do, sends nothing', async () => {
  const { page } = browser;
  const creds = await mintCredentials(relay, 3);
  await useCredentials(page, creds.text, paste);
  await fillBuyForm(page, { city: CITY, poolKey: sandbox.poolKey, quantity: 1 });
  let s = await waitForState(page, (x) => x.credentials.status === 'expired',
    { what: 'expired', timeoutMs: 8000 });
  const expiry = Date.parse(creds.expiration);
  assert.ok(Date.now() >= expiry - 1500, 'not called expired early');
  const logCount = s.logCount;

  await click(page, 'buy');
  await page.waitForTimeout(200);
  s = await state(page);
  assert.equal(s.run.phase === 'confirming', false, 'no confirmation offered');
  assert.equal(s.status.level, 'error');
  assert.match(s.status.text, /Credentials expired: get fresh STS credentials and paste them/);
  await screenshot(page, 'qa-63-expired');
  await click(page, 'tab-stock');
  await click(page, 'query-stock');
  await page.waitForTimeout(300);
  s = await state(page);
  assert.equal(s.stock.busy, false);
  assert.match(s.status.text, /Credentials expired/);
  assert.equal(s.logCount, logCount, 'nothing was signed');

  // Neither the page nor the relay (and so not the sandbox) saw a signed call after expiry.
  await traffic.settle();
  const late = traffic.apiCalls().filter((r) => r.at >= expiry);
  assert.deepEqual(late.map((r) => r.url), []);
  const relayApiCalls = () => relay.stderrText().split('\n')
    .filter((line) => line.includes('"/api/')).map((line) => JSON.parse(line));
  assert.deepEqual(relayApiCalls().filter((e) => Date.parse(e.time) >= expiry), [],
    'the relay forwarded nothing after expiry');

  // Fresh credentials unlock it again.
  await useCredentials(page, (await mintCredentials(relay)).text, paste);
  await click(page, 'query-stock');
  s = await waitForState(page, (x) => x.logCount > logCount && !x.stock.busy, { what: 'query' });
  assert.equal(s.log.at(-1).code, 'OK');
  // The relay's log would have shown a late call: it shows this one.
  assert.equal(relayApiCalls().filter((e) => Date.parse(e.time) >= expiry).length, 1);
});

test('credentials that expire during a run end it: nothing signed after expiry', async () => {
  const { page } = browser;
  await fillBuyForm(page, { city: CITY, poolKey: sandbox.poolKey, quantity: 20 });
  const creds = await mintCredentials(relay, 6);
  await useCredentials(page, creds.text, paste);
  const expiry = Date.parse(creds.expiration);
  const numbersBefore = await numbersIn(CITY);
  const buysBefore = buyCalls(await state(page)).length;
  assert.ok(Date.now() < expiry - 500, 'time left to start the run; the form took too long');
  await control.faults({ latencyMs: 500 });
  await buyAndConfirm(page);
  let s = await waitForState(page, settled, { what: 'run ended by expiry', timeoutMs: 15000 });
  await control.faults({ latencyMs: 0 });
  assert.equal(s.run.phase, 'failed');
  assert.ok(s.run.bought < 20, `the run stopped: bought ${s.run.bought}`);
  // Either the console saw the expiry before signing the next purchase, or the last one, signed
  // in time, reached the sandbox just after it: both say so and what to do.
  assert.match(s.status.text, /(Credentials|credentials have) expired.*paste them/);
  const sent = buyCalls(s).length - buysBefore;
  assert.ok(sent === s.run.bought || sent === s.run.bought + 1,
    `each purchase sent was answered: sent ${sent}, bought ${s.run.bought}`);
  assert.equal(await numbersIn(CITY) - numbersBefore, s.run.bought, 'the sandbox agrees');
  await traffic.settle();
  // Date.now() in Node sees the request a moment after the page sent it.
  const late = traffic.apiCalls().filter((r) => r.at >= expiry + 250);
  assert.deepEqual(late.map((r) => r.url), [], 'nothing sent after expiry');
  await page.waitForTimeout(800);
  s = await state(page);
  assert.equal(buyCalls(s).length - buysBefore, sent, 'and nothing later');
  await screenshot(page, 'qa-67-expired-mid-run');
});

test('the relay goes away mid-session: a clear message, no purchase counted', async () => {
  const { page } = browser;
  await useCredentials(page, (await mintCredentials(relay)).text, paste);
  await fillBuyForm(page, { city: CITY, poolKey: sandbox.poolKey, quantity: 1 });
  const numbersBefore = await numbersIn();
  await relay.stop();

  await click(page, 'tab-stock');
  const before = (await state(page)).logCount;
  await click(page, 'query-stock');
  let s = await waitForState(page, (x) => x.logCount > before && !x.stock.busy, { what: 'no answer' });
  assert.equal(s.stock.error, 'Transport');
  assert.equal(s.log.at(-1).httpStatus, 0);
  assert.equal(s.status.level, 'error');
  assert.match(s.status.text, /No answer arrived \(network down, relay stopped, or timeout\)/);
  await screenshot(page, 'qa-64-relay-down-stock');

  await click(page, 'tab-buy');
  const buysBefore = buyCalls(s).length;
  await buyAndConfirm(page);
  s = await waitForState(page, settled, { what: 'purchase ended' });
  // The browser cannot tell a refused connection from one lost after sending: the console
  // must not call it bought, must not retry, and must not let another purchase go unchecked.
  assert.equal(s.run.bought, 0);
  assert.equal(buyCalls(s).length - buysBefore, 1, 'not retried');
  assert.equal(s.run.phase, 'outcome-unknown');
  assert.equal(s.run.attempts.at(-1).code, 'Transport');
  assert.match(s.status.text, /No answer to the purchase: it may or may not have happened\. Reconcile/);
  assert.equal(await numbersIn(), numbersBefore, 'the sandbox counted no purchase');
  // The stock after it is fetched by itself and fails too: said beside the figures, while the
  // status line keeps telling of the purchase.
  s = await waitForState(page, (x) => x.unknown?.stockAfterFailure, { what: 'stock after failed' });
  assert.match(s.unknown.stockAfterFailure, /The stock after could not be read: No answer arrived/);
  assert.match(s.status.text, /No answer to the purchase: it may or may not have happened\. Reconcile/);
  await screenshot(page, 'qa-65-relay-down-buy');
  // On a phone too: the warning beside the figures wraps, the status line still shows.
  const wide = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'qa-65-relay-down-buy-390');
  await page.setViewportSize(wide);
  // Buy stays refused until the person has checked.
  await click(page, 'buy');
  s = await state(page);
  assert.equal(s.run.phase, 'outcome-unknown');
  assert.equal(buyCalls(s).length - buysBefore, 1);

  // The relay comes back on the same address: reconciling shows the stock unchanged, the person
  // records "not bought", and buying works again, once.
  relay = await startServer('dypls-relay', ['--listen', `127.0.0.1:${relay.port}`,
    '--upstream', sandbox.url, '--static', webDir, '--sandbox']);
  const stockBefore = (await control.state()).stock.find((x) => x.city === CITY && x.specId === 1).amount;
  await click(page, 'reconcile');
  s = await waitForState(page, (x) => x.unknown?.reconciled, { what: 'reconciled' });
  assert.equal(s.stock.rows.find((r) => r.city === CITY)?.amount, stockBefore, 'stock unchanged');
  await click(page, 'resolve-not-bought');
  s = await waitForState(page, (x) => x.unknown === null && x.run.phase === 'idle', { what: 'resolved' });
  await buyAndConfirm(page);
  s = await waitForState(page, settled, { what: 'bought after recovery' });
  assert.equal(s.run.phase, 'done');
  assert.equal(buyCalls(s).length - buysBefore, 2);
  assert.equal(await numbersIn(), numbersBefore + 1);
  await screenshot(page, 'qa-66-relay-back');
});
