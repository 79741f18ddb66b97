// Clicks and taps as they really arrive: a phone's tap and a fast click both reach the page as
// move + press + release before its next frame (and a tap's touch events come first). Each must
// press what is under the finger, once, and never the place pressed before.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { click, findItem, items, startConsoleStack, waitForState } from './lib/browser.mjs';

const phone = { touch: true, viewport: { width: 390, height: 844 } };
const center = (item) => ({ x: item.x + item.w / 2, y: item.y + item.h / 2 });
const opened = async (page, key) => (await items(page)).some((item) => item.key === key);

/** Each scenario gets its own idle page: the bug shows only when input wakes a paused page. */
async function onIdlePage(launchOptions, scenario) {
  const stack = await startConsoleStack({ launchOptions });
  try {
    await stack.browser.page.waitForTimeout(1200);  // past the settling frames: the page is idle
    await scenario(stack.browser.page);
  } finally {
    await stack.stop();
  }
}

let demoRequests = 0;
let stack;

before(async () => {
  stack = await startConsoleStack({
    launchOptions: phone,
    onPage: (page) => page.on('request', (request) => {
      if (request.url().includes('/sandbox/assume-role')) demoRequests += 1;
    }),
  });
});

after(() => stack?.stop());

test('a tap on a phone opens the tab under the finger', async () => {
  const { page } = stack.browser;
  await page.waitForTimeout(1200);
  const { x, y } = center(await findItem(page, 'tab-activity'));
  await page.touchscreen.tap(x, y);
  await findItem(page, 'export-csv');
});

test('a tap elsewhere never presses the place tapped before', async () => {
  const { page } = stack.browser;
  const tab = center(await findItem(page, 'tab-credentials'));
  await page.touchscreen.tap(tab.x, tab.y);
  const demo = center(await findItem(page, 'use-demo'));
  await page.waitForTimeout(1200);
  await page.touchscreen.tap(demo.x, demo.y);
  await waitForState(page, (s) => s.credentials.status === 'valid', { what: 'demo credentials' });
  assert.equal(demoRequests, 1, 'one tap, one request for demo credentials');
  // The next tap lands far from the button; before, the button was pressed again first.
  await page.waitForTimeout(1200);
  const activity = center(await findItem(page, 'tab-activity'));
  await page.touchscreen.tap(activity.x, activity.y);
  await findItem(page, 'export-csv');
  await page.waitForTimeout(500);
  assert.equal(demoRequests, 1, 'the tap on another place pressed the demo button again');
});

test('a click as fast as a program makes it works on an idle page', async () => {
  await onIdlePage({ viewport: { width: 390, height: 844 } }, async (page) => {
    const rest = center(await findItem(page, 'tab-credentials'));
    await page.mouse.move(rest.x, rest.y);  // the pointer rests on another tab meanwhile
    await page.waitForTimeout(1200);
    const { x, y } = center(await findItem(page, 'tab-activity'));
    await page.mouse.click(x, y);  // move, press and release with no time between
    await findItem(page, 'export-csv');
    assert.ok(await opened(page, 'export-csv'));
  });
});

