// The page: bytes on the wire (brotli or gzip as the relay serves them) for everything it loads, split by
// kind, and the time from navigation to the first frame and to "ready for input" over cold loads
// in headless Chromium (a fresh profile each time, so nothing comes from a cache; each browser
// left to finish its own start before the page is opened, see settleBrowser).
//
//   node bench/page.mjs --out DIR [--loads 5]
//
// "Ready for input": the relay's configuration has arrived and a frame has been drawn after it,
// so the console shows sandbox or live and every button works. Prints one JSON object on stdout.
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';

import { launch } from '../tests/browser/lib/browser.mjs';
import { median, repoRoot, settleBrowser, startPageServers, webDir } from './lib.mjs';

const { values: args } = parseArgs({
  options: { out: { type: 'string' }, loads: { type: 'string', default: '5' } },
});
if (!args.out) {
  console.error('usage: node bench/page.mjs --out DIR [--loads N]');
  process.exit(2);
}
const OUT = path.resolve(args.out);
mkdirSync(OUT, { recursive: true });
const LOADS = Number(args.loads);
const TIMEOUT_MS = 30000;
const log = (...parts) => console.error('[page]', ...parts);

// Runs before the page's own scripts: notes when the console is first ready for input.
const READY_PROBE = `(() => {
  const tick = () => {
    try {
      const d = window.dypls;
      if (d && d.frames() > 0 && d.state().relay.loaded) { window.__benchReadyAt = performance.now(); return; }
    } catch { /* the program's exports exist before the program does */ }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();`;

function kindOf(url) {
  const { pathname } = new URL(url);
  if (pathname.endsWith('.wasm')) return 'wasm';
  if (pathname.endsWith('.js')) return 'js';
  if (pathname.endsWith('dypls-font-rest.ttf')) return 'fontRest';  // fetched after the first frame
  if (/\.(ttf|otf|woff2?)$/.test(pathname)) return 'font';
  if (pathname.endsWith('.css')) return 'css';
  if (pathname === '/' || pathname.endsWith('.html')) return 'html';
  return 'other';  // /relay/config and the like
}

async function coldLoad(url) {
  const browser = await launch({ locale: 'en-US' });
  try {
    const { page } = browser;
    const settleMs = await settleBrowser(browser.userDataDir);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const requests = new Map();
    cdp.on('Network.responseReceived', (e) => {
      requests.set(e.requestId, {
        url: e.response.url,
        status: e.response.status,
        encoding: e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? '',
      });
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = requests.get(e.requestId);
      if (r) r.wireBytes = e.encodedDataLength;
    });
    await page.addInitScript(READY_PROBE);
    await page.goto(url, { timeout: TIMEOUT_MS });
    await page.waitForFunction(() => window.__benchReadyAt !== undefined, null, { timeout: TIMEOUT_MS });
    const times = await page.evaluate(() => ({
      firstFrameMs: window.dypls.firstFrameAt,
      readyMs: window.__benchReadyAt,
    }));
    await page.waitForFunction(() => window.dypls.fontComplete, null, { timeout: TIMEOUT_MS });
    await page.waitForTimeout(300);  // late responses (none expected) still get counted
    const bytes = {};
    const files = [];
    for (const r of requests.values()) {
      const kind = kindOf(r.url);
      bytes[kind] = (bytes[kind] ?? 0) + (r.wireBytes ?? 0);
      files.push({ path: new URL(r.url).pathname, kind, status: r.status, encoding: r.encoding, wireBytes: r.wireBytes ?? 0 });
    }
    bytes.total = Object.values(bytes).reduce((a, b) => a + b, 0);
    // What the first frame waits for: everything but the rest of the font, which follows it.
    bytes.firstFrame = bytes.total - (bytes.fontRest ?? 0);
    return { ...times, settleMs, bytes, files };
  } finally {
    await browser.close();
  }
}

/**
 * A second visit with nothing changed: the same profile loads the page, then loads it again; the
 * files revalidate (ETag, 304) instead of coming again. Resolves to the bytes of the second load.
 */
