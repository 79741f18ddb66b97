// Where the credentials go, in the browser against the real sandbox through the relay. Over a
// whole session (paste -> stock -> buy -> release -> V3 query -> copy as curl -> exports) the
// AccessKeySecret must appear in no request (URL, headers, body), no URL, no browser storage,
// no console message, no relay log line, no export; the SecurityToken travels only inside the
// signed requests (and the curl command that must carry it). A reload forgets everything unless
// the person opted in to "remember in this tab", which is that tab's sessionStorage only.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';

import {
  click, findItem, items, openConsole, paste, screenshot, startConsoleStack, state, typeInto, waitForState,
} from './lib/browser.mjs';
import {
  assertAbsent, browserStorage, domText, fillBuyForm, mintCredentials, recordTraffic,
  sandboxControl, useCredentials,
} from './qa/harness.mjs';

let sandbox;
let relay;
let browser;

let stack;
before(async () => {
  stack = await startConsoleStack({ open: false });
  ({ sandbox, relay, browser } = stack);
});

after(() => stack?.stop());

async function download(page, key) {
  const [file] = await Promise.all([page.waitForEvent('download'), click(page, key)]);
  return readFile(await file.path(), 'utf8');
}

test('the secret stays in the page: no request, URL, storage, console, log or export holds it', async () => {
  const { page, consoleLines } = browser;
  const traffic = recordTraffic(page);
  await openConsole(page, `${relay.url}/`);
  await waitForState(page, (s) => s.relay.loaded, { what: 'relay config' });
  const creds = await mintCredentials(relay);
  await useCredentials(page, creds.text, paste);

  // Stock, then buy one number.
  await click(page, 'tab-stock');
  await click(page, 'query-stock');
  let s = await waitForState(page, (x) => !x.stock.busy && x.stock.rows.length > 0, { what: 'stock' });
  const city = s.stock.rows[0].city;
  await fillBuyForm(page, { city, poolKey: sandbox.poolKey, quantity: 1 });
  await click(page, 'buy');
  await click(page, 'confirm-buy');
  s = await waitForState(page, (x) => x.run.phase === 'done', { what: 'bought' });
  const number = s.run.attempts[0].secretNo;

  // Release it.
  await click(page, 'tab-numbers');
  await typeInto(page, `release-confirm-${number}`, number);
  await click(page, `release-${number}`);
  await waitForState(page, (x) => x.numbers.some((n) => n.secretNo === number && n.released),
    { what: 'released' });

  // A V3 query too: the token and signature travel in headers there.
  await click(page, 'tab-settings');
  await click(page, 'style-v3');
  await waitForState(page, (x) => x.settings.style === 'V3', { what: 'V3' });
  await click(page, 'tab-stock');
  const before = (await state(page)).logCount;
  await click(page, 'query-stock');
  s = await waitForState(page, (x) => x.logCount > before && !x.stock.busy, { what: 'V3 query' });
  assert.equal(s.log.at(-1).code, 'OK');

  // Copy as curl, export CSV and JSON.
  await click(page, 'tab-activity');
  await click(page, `log-${s.log.at(-1).id}`);
  await findItem(page, 'copy-curl');
  await click(page, 'copy-curl');
  await page.waitForFunction(() => window.dypls.lastCopied > 0);
  const curl = await page.evaluate(() => navigator.clipboard.readText());
  const csv = await download(page, 'export-csv');
  const json = await download(page, 'export-json');
  await screenshot(page, 'qa-50-security-activity');

  await traffic.settle();
  const api = traffic.apiCalls();
  const world = await sandboxControl(sandbox).state();

  // The recording itself works: it saw the signed calls, with the token where it must travel.
  assert.ok(api.length >= 4, `the page's API calls were recorded: ${api.length}`);
  assert.ok(api.some((r) => r.body.includes('SecurityToken=')), 'V1 form bodies were recorded');
  assert.ok(api.some((r) => r.headers['x-acs-security-token'] === creds.token), 'V3 headers were recorded');
  assert.ok(curl.includes('curl '), 'the curl command was copied');
  assert.ok(world.numbers.length === 0 && world.released.includes(number), 'the flow really ran');

  const requestText = (r) => `${r.method} ${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`;
  const places = {
    'a request': traffic.requests.map(requestText).join('\n'),
    'the page URL': page.url(),
    'browser storage': JSON.stringify(await browserStorage(page)),
    'the console': consoleLines.join('\n'),
    'the relay log': relay.stderrText() + relay.stdoutLines.join('\n'),
    'the page text': await domText(page),
    'window.dypls.state()': JSON.stringify(await state(page)),
    'window.dypls.items()': JSON.stringify(await items(page)),
    'the CSV export': csv,
    'the JSON export': json,
    'the curl command': curl,
  };
  assertAbsent(creds.secret, places, 'the AccessKeySecret');

  // The token must be sent with every signed call, and so is in those bodies and headers and in
  // the curl command; everywhere else it must not be.
  const { 'a request': _requests, 'the curl command': _curl, ...elsewhere } = places;
  assertAbsent(creds.token, {
    ...elsewhere,
    'a request URL': traffic.requests.map((r) => r.url).join('\n'),
    'a non-API request': traffic.requests.filter((r) => !api.includes(r)).map(requestText).join('\n'),
  }, 'the SecurityToken');
  // Nor do signatures go into URLs or the relay's log (POST keeps them in body and headers).
  for (const r of api) assert.equal(r.method, 'POST', `${r.url} is a POST`);
  assert.ok(!traffic.requests.some((r) => /Signature=/.test(r.url)), 'no signature in a URL');
  const storage = await browserStorage(page);
  assert.ok(storage.localStorageKeys.length > 0 && storage.localStorageKeys.every(isLedgerKey),
    `localStorage holds the purchase ledger only: ${storage.localStorageKeys}`);
  assert.deepEqual(credentialKeys(storage.sessionStorageKeys), [], 'nothing kept without the opt-in');
  assert.equal(storage.cookies, '[]', 'no cookies');
});

