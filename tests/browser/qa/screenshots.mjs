// Writes docs/screenshots/screens-<size>-<lang>-<screen>.png: the console at 390x844 (a phone),
// 1280x800 and 2560x1440 pixels (1280x720 at DPR 2), in English and Chinese, on the Stock panel
// after a query and on the Buy panel with its confirmation open. Not a test: run it by hand
// (node tests/browser/qa/screenshots.mjs) after a change to the layout, then look at every image.
import path from 'node:path';

import { repoRoot, startRelay, startSandbox, webDir } from '../../lib/servers.mjs';
import { click, launch, openConsole, waitForState, waitFrames } from '../lib/browser.mjs';

const SIZES = [
  { name: '390x844', viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 },
  { name: '1280x800', viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
  { name: '2560x1440', viewport: { width: 1280, height: 720 }, deviceScaleFactor: 2 },
];
const out = path.join(repoRoot, 'docs', 'screenshots');

const sandbox = await startSandbox();
const relay = await startRelay(sandbox.url, ['--static', webDir, '--sandbox']);
try {
  for (const size of SIZES) {
    for (const locale of ['en-US', 'zh-CN']) {
      const lang = locale.slice(0, 2);
      const browser = await launch({ locale, viewport: size.viewport,
        deviceScaleFactor: size.deviceScaleFactor });
      const { page } = browser;
      await openConsole(page, `${relay.url}/`);
      await waitForState(page, (s) => s.relay.loaded, { what: 'relay config' });
      await click(page, 'use-demo');
      await waitForState(page, (s) => s.credentials.status === 'valid' && s.buy.poolKey,
        { what: 'demo credentials' });
      await click(page, 'tab-stock');
      await click(page, 'query-stock');
      const s = await waitForState(page, (x) => !x.stock.busy && x.stock.rows.length > 0,
        { what: 'stock' });
      await waitFrames(page, 3);
      const shot = (screen) => page.screenshot({
        path: path.join(out, `screens-${size.name}-${lang}-${screen}.png`) });
      await shot('stock');
      const row = s.stock.rows.find((r) => r.amount > 0 && r.city !== '全国列表');
      await click(page, `use-row-${row.city}`);
      await waitForState(page, (x) => x.buy.city === row.city, { what: 'buy form' });
      await click(page, 'buy');
      await waitForState(page, (x) => x.run.phase === 'confirming', { what: 'confirmation' });
      await waitFrames(page, 3);
      await shot('confirm');
      await browser.close();
      console.log(`${size.name} ${lang}: done`);
    }
  }
} finally {
  await relay.stop();
  await sandbox.stop();
}