async function secondVisit(url) {
  const browser = await launch({ locale: 'en-US' });
  try {
    const { page } = browser;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    let bytes = 0;
    const statuses = [];
    let counting = false;
    cdp.on('Network.responseReceived', (e) => { if (counting) statuses.push(e.response.status); });
    cdp.on('Network.loadingFinished', (e) => { if (counting) bytes += e.encodedDataLength; });
    await page.addInitScript(READY_PROBE);
    await page.goto(url, { timeout: TIMEOUT_MS });
    const loaded = () => page.waitForFunction(
      () => window.__benchReadyAt !== undefined && window.dypls.fontComplete, null, { timeout: TIMEOUT_MS });
    await loaded();
    counting = true;
    await page.goto(url, { timeout: TIMEOUT_MS });
    await loaded();
    await page.waitForTimeout(300);
    return { bytes, statuses };
  } finally {
    await browser.close();
  }
}

// What each part is made of and what shrank it, measured from the build's own files.
function composition() {
  const size = (name) => {
    try { return statSync(path.join(webDir, name)).size; } catch { return null; }
  };
  const files = readdirSync(webDir).filter((f) => !/\.(gz|br)$/.test(f)).map((name) => ({
    name, bytes: size(name), gzipBytes: size(`${name}.gz`), brotliBytes: size(`${name}.br`),
  }));
  const thirdParty = readFileSync(path.join(repoRoot, 'cmake', 'third_party.cmake'), 'utf8');
  const mbedtlsUsed = (thirdParty.match(/\$\{_mbed\}\/library\/\w+\.c/g) ?? []).length;
  let mbedtlsAll = null;
  try {
    const mbed = /set\(_mbed \$\{DYPLS_THIRD_PARTY\}\/([\w.-]+)\)/.exec(thirdParty)?.[1] ?? 'mbedtls';
    mbedtlsAll = readdirSync(path.join(repoRoot, 'third_party', mbed, 'library'))
      .filter((f) => f.endsWith('.c')).length;
  } catch { /* third_party not unpacked */ }
  const pageCmake = readFileSync(path.join(repoRoot, 'src', 'console', 'page.cmake'), 'utf8');
  const fullFont = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
  let fullFontBytes = null;
  let fullFontGzipBytes = null;
  try {
    const data = readFileSync(fullFont);
    fullFontBytes = data.length;
    fullFontGzipBytes = gzipSync(data, { level: 9 }).length;
  } catch { /* font package missing */ }
  return {
    files,
    mbedtlsFilesCompiled: mbedtlsUsed,
    mbedtlsFilesInSource: mbedtlsAll,
    linkOs: /(^|\s)-Os(\s|$)/m.test(pageCmake),
    closure: /--closure\s+1/.test(pageCmake),
    filesystem: !/-sFILESYSTEM=0/.test(pageCmake),
    fullFont: { path: fullFont, bytes: fullFontBytes, gzipBytes: fullFontGzipBytes },
  };
}

const servers = await startPageServers(OUT);
try {
  const loads = [];
  for (let i = 0; i < LOADS; i++) {
    const load = await coldLoad(servers.url);
    log(`load ${i + 1}: first frame ${load.firstFrameMs.toFixed(0)} ms, ready ${load.readyMs.toFixed(0)} ms, ${load.bytes.total} B (browser settled in ${load.settleMs} ms)`);
    loads.push(load);
  }
  const second = await secondVisit(servers.url);
  log(`second visit: ${second.bytes} B (statuses ${second.statuses.join(' ')})`);
  const kinds = [...new Set(loads.flatMap((l) => Object.keys(l.bytes)))];
  const bytes = Object.fromEntries(kinds.map((k) => [k, median(loads.map((l) => l.bytes[k] ?? 0))]));
  console.log(JSON.stringify({
    loads: LOADS,
    firstFrameMs: median(loads.map((l) => l.firstFrameMs)),
    readyMs: median(loads.map((l) => l.readyMs)),
    firstFrameAllMs: loads.map((l) => Math.round(l.firstFrameMs)),
    readyAllMs: loads.map((l) => Math.round(l.readyMs)),
    settleAllMs: loads.map((l) => l.settleMs),
    bytes,
    secondVisit: second,
    files: loads[0].files,
    composition: composition(),
  }));
} finally {
  await servers.stop();
}