test('a refused signature echoes the token back: it stays out of the page, the console and exports', async () => {
  const { page, consoleLines } = browser;
  await openConsole(page, `${relay.url}/`);
  await waitForState(page, (s) => s.relay.loaded, { what: 'relay config' });
  // STS credentials with a wrong secret: the sandbox, like the real API, answers V1 with its
  // string to sign, which carries the SecurityToken (percent-encoded, twice).
  const creds = await mintCredentials(relay);
  const wrong = JSON.parse(creds.text);
  wrong.Credentials.AccessKeySecret = 'Wrong0000SecretWrong0000SecretWrong0000Se';
  await useCredentials(page, JSON.stringify(wrong), paste);
  await click(page, 'tab-stock');
  const before = (await state(page)).logCount;
  await click(page, 'query-stock');
  const s = await waitForState(page, (x) => x.logCount > before && !x.stock.busy, { what: 'answer' });
  assert.equal(s.log.at(-1).code, 'SignatureDoesNotMatch');

  await click(page, 'tab-activity');
  await click(page, `log-${s.log.at(-1).id}`);
  await screenshot(page, 'qa-52-signature-refused-activity');
  const json = await download(page, 'export-json');
  const csv = await download(page, 'export-csv');
  const places = {
    'window.dypls.state()': JSON.stringify(await state(page)),
    'window.dypls.items()': JSON.stringify(await items(page)),
    'the page text': await domText(page),
    'the console': consoleLines.join('\n'),
    'browser storage': JSON.stringify(await browserStorage(page)),
    'the relay log': relay.stderrText(),
    'the CSV export': csv,
    'the JSON export': json,
  };
  for (const form of encodedForms(creds.token)) assertAbsent(form, places, 'the SecurityToken');
});

/** A value as it appears raw, percent-encoded once (RFC 3986) and twice (a V1 string to sign). */
function encodedForms(value) {
  const once = encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return [...new Set([value, once, encodeURIComponent(once)])];
}

test('a reload forgets the credentials unless remembered; remembering is this tab only', async () => {
  const { page, context } = browser;
  const creds = await mintCredentials(relay);
  await openConsole(page, `${relay.url}/`);
  await waitForState(page, (s) => s.relay.loaded, { what: 'relay config' });
  await useCredentials(page, creds.text, paste);

  // Without the opt-in a reload starts empty.
  await openConsole(page, `${relay.url}/`);
  let s = await waitForState(page, (x) => x.relay.loaded, { what: 'reloaded' });
  await page.waitForTimeout(300);
  s = await state(page);
  assert.equal(s.credentials.status, 'none', 'a reload forgot the credentials');
  assert.equal(s.credentials.rememberInTab, false);
  let storage = await browserStorage(page);
  assertAbsent(creds.secret, { storage: JSON.stringify(storage) }, 'the AccessKeySecret');

  // Opt in: the pasted text goes to this tab's sessionStorage and nowhere else.
  await useCredentials(page, creds.text, paste);
  await click(page, 'tab-credentials');
  await click(page, 'remember');
  await waitForState(page, (x) => x.credentials.rememberInTab, { what: 'remember' });
  storage = await browserStorage(page);
  assert.deepEqual(credentialKeys(storage.sessionStorageKeys), ['dypls.credentials']);
  assert.deepEqual(credentialKeys(storage.localStorageKeys), []);
  assert.ok(storage.sessionStorage.includes(creds.keyId), 'sessionStorage holds what was pasted');
  assertAbsent(creds.secret, {
    localStorage: storage.localStorage, cookies: storage.cookies, indexedDB: storage.indexedDB,
  }, 'the AccessKeySecret');
  await screenshot(page, 'qa-51-remembered');

  // Another tab of the same browser does not get them: sessionStorage is per tab.
  const other = await context.newPage();
  await openConsole(other, `${relay.url}/`);
  await waitForState(other, (x) => x.relay.loaded, { what: 'second tab' });
  await other.waitForTimeout(300);
  assert.equal((await state(other)).credentials.status, 'none', 'a new tab starts without credentials');
  assert.deepEqual(credentialKeys((await browserStorage(other)).sessionStorageKeys), []);
  await other.close();

  // A reload of this tab keeps them; Forget wipes them, and the next reload is empty again.
  await openConsole(page, `${relay.url}/`);
  s = await waitForState(page, (x) => x.credentials.status === 'valid', { what: 'restored' });
  assert.equal(s.credentials.rememberInTab, true);
  await click(page, 'tab-credentials');
  await click(page, 'forget');
  await waitForState(page, (x) => x.credentials.status === 'none', { what: 'forgotten' });
  storage = await browserStorage(page);
  assert.deepEqual([credentialKeys(storage.sessionStorageKeys), credentialKeys(storage.localStorageKeys)],
    [[], []]);
  await openConsole(page, `${relay.url}/`);
  await waitForState(page, (x) => x.relay.loaded, { what: 'reloaded after Forget' });
  await page.waitForTimeout(300);
  assert.equal((await state(page)).credentials.status, 'none');
});

/** The purchase ledger (localStorage) and the tab's activity (sessionStorage) hold no secret. */
function isLedgerKey(key) {
  return /^dypls\.(ledger|lease):/.test(key) || key === 'dypls.activity';
}
/** Storage keys apart from the ledger and the activity: credentials, if anything. */
function credentialKeys(keys) {
  return keys.filter((key) => !isLedgerKey(key));
}