// A click reaches ImGui a frame at a time (input_queue.h). Keys typed right after it, as a fast
// typist or a slow machine makes them, must go where the click put the caret, and a shortcut
// among them must keep the modifier held with it. Before, keys went straight to ImGui, ahead of
// the click: they landed in the field clicked before, and Ctrl+A lost its Ctrl.
test('keys typed right after a click go to the field clicked, shortcuts included', async () => {
  await onIdlePage({ viewport: { width: 1280, height: 800 } }, async (page) => {
    const buy = async () => (await page.evaluate(() => window.dypls.state())).buy;
    // A click and the keys after it, all in one task: all arrive before the page's next frame,
    // as on a machine too slow to draw between them. `keys`: what a browser sends for each, a
    // name for a key pressed and released, '+Control' and '-Control' for Ctrl down and up.
    const clickThenKeys = async (item, keys) => page.evaluate(({ x, y, keys }) => {
      const canvas = document.getElementById('canvas');
      const at = { clientX: x, clientY: y, bubbles: true, button: 0 };
      canvas.dispatchEvent(new MouseEvent('mousemove', at));
      canvas.dispatchEvent(new MouseEvent('mousedown', { ...at, buttons: 1 }));
      canvas.dispatchEvent(new MouseEvent('mouseup', at));
      let ctrlKey = false;
      const send = (type, key, keyCode, extra = {}) => window.dispatchEvent(
        new KeyboardEvent(type, { key, keyCode, which: keyCode, ctrlKey, bubbles: true, ...extra }));
      for (const name of keys) {
        if (name === '+Control' || name === '-Control') {
          ctrlKey = name === '+Control';
          send(ctrlKey ? 'keydown' : 'keyup', 'Control', 17);
          continue;
        }
        const keyCode = name === 'Backspace' ? 8 : name.toUpperCase().charCodeAt(0);
        send('keydown', name, keyCode);
        if (name.length === 1 && !ctrlKey) {
          send('keypress', name, keyCode, { charCode: name.charCodeAt(0), which: name.charCodeAt(0) });
        }
        send('keyup', name, keyCode);
      }
    }, { ...center(item), keys });
    // What the state reads once `done` holds, or after 5 s (ImGui takes a burst of keys over a
    // few frames).
    const settled = async (done) => {
      await waitForState(page, (s) => done(s.buy), { timeoutMs: 5000 }).catch(() => {});
      return buy();
    };

    await click(page, 'use-demo');
    await waitForState(page, (s) => s.credentials.status === 'valid', { what: 'demo credentials' });
    await click(page, 'tab-buy');
    const prefix = await findItem(page, 'buy-prefix');
    const pool = await findItem(page, 'buy-pool');
    await page.waitForTimeout(1500);  // idle again: the click must wake the page

    await clickThenKeys(prefix, ['1', '7', '0']);
    assert.equal((await settled((b) => b.prefix === '170')).prefix, '170',
      'typed right after a click on an idle page');

    const poolBefore = (await buy()).poolKey;
    await clickThenKeys(pool, ['Q']);
    await settled((b) => b.poolKey !== poolBefore || b.prefix !== '170');
    await page.waitForTimeout(300);  // whatever else the keys do has arrived
    const afterPool = await buy();
    assert.equal(afterPool.prefix, '170', 'a key meant for the field clicked landed in the one before');
    assert.equal(afterPool.poolKey.length, poolBefore.length + 1, `${poolBefore} → ${afterPool.poolKey}`);
    assert.ok(afterPool.poolKey.includes('Q'), afterPool.poolKey);

    // Ctrl+A, Backspace, 18: select all, replace.
    await clickThenKeys(prefix, ['+Control', 'a', '-Control', 'Backspace', '1', '8']);
    assert.equal((await settled((b) => b.prefix === '18')).prefix, '18',
      'Ctrl+A typed right after a click selects all');
  });
});

// A finger dragged over the page scrolls it (touch_pan.h). Browsers make no mouse events of a
// drag, and ImGui scrolls only by wheel or scrollbar: before, a phone reached nothing below the
// first screen, nor the actions at the right of the numbers table.
test('on a phone a finger scrolls the numbers table across and down, and a drag presses nothing', async () => {
  const phoneStack = await startConsoleStack({ launchOptions: phone });
  try {
    const { page } = phoneStack.browser;
    const cdp = await page.context().newCDPSession(page);
    const touch = (type, x, y) => cdp.send('Input.dispatchTouchEvent',
      { type, touchPoints: type === 'touchEnd' ? [] : [{ x, y }] });
    // A drag from one point to another in `steps` moves a frame apart, then lifted after `rest` ms.
    async function drag(from, to, { steps = 12, rest = 200 } = {}) {
      await touch('touchStart', from.x, from.y);
      for (let i = 1; i <= steps; i++) {
        await page.waitForTimeout(16);
        await touch('touchMove', from.x + ((to.x - from.x) * i) / steps,
          from.y + ((to.y - from.y) * i) / steps);
      }
      await page.waitForTimeout(rest);
      await touch('touchEnd');
    }
    const tap = async (key) => {
      const at = center(await findItem(page, key));
      await page.touchscreen.tap(at.x, at.y);
    };
    await page.waitForTimeout(1200);
    await tap('use-demo');
    await waitForState(page, (s) => s.credentials.status === 'valid', { what: 'demo credentials' });
    await page.evaluate(() => Module._dypls_bench_fill(0, 40));  // 40 numbers, none of them billed
    await tap('tab-numbers');
    const table = await findItem(page, 'lookup');  // the table lies below the look-up row
    const first = 'copy-17000000000';
    assert.ok(!(await opened(page, first)), 'the row actions start out of sight, right of the table');

    // Across: the table follows the finger sideways until its actions come into sight.
    const y = table.y + 220;
    let drags = 0;
    while (!(await opened(page, first)) && drags < 6) {
      await drag({ x: 360, y }, { x: 60, y });
      drags += 1;
    }
    const copy = await findItem(page, first);
    assert.ok(drags >= 2, `the actions are more than a screen to the right (${drags} drags)`);
    assert.ok(copy.x >= 0 && copy.x + copy.w <= 390, `Copy is on screen after the drag: x ${copy.x}`);

    // Down the list: the rows follow the finger one for one, and the drag began on a button
    // without pressing it.
    const second = await findItem(page, 'copy-17000000005');
    const copiedBefore = await page.evaluate(() => window.dypls.lastCopied);
    const focusBefore = (await page.evaluate(() => window.dypls.focused())).key;
    // Two drags in a row: each move arrives in order and on time (left to the browser, a drag
    // became its scroll gesture, and its late moves pulled the list back during the next one).
    const from = center(second);
    await drag(from, { x: from.x, y: from.y - 80 }, { rest: 150 });  // rested: no fling
    await drag(from, { x: from.x, y: from.y - 80 }, { rest: 300 });
    await page.evaluate(() => window.dypls.wake());
    const moved = await findItem(page, 'copy-17000000005');
    assert.ok(Math.abs(second.y - moved.y - 160) <= 3,
      `the row moved ${second.y - moved.y} px for two drags of 80 px`);
    assert.equal(await page.evaluate(() => window.dypls.lastCopied), copiedBefore,
      'a drag that began on Copy copied nothing');
    assert.equal((await page.evaluate(() => window.dypls.focused())).key, focusBefore,
      'nor took focus');

    // A fling: lifted while still moving, the list carries on and slows to a stop.
    const before = await findItem(page, 'copy-17000000010');
    await drag(center(before), { x: center(before).x, y: center(before).y - 90 }, { steps: 4, rest: 0 });
    await page.waitForTimeout(1500);
    await page.evaluate(() => window.dypls.wake());
    const flung = (await items(page)).filter((item) => item.key.startsWith('copy-'));
    const last = flung.find((item) => item.key === 'copy-17000000010');
    const travelled = last ? before.y - last.y : Infinity;  // gone above the view: further still
    assert.ok(travelled > 90 + 20, `a fling carried the list past the drag: ${travelled} px`);
  } finally {
    await phoneStack.stop();
  }
});

