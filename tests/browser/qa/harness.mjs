// Helpers for the browser QA suites (security, failures, purchases), on top of the console
// engineer's tests/browser/lib/browser.mjs: the sandbox's own view, minted credentials, every
// request the page makes, everything the browser stores, and the purchase form filled in.
import assert from 'node:assert/strict';

import { click, findItem, state, typeInto, waitFrames, waitForState } from '../lib/browser.mjs';

/** The sandbox's side of things: its state dump and its fault switches. */
export function sandboxControl(sandbox) {
  return {
    async state() {
      const response = await fetch(`${sandbox.url}/sandbox/state`);
      assert.equal(response.status, 200);
      return response.json();
    },
    async faults(faults) {
      const response = await fetch(`${sandbox.url}/sandbox/faults`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(faults),
      });
      assert.equal(response.status, 200, await response.text());
    },
  };
}

/** An AssumeRole answer through the relay; resolves to { text, keyId, secret, token, expiration }. */
export async function mintCredentials(relay, durationSeconds) {
  const query = durationSeconds ? `?DurationSeconds=${durationSeconds}` : '';
  const response = await fetch(`${relay.url}/sandbox/assume-role${query}`);
  const text = await response.text();
  assert.equal(response.status, 200, text);
  const { Credentials: c } = JSON.parse(text);
  return {
    text, keyId: c.AccessKeyId, secret: c.AccessKeySecret, token: c.SecurityToken,
    expiration: c.Expiration,
  };
}

/**
 * Records every request the page makes (URL, method, all headers, body) from now on.
 * `requests` fills as they go; `settle()` waits for the async header reads.
 */
export function recordTraffic(page) {
  const requests = [];
  const pending = [];
  page.on('request', (request) => {
    const entry = {
      at: Date.now(), url: request.url(), method: request.method(),
      headers: request.headers(), body: request.postData() ?? '',
    };
    requests.push(entry);
    pending.push(request.allHeaders().then((all) => { entry.headers = all; }, () => {}));
  });
  return {
    requests,
    apiCalls: () => requests.filter((r) => new URL(r.url).pathname.startsWith('/api/')),
    async settle() { await Promise.all(pending); },
  };
}

/**
 * Records when each BuySecretNo the page sends leaves and when its answer (or failure) comes
 * back, as { page: name, start, end } pushed onto `into` (end stays null while in flight).
 */
export function watchPurchases(page, name, into) {
  const open = new Map();
  page.on('request', (request) => {
    if (!new URL(request.url()).pathname.startsWith('/api/')) return;
    const body = request.postData() ?? '';
    const action = request.headers()['x-acs-action'] ?? new URLSearchParams(body).get('Action');
    if (action !== 'BuySecretNo') return;
    const entry = { page: name, start: Date.now(), end: null };
    into.push(entry);
    open.set(request, entry);
  });
  const done = (request) => {
    const entry = open.get(request);
    if (entry) entry.end = Date.now();
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
}

/**
 * Everything the browser keeps for this origin, as one string per place: localStorage,
 * sessionStorage, cookies, IndexedDB (every record of every store), Cache Storage.
 */
export async function browserStorage(page) {
  const inPage = await page.evaluate(async () => {
    const dump = (storage) => JSON.stringify(Object.entries({ ...storage }));
    const databases = indexedDB.databases ? await indexedDB.databases() : [];
    const idb = [];
    for (const { name } of databases) {
      const db = await new Promise((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of db.objectStoreNames) {
        const records = await new Promise((resolve) => {
          const get = db.transaction(store).objectStore(store).getAll();
          get.onsuccess = () => resolve(get.result);
          get.onerror = () => resolve([String(get.error)]);
        });
        idb.push({ name, store, records: JSON.stringify(records) });
      }
      db.close();
    }
    const cacheNames = self.caches ? await caches.keys() : [];
    return {
      localStorageKeys: Object.keys(localStorage),
      sessionStorageKeys: Object.keys(sessionStorage),
      localStorage: dump(localStorage),
      sessionStorage: dump(sessionStorage),
      documentCookie: document.cookie,
      indexedDB: JSON.stringify(idb),
      indexedDBNames: databases.map((d) => d.name),
      cacheNames,
    };
  });
  const cookies = await page.context().cookies();
  return { ...inPage, cookies: JSON.stringify(cookies) };
}

/** The text a person or a screen reader could get from the DOM around the canvas. */
export const domText = (page) => page.evaluate(() => JSON.stringify({
  body: document.body.innerText,
  title: document.title,
  url: location.href,
  inputs: [...document.querySelectorAll('input, textarea')].map((e) => e.value),
}));

/**
 * Pastes credentials text with a trusted paste event (Ctrl+V) and waits until the console
 * accepted them; returns the state.
 */
export async function useCredentials(page, text, paste) {
  await paste(page, text);
  return waitForState(page, (s) => ['valid', 'expiring-soon', 'no-expiry'].includes(s.credentials.status),
    { what: 'credentials accepted' });
}

/**
 * Types CJK text into a field the way an input method does: a composition, then its commit
 * (the page forwards compositionend to the program).
 */
export async function imeInto(page, key, text) {
  await typeInto(page, key, '');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
  await cdp.send('Input.insertText', { text });
  await cdp.detach();
  await waitFrames(page);
}

/** Fills the Buy form: city (through the IME), pool key, quantity; waits for the state. */
export async function fillBuyForm(page, { city, poolKey, quantity = 1 }) {
  await click(page, 'tab-buy');
  const form = (await state(page)).buy;
  if (form.city !== city) await imeInto(page, 'buy-city', city);
  if (form.poolKey !== poolKey) await typeInto(page, 'buy-pool', poolKey);
  // The quantity's text box has no key of its own; its step buttons do, as a person uses them.
  for (let i = 0; i < 2 * 100; ++i) {
    const now = (await state(page)).buy.quantity;
    if (now === quantity) break;
    await click(page, now < quantity ? '+' : '-');
  }
  const filled = await waitForState(page,
    (s) => s.buy.city === city && s.buy.poolKey === poolKey && s.buy.quantity === quantity,
    { what: `buy form ${city} x${quantity}` });
  await click(page, 'tab-buy');  // leaves any text field, so a later Ctrl+V is not typed into it
  return filled;
}

/**
 * Two separate presses on the item, each held across frames so ImGui surely sees both (a
 * person clicking twice in quick succession, as opposed to one fast OS double click).
 */
export async function clickTwice(page, key) {
  const item = await findItem(page, key);
  const x = item.x + item.w / 2;
  const y = item.y + item.h / 2;
  await page.mouse.move(x, y);
  await waitFrames(page);
  for (let i = 0; i < 2; ++i) {
    await page.mouse.down();
    await waitFrames(page);
    await page.mouse.up();
    await waitFrames(page, 1);
  }
  await waitFrames(page);
  return item;
}

/** A fast OS double click (down/up/down/up with no frame in between) on the item. */
export async function doubleClick(page, key) {
  const item = await findItem(page, key);
  await page.mouse.dblclick(item.x + item.w / 2, item.y + item.h / 2);
  await waitFrames(page);
  return item;
}

export const buyCalls = (s) => s.log.filter((e) => e.action === 'BuySecretNo');

/** Asserts `needle` occurs nowhere in `haystacks` ({ place: text }), naming the place if it does. */
export function assertAbsent(needle, haystacks, what) {
  assert.ok(needle && needle.length >= 8, `${what}: a real value to look for`);
  for (const [place, text] of Object.entries(haystacks)) {
    assert.ok(!String(text).includes(needle), `${what} leaked into ${place}`);
  }
}
