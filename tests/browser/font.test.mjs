// The font comes in two parts: the page's own text and cities for the first frame, the rest of
// the common CJK set right after it. Until the rest arrives a server message may lack glyphs;
// once merged, it renders, and the page's own text never lacked any.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { openConsole, startConsoleStack, waitFrames, waitForState } from './lib/browser.mjs';

// Messages the API may answer with; their rarer characters are outside the page's own text.
const SERVER_MESSAGES = ['账户余额不足，请充值后重试', '号码资源已被占用，请更换城市后重试'];
const PAGE_TEXT = '号码隐私保护控制台 凭证 库存 购买 杭州 乌鲁木齐 呼和浩特';

let stack;
let page;
let releaseRest;

before(async () => {
  stack = await startConsoleStack({ locale: 'zh-CN', open: false });
  page = stack.browser.page;
  const held = new Promise((resolve) => { releaseRest = resolve; });
  await page.route('**/dypls-font-rest.ttf', async (route) => { await held; await route.continue(); });
  await openConsole(page, `${stack.relay.url}/`);
  await waitForState(page, (s) => s.relay.loaded, { what: 'relay config' });
});

after(async () => {
  releaseRest?.();
  await stack?.stop();
});

const missing = (text) => page.evaluate((t) => window.dypls.missingGlyphs(t), text);

test('the first frame draws the page\'s own text with the first-frame font alone', async () => {
  assert.equal(await page.evaluate(() => window.dypls.fontComplete), false, 'the rest is held back');
  assert.equal(await missing(PAGE_TEXT), '');
  const lacking = await missing(SERVER_MESSAGES.join(''));
  assert.ok(lacking.length > 0, 'the first-frame font should not hold the whole common set');
});

test('after the rest arrives, server messages in Chinese render', async () => {
  releaseRest();
  await page.waitForFunction(() => window.dypls.fontComplete, null, { timeout: 20000 });
  await waitFrames(page);  // the atlas is rebuilt on the next frame
  for (const message of SERVER_MESSAGES) assert.equal(await missing(message), '', message);
  assert.equal(await missing(PAGE_TEXT), '');
});
