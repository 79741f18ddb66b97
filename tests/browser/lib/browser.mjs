// Drives Debian's Chromium (playwright-core) against the console page: launch with the flags
// that give WebGL2 headless, wait for the first frame, read window.dypls, click at the
// rectangles the program reports, paste with a real paste event, take screenshots.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

import { repoRoot, startRelay, startSandbox, webDir } from '../../lib/servers.mjs';

export const screenshotDir = path.join(repoRoot, 'tests', 'out', 'screenshots');

const FLAGS = [
  '--headless=new', '--no-sandbox', '--enable-unsafe-swiftshader',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-first-run', '--disable-quic', '--disable-dev-shm-usage',
];

/**
 * Launches Chromium with a fresh profile; resolves to { context, page, close() }.
 * `locale` sets navigator.language (the console's default language follows it); `touch` makes
 * it a phone: a touch screen, mobile viewport rules, taps through page.touchscreen.
 */
export async function launch({ locale = 'zh-CN', viewport = { width: 1280, height: 800 },
  deviceScaleFactor = 1, extraArgs = [], touch = false } = {}) {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'dypls-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.DYPLS_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...FLAGS, ...extraArgs],
    locale,
    viewport,
    deviceScaleFactor,
    hasTouch: touch,
    isMobile: touch,
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  const consoleLines = [];
  page.on('console', (message) => consoleLines.push(`${message.type()}: ${message.text()}`));
  page.on('pageerror', (error) => consoleLines.push(`pageerror: ${error.message}`));
  return {
    context,
    page,
    consoleLines,
    userDataDir,  // names the browser's process (bench/idle.mjs reads its CPU time)
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Navigates and waits for the first drawn frame; resolves to ms from navigation to it. */
export async function openConsole(page, url, { timeoutMs = 20000 } = {}) {
  await page.goto(url);
  await page.waitForFunction(() => window.dypls && window.dypls.frames() > 0, null,
    { timeout: timeoutMs });
  return page.evaluate(() => window.dypls.firstFrameAt);
}

export const state = (page) => page.evaluate(() => window.dypls.state());
export const items = (page) => page.evaluate(() => window.dypls.items());

/** Waits until `predicate(state)` holds; returns that state. */
export async function waitForState(page, predicate, { timeoutMs = 15000, what = 'state' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await state(page);
    if (predicate(last)) return last;
    await page.waitForTimeout(50);
  }
  throw new Error(`timed out waiting for ${what}; last state: ${JSON.stringify(last).slice(0, 2000)}`);
}

/** The item with this key (the part of its label after ###), waiting until it is drawn. */
export async function findItem(page, key, { timeoutMs = 10000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await items(page)).find((item) => item.key === key);
    if (found) return found;
    await page.waitForTimeout(50);
  }
  const keys = (await items(page)).map((item) => item.key).join(', ');
  throw new Error(`no item "${key}" on screen; visible: ${keys}`);
}

/**
 * Resolves once the program has drawn `count` more frames (timing that holds under load). An
 * idle page draws nothing, so this wakes it first, as input would.
 */
export async function waitFrames(page, count = 2) {
  const start = await page.evaluate(() => { window.dypls.wake(); return window.dypls.frames(); });
  await page.waitForFunction((target) => window.dypls.frames() >= target, start + count,
    { polling: 'raf' });
}

/** Clicks the middle of the item's reported rectangle with the real mouse. */
export async function click(page, key) {
  const item = await findItem(page, key);
  const x = item.x + item.w / 2;
  const y = item.y + item.h / 2;
  await page.mouse.move(x, y);
  await waitFrames(page);  // ImGui sees the hover before the press
  await page.mouse.down();
  await waitFrames(page);  // held across frames, so the press is seen on a frame of its own
  await page.mouse.up();
  await waitFrames(page);
  return item;
}

/** Types into a text field: click it, select all, then type (keys held ~60 ms each). */
export async function typeInto(page, key, text) {
  await click(page, key);
  await page.keyboard.down('Control');
  await page.keyboard.press('a', { delay: 60 });
  await page.keyboard.up('Control');
  await page.keyboard.press('Backspace', { delay: 60 });
  for (const ch of text) await page.keyboard.press(ch, { delay: 60 });
  await waitFrames(page);
}

/** Presses Enter/Escape etc. long enough for ImGui to see it. */
export async function press(page, key) {
  await page.keyboard.press(key, { delay: 60 });
  await page.waitForTimeout(60);
}

/**
 * Pastes `text` the way a person does: it goes on the system clipboard, then Ctrl+V makes the
 * browser fire a trusted paste event that the page forwards to the program.
 */
export async function paste(page, text) {
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.down('Control');
  await page.keyboard.press('v', { delay: 60 });
  await page.keyboard.up('Control');
  await page.waitForTimeout(80);
}

/** Saves a screenshot as tests/out/screenshots/<name>.png and returns its path. */
export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.waitForTimeout(120);  // a couple of frames after the last change
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * What most browser tests stand on: a sandbox, a relay serving the page in front of it, and
 * Chromium. With `open`, the console is loaded and has read the relay's configuration;
 * `onPage(page)` runs first (to record traffic from the first request); `launchOptions` go to
 * launch() (e.g. `{ touch: true, viewport }` for a phone). `stop()` ends all three.
 */
export async function startConsoleStack({ sandboxArgs = [], locale = 'en-US', open = true,
  onPage, launchOptions = {} } = {}) {
  const sandbox = await startSandbox(sandboxArgs);
  const relay = await startRelay(sandbox.url, ['--static', webDir, '--sandbox']);
  const browser = await launch({ locale, ...launchOptions });
  onPage?.(browser.page);
  if (open) {
    await openConsole(browser.page, `${relay.url}/`);
    await waitForState(browser.page, (s) => s.relay.loaded, { what: 'relay config' });
  }
  return {
    sandbox,
    relay,
    browser,
    async stop() {
      await browser.close();
      await relay.stop();
      await sandbox.stop();
    },
  };
}

/**
 * For a test file whose tests share one stack: starts it before the first test and stops it
 * after the last. The returned object gets startConsoleStack()'s fields once it is up.
 */
export function useConsoleStack(options) {
  const stack = {};
  before(async () => { Object.assign(stack, await startConsoleStack(options)); });
  after(async () => { await stack.stop?.(); });
  return stack;
}
