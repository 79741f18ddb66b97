// The idle page: frames drawn and CPU time spent by Chromium's renderer and GPU processes over
// seconds of nothing happening, with the page as it opens (no credentials) and with credentials
// whose countdown ticks each second; "every frame" is the same page made to draw on every
// animation frame, as it did before it learned to idle. Then how soon input is drawn: the number
// of animation frames from a real mouse move or key press on the idle page to its first frame
// (1 = the very next frame).
//
//   node bench/idle.mjs --out DIR [--seconds 10]
//
// Prints one JSON object on stdout.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { click, launch, openConsole, waitForState } from '../tests/browser/lib/browser.mjs';
import { cpuByType, settleBrowser, startPageServers } from './lib.mjs';

const { values: args } = parseArgs({
  options: { out: { type: 'string' }, seconds: { type: 'string', default: '10' } },
});
if (!args.out) {
  console.error('usage: node bench/idle.mjs --out DIR [--seconds 10]');
  process.exit(2);
}
const OUT = path.resolve(args.out);
mkdirSync(OUT, { recursive: true });
const SECONDS = Number(args.seconds);
const log = (...parts) => console.error('[idle]', ...parts);
/** Frames and CPU over SECONDS of the page left alone. */
async function idleFor(browser) {
  const { page } = browser;
  await page.waitForTimeout(1500);  // the last input's settling frames end
  const frames0 = await page.evaluate(() => window.dypls.frames());
  const cpu0 = cpuByType(browser.userDataDir);
  const t0 = Date.now();
  await page.waitForTimeout(SECONDS * 1000);
  const wall = (Date.now() - t0) / 1000;
  const cpu1 = cpuByType(browser.userDataDir);
  const frames = (await page.evaluate(() => window.dypls.frames())) - frames0;
  const percent = (type) => (100 * ((cpu1[type] ?? 0) - (cpu0[type] ?? 0))) / wall;
  return {
    seconds: Math.round(wall * 10) / 10,
    framesPerSecond: Math.round((frames / wall) * 100) / 100,
    rendererCpuPercent: Math.round(percent('renderer') * 100) / 100,
    gpuCpuPercent: Math.round(percent('gpu-process') * 100) / 100,
  };
}

/**
 * Animation frames from a real input event on the idle page to the first frame drawn after it.
 * The probe counts its own rAF callbacks, which run after the program's in the same frame.
 */
async function inputLatency(page, send) {
  await page.waitForTimeout(1500);
  const probe = page.evaluate((kinds) => new Promise((resolve) => {
    const start = () => {
      const frames0 = window.dypls.frames();
      const t0 = performance.now();
      let ticks = 0;
      const tick = () => {
        ticks += 1;
        if (window.dypls.frames() > frames0) resolve({ frames: ticks, ms: performance.now() - t0 });
        else if (ticks >= 120) resolve({ frames: null, ms: performance.now() - t0 });
        else requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    };
    for (const kind of kinds) window.addEventListener(kind, start, { once: true });
  }), ['mousemove', 'keydown']);
  await page.waitForTimeout(100);  // the probe is listening
  await send(page);
  return probe;
}

const servers = await startPageServers(OUT);
const browser = await launch({ locale: 'en-US' });
try {
  const { page } = browser;
  // Chromium's own start (its UI pages' renderers) would otherwise be counted as the page's.
  await settleBrowser(browser.userDataDir);
  // The state hook answers only once the runtime is up: wait for the first frame first.
  await openConsole(page, servers.url, { timeoutMs: 30000 });
  await waitForState(page, (s) => s.relay.loaded, { timeoutMs: 30000, what: 'relay config' });
  log(`${SECONDS} s idle, as the page opens`);
  const opened = await idleFor(browser);
  log(JSON.stringify(opened));
  await click(page, 'use-demo');
  await waitForState(page, (s) => s.credentials.status === 'valid', { what: 'demo credentials' });
  log(`${SECONDS} s idle, with a credentials countdown`);
  const countdown = await idleFor(browser);
  log(JSON.stringify(countdown));
  const mouse = await inputLatency(page, (p) => p.mouse.move(400, 300));
  const key = await inputLatency(page, (p) => p.keyboard.press('Shift'));
  log(`input to frame: mouse ${JSON.stringify(mouse)}, key ${JSON.stringify(key)}`);
  await page.evaluate(() => window.dypls.drawContinuously(true));
  log(`${SECONDS} s drawing every frame (as before idling)`);
  const everyFrame = await idleFor(browser);
  log(JSON.stringify(everyFrame));
  console.log(JSON.stringify({ seconds: SECONDS, opened, countdown, everyFrame, inputFrames: { mouse, key } }));
} finally {
  await browser.close();
  await servers.stop();
}
