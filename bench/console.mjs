// The console at work in headless Chromium: CPU time per frame (median and p99, measured inside
// the program around each frame) with an empty history, with 10,000 history rows, and with 1,000
// numbers; then, on a fresh page, the wasm heap after 1,000 real requests through the relay to
// the sandbox.
//
//   node bench/console.mjs --out DIR [--rows 10000] [--numbers 1000] [--requests 1000] [--seconds 4]
//
// The tables must clip (draw only the visible rows): with clipping, 10,000 rows cost about what
// an empty table does. Prints one JSON object on stdout.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { click, launch } from '../tests/browser/lib/browser.mjs';
import { startPageServers } from './lib.mjs';

const { values: args } = parseArgs({
  options: {
    out: { type: 'string' },
    rows: { type: 'string', default: '10000' },
    numbers: { type: 'string', default: '1000' },
    requests: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '5' },
    'requests-cap': { type: 'string', default: '200' },  // seconds: a loaded machine is slow
  },
});
if (!args.out) {
  console.error('usage: node bench/console.mjs --out DIR [--rows N] [--numbers N] [--requests N] [--seconds S]');
  process.exit(2);
}
const OUT = path.resolve(args.out);
mkdirSync(OUT, { recursive: true });
const ROWS = Number(args.rows);
const NUMBERS = Number(args.numbers);
const REQUESTS = Number(args.requests);
const MEASURE_MS = Number(args.seconds) * 1000;
const REQUESTS_CAP_MS = Number(args['requests-cap']) * 1000;
const log = (...parts) => console.error('[console]', ...parts);

const frameStats = (page) =>
  page.evaluate(() => JSON.parse(Module.UTF8ToString(Module._dypls_frame_stats())));

async function openReady(browser, url) {
  await browser.page.goto(url, { timeout: 30000 });
  await browser.page.waitForFunction(() => {
    try { return window.dypls.frames() > 0 && window.dypls.state().relay.loaded; } catch { return false; }
  }, null, { timeout: 30000 });
  await browser.page.waitForTimeout(500);  // the first frames rasterise the font atlas
}

/** Frame times over MEASURE_MS of frames drawn in the current view. */
async function measureFrames(page) {
  await page.evaluate(() => window.dypls.drawContinuously(true));  // idle, it would draw none
  await page.waitForTimeout(300);  // the view change's own frames are not part of it
  await page.evaluate(() => Module._dypls_frame_stats_reset());
  await page.waitForTimeout(MEASURE_MS);
  const stats = await frameStats(page);
  await page.evaluate(() => window.dypls.drawContinuously(false));
  return stats;
}

async function frameTimes(url) {
  const browser = await launch({ locale: 'en-US' });
  try {
    const { page } = browser;
    await openReady(browser, url);
    await click(page, 'tab-activity');
    log('frames: empty history (Activity tab)');
    const empty = await measureFrames(page);
    const size = await page.evaluate(([rows, numbers]) => Module._dypls_bench_fill(rows, numbers),
      [ROWS, NUMBERS]);
    if (size < ROWS) throw new Error(`the history holds ${size} rows after adding ${ROWS}`);
    log(`frames: ${ROWS} history rows (Activity tab)`);
    const history = await measureFrames(page);
    await click(page, 'tab-numbers');
    log(`frames: ${NUMBERS} numbers (Numbers tab)`);
    const numbers = await measureFrames(page);
    return { empty, history, numbers };
  } finally {
    await browser.close();
  }
}

async function heapAfterRequests(url) {
  const browser = await launch({ locale: 'en-US' });
  try {
    const { page } = browser;
    await openReady(browser, url);
    await page.evaluate(() => Module._dypls_bench_use_demo());
    await page.waitForFunction(() => window.dypls.state().credentials.keyId !== undefined, null,
      { timeout: 15000 });
    const before = await frameStats(page);
    log(`heap: ${REQUESTS} stock queries through the relay`);
    const outcome = await page.evaluate(async ([count, capMs]) => {
      // Yields without setTimeout's clamping; the answer arrives as an event in between.
      const yieldTask = () => new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(0);
      });
      const started = performance.now();
      let sent = 0;
      while (sent < count && performance.now() - started < capMs) {
        if (!Module._dypls_bench_query_stock()) throw new Error('a stock query was not sent');
        sent++;
        const deadline = performance.now() + 10000;
        while (window.dypls.state().stock.busy) {
          if (performance.now() > deadline) throw new Error('a stock query took over 10 s');
          await yieldTask();
        }
      }
      const state = window.dypls.state();
      return { sent, seconds: (performance.now() - started) / 1000, logCount: state.logCount,
        lastCode: state.log.at(-1)?.code ?? null };
    }, [REQUESTS, REQUESTS_CAP_MS]);
    if (outcome.sent < REQUESTS) log(`only ${outcome.sent} of ${REQUESTS} queries in ${REQUESTS_CAP_MS / 1000} s`);
    if (outcome.lastCode !== 'OK') throw new Error(`the last query answered ${outcome.lastCode}`);
    await page.waitForTimeout(300);
    const after = await frameStats(page);
    return {
      requests: outcome.sent,
      requested: REQUESTS,
      seconds: outcome.seconds,
      logCount: outcome.logCount,
      heapBytesBefore: before.heapBytes,
      mallocBytesBefore: before.mallocBytes,
      heapBytesAfter: after.heapBytes,
      mallocBytesAfter: after.mallocBytes,
    };
  } finally {
    await browser.close();
  }
}

const servers = await startPageServers(OUT);
try {
  const frames = await frameTimes(servers.url);
  const heap = await heapAfterRequests(servers.url);
  console.log(JSON.stringify({ rows: ROWS, numbers: NUMBERS, measureSeconds: MEASURE_MS / 1000, frames, heap }));
} finally {
  await servers.stop();
}