// A phone opens its keyboard only for a focus made while it handles the tap itself: iOS ignores
// one made later, as the next frame's would be, when ImGui takes the press. So the textarea that
// receives typed text must hold focus by the end of the tap's own mouseup, not a frame later.
test('a tap on a text field takes the keyboard within the tap; a tap on a button does not', async () => {
  await onIdlePage(phone, async (page) => {
    // Where focus is when each mouseup has been handled (a listener on the document runs after
    // the canvas's own), and how many frames had been drawn by then.
    // (The touch itself may wake a frame before the press; ImGui sees the press only in a
    // frame after its mousedown.)
    await page.evaluate(() => {
      window.seenAtMouseup = [];
      window.framesAtMousedown = 0;
      document.addEventListener('mousedown', () => { window.framesAtMousedown = window.dypls.frames(); });
      document.addEventListener('mouseup', () => window.seenAtMouseup.push({
        focused: document.activeElement?.id ?? '', frames: window.dypls.frames(),
        framesBefore: window.framesAtMousedown,
      }));
    });
    const tapOn = async (key) => {
      const { x, y } = center(await findItem(page, key));
      await page.touchscreen.tap(x, y);
      return page.evaluate(() => window.seenAtMouseup.at(-1));
    };

    const button = await tapOn('tab-activity');
    assert.notEqual(button.focused, 'ime', 'a tap on a tab took the keyboard');
    await findItem(page, 'export-csv');
    await page.waitForTimeout(1200);
    assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'ime');

    await tapOn('tab-credentials');
    await page.waitForTimeout(1200);
    const field = await tapOn('paste-area');
    assert.equal(field.focused, 'ime', 'the textarea had no focus when the tap on the field ended');
    assert.equal(field.frames, field.framesBefore, 'no frame was drawn before it: ImGui had not yet seen the tap');
    await page.waitForTimeout(500);
    assert.equal((await page.evaluate(() => window.dypls.focused())).key, 'paste-area');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'ime', 'the field kept the keyboard');

    // Away from the field to a button: the keyboard goes once ImGui has taken the tap.
    await tapOn('use-demo');
    await page.waitForTimeout(1200);
    assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'ime',
      'the keyboard stayed after a tap away from the field');
  });
});

// A phone's keyboard sends no keypress for most of what it types (Android's send keyCode 229):
// a digit, a symbol or a clipboard suggestion reaches the page only as the textarea's input
// event. Before, such text was dropped, and a phone could not type a number prefix.
test('a phone keyboard types into a field; a hardware key and a composition each arrive once', async () => {
  await onIdlePage(phone, async (page) => {
    const tap = async (key) => {
      const { x, y } = center(await findItem(page, key));
      await page.touchscreen.tap(x, y);
      await page.waitForTimeout(300);  // as a person waits for the keyboard to open
    };
    await tap('use-demo');
    await waitForState(page, (s) => s.credentials.status === 'valid', { what: 'demo credentials' });
    await tap('tab-buy');
    await tap('buy-prefix');
    await page.waitForTimeout(1500);  // the page has stopped drawing: typing must wake it
    await page.keyboard.insertText('170');  // an input event alone, as a phone keyboard sends it
    await page.waitForTimeout(300);
    assert.equal((await page.evaluate(() => window.dypls.state())).buy.prefix, '170',
      'the typed digits were drawn without any other input');
    await page.keyboard.type('1');  // keydown, keypress, input: one character
    await page.waitForTimeout(300);
    assert.equal((await page.evaluate(() => window.dypls.state())).buy.prefix, '1701');

    await tap('buy-pool');
    const before = (await page.evaluate(() => window.dypls.state())).buy.poolKey;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'xy', selectionStart: 2, selectionEnd: 2 });
    await cdp.send('Input.insertText', { text: 'XY' });  // the composition committed
    await page.waitForTimeout(300);
    const after = (await page.evaluate(() => window.dypls.state())).buy.poolKey;
    assert.equal(after.length, before.length + 2, `composed once: ${before} → ${after}`);
    assert.equal(after.split('XY').length, 2, `composed once: ${after}`);
  });
});

// A canvas offers no paste menu, and a phone has no Ctrl+V: the clipboard button is how a phone
// pastes credentials. A browser lets a page read the clipboard only while it handles the user's
// press (iOS asks then), so the read must start in the tap's own mouseup, or the key's keydown.
test('on a phone the clipboard button pastes credentials, read within the tap or the key', async () => {
  const phoneStack = await startConsoleStack({ launchOptions: phone });
  try {
    const { page } = phoneStack.browser;
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'],
      { origin: phoneStack.relay.url });
    const minted = await (await fetch(`${phoneStack.relay.url}/sandbox/assume-role`)).text();
    // Which event the page was handling when it asked for the clipboard, and what it got.
    await page.evaluate(() => {
      window.clipboardText = null;  // null: the real clipboard
      window.readDuring = [];
      const real = navigator.clipboard.readText.bind(navigator.clipboard);
      navigator.clipboard.readText = () => {
        window.readDuring.push(window.event?.type ?? '');
        if (window.clipboardText === 'refused') return Promise.reject(new DOMException('no', 'NotAllowedError'));
        return window.clipboardText === null ? real() : Promise.resolve(window.clipboardText);
      };
    });
    await page.evaluate((text) => navigator.clipboard.writeText(text), minted);
    const tap = async (key) => {
      const { x, y } = center(await findItem(page, key));
      await page.touchscreen.tap(x, y);
      await page.waitForTimeout(300);
    };
    await page.waitForTimeout(1200);

    // Refused, then empty: each says what to do, and nothing is pasted.
    await page.evaluate(() => { window.clipboardText = 'refused'; });
    await tap('paste-clipboard');
    await waitForState(page, (s) => /did not let the page read the clipboard/.test(s.status.text),
      { what: 'the refusal explained' });
    await page.evaluate(() => { window.clipboardText = '  '; });
    await tap('paste-clipboard');
    await waitForState(page, (s) => /clipboard holds no text/.test(s.status.text), { what: 'empty' });
    assert.notEqual((await page.evaluate(() => window.dypls.state())).credentials.status, 'valid');

    await page.evaluate(() => { window.clipboardText = null; });
    await tap('paste-clipboard');
    await waitForState(page, (s) => s.credentials.status === 'valid', { what: 'pasted credentials' });
    assert.deepEqual(await page.evaluate(() => window.readDuring), ['mouseup', 'mouseup', 'mouseup'],
      'each read began while the tap was handled');

    // By keyboard: Shift+Tab from the box to the button, Enter.
    await page.evaluate(() => { window.clipboardText = 'refused'; });
    await tap('paste-area');
    await page.keyboard.press('Shift+Tab');
    await page.waitForTimeout(300);
    assert.equal((await page.evaluate(() => window.dypls.focused())).key, 'paste-clipboard');
    await page.keyboard.press('Enter');
    await waitForState(page, (s) => /did not let the page read the clipboard/.test(s.status.text),
      { what: 'the keyboard read' });
    assert.equal((await page.evaluate(() => window.readDuring)).at(-1), 'keydown');
    assert.equal((await page.evaluate(() => window.readDuring)).length, 4, 'one read per press');
  } finally {
    await phoneStack.stop();
  }
});

// A phone's keyboard opens over the lower half of the page (Android makes the page shorter:
// interactive-widget=resizes-content). A field there would be typed into blind: its caret is
// scrolled back into sight, and the textarea that takes the text sits at the caret, where iOS
// scrolls to and an IME puts its candidates.
test('when a phone keyboard shortens the page, the active field scrolls back into sight', async () => {
  await onIdlePage(phone, async (page) => {
    const { x, y } = center(await findItem(page, 'tab-settings'));
    await page.touchscreen.tap(x, y);
    const field = await findItem(page, 'forget-confirm');
    assert.ok(field.y > 500, `the field starts low on the page: ${field.y}`);
    await page.touchscreen.tap(field.x + 10, field.y + field.h / 2);
    await page.waitForTimeout(300);
    const ime = await page.evaluate(() => document.getElementById('ime').getBoundingClientRect().toJSON());
    assert.ok(Math.abs(ime.y - field.y) <= field.h && ime.x >= field.x && ime.x <= field.x + field.w,
      `the textarea sits at the field: ${JSON.stringify(ime)} field ${JSON.stringify(field)}`);

    await page.setViewportSize({ width: 390, height: 420 });  // the keyboard takes the rest
    await page.waitForTimeout(500);
    const shown = await findItem(page, 'forget-confirm');
    assert.ok(shown.y >= 0 && shown.y + shown.h <= 420,
      `the field is in sight above the keyboard: y ${shown.y}, h ${shown.h}`);
    assert.equal((await page.evaluate(() => window.dypls.focused())).key, 'forget-confirm');
    await page.keyboard.insertText('FOR');
    await page.waitForTimeout(200);
    const moved = await page.evaluate(() => document.getElementById('ime').getBoundingClientRect().toJSON());
    assert.ok(moved.y + moved.height <= 420, `the textarea followed the caret: ${JSON.stringify(moved)}`);
  });
});

// A phone's browser writes the clipboard only while it handles the user's press (Safari refuses
// a write from a later frame): Copy copies during the tap's mouseup, or the key's keydown.
test('Copy on a phone copies within the tap or the key', async () => {
  await onIdlePage(phone, async (page) => {
    await page.evaluate(() => {
      window.writes = [];
      navigator.clipboard.writeText = (text) => {
        window.writes.push({ during: window.event?.type ?? '', text });
        return Promise.resolve();
      };
    });
    const tap = async (key) => {
      const { x, y } = center(await findItem(page, key));
      await page.touchscreen.tap(x, y);
      await page.waitForTimeout(300);
    };
    await tap('use-demo');
    await waitForState(page, (s) => s.credentials.status === 'valid', { what: 'demo credentials' });
    await page.evaluate(() => Module._dypls_bench_fill(0, 3));
    await tap('tab-numbers');
    let drags = 0;  // the row actions lie right of the table: drag across to them
    while (!(await opened(page, 'copy-17000000001')) && drags < 6) {
      const table = await findItem(page, 'lookup');
      const y = table.y + 120;
      const touch = await page.context().newCDPSession(page);
      await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: 360, y }] });
      for (let step = 1; step <= 10; step++) {
        await touch.send('Input.dispatchTouchEvent',
          { type: 'touchMove', touchPoints: [{ x: 360 - step * 30, y }] });
        await page.waitForTimeout(16);
      }
      await page.waitForTimeout(150);
      await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await page.waitForTimeout(300);
      drags += 1;
    }
    await tap('copy-17000000001');
    const writes = await page.evaluate(() => window.writes);
    assert.deepEqual(writes[0], { during: 'mouseup', text: '17000000001' });
    assert.ok(writes.every((w) => w.text === '17000000001'), JSON.stringify(writes));

    await page.keyboard.press('Tab');  // the first key shows the ring where the tap left focus
    await page.waitForTimeout(300);
    assert.deepEqual(await page.evaluate(() => window.dypls.focused()),
      { key: 'copy-17000000001', label: 'Copy', ring: true, role: 'button' });
    const before = (await page.evaluate(() => window.writes)).length;
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    const byKey = (await page.evaluate(() => window.writes)).slice(before);
    assert.deepEqual(byKey[0], { during: 'keydown', text: '17000000001' });
  });
});
