// A POST with no Content-Length (what `curl -X POST` sends with no data, e.g. a copied V3 request
// or V1 with its parameters in the query) has no body, and the gateway answers it from its query
// and headers. The sandbox must do the same, at once, and keep the connection usable: not stall
// until a read timeout and then answer a sandbox-only BadRequest.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, test } from 'node:test';

import { runLines } from '../conformance/dypls_sign.mjs';
import { startSandbox } from '../lib/servers.mjs';

let sandbox;
before(async () => { sandbox = await startSandbox(); });
after(async () => { await sandbox?.stop(); });

let nonce = 0;
/** Signs a QuerySecretNoRemain with dypls-sign for this sandbox (fresh time and nonce). */
async function signed(style) {
  const line = {
    method: 'POST', style, accessKeyId: sandbox.account.id, accessKeySecret: sandbox.account.secret,
    securityToken: null, action: 'QuerySecretNoRemain', version: '2017-05-25',
    endpoint: new URL(sandbox.url).host, nonce: `no-length-${process.pid}-${++nonce}`,
    timestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    params: { SpecId: 1, City: '杭州' },
  };
  const { answers: [answer] } = await runLines([JSON.stringify(line)]);
  assert.equal(answer.error, undefined, answer.error);
  return answer;
}

/** The request line and headers (no Content-Length, no Transfer-Encoding) for a signed answer. */
function head(answer) {
  const url = new URL(answer.url);
  // V1 POST signs a form body; the gateway signs the union of query and body, so the same
  // parameters may travel in the query instead, with no body at all.
  const target = answer.body ? `/?${answer.body}` : `${url.pathname}${url.search}`;
  const lines = [`POST ${target} HTTP/1.1`, `Host: ${url.host}`];
  for (const [name, value] of Object.entries(answer.headers ?? {})) {
    if (name.toLowerCase() !== 'host') lines.push(`${name}: ${value}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Sends raw requests one after another on one kept-alive connection; resolves to each answer. */
function exchange(requests, { timeoutMs = 4000 } = {}) {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(sandbox.url);
    const socket = net.connect(Number(port), hostname);
    const answers = [];
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms (got ${answers.length}): ${buffer}`));
    }, timeoutMs);
    const sendNext = () => socket.write(requests[answers.length]);
    socket.on('connect', sendNext);
    socket.on('error', (error) => { clearTimeout(timer); reject(error); });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const headText = buffer.subarray(0, end).toString('latin1');
        const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(headText)?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        const body = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
        buffer = buffer.subarray(end + 4 + length);
        answers.push({ status: Number(headText.split(' ')[1]), body: JSON.parse(body) });
        if (answers.length === requests.length) {
          clearTimeout(timer);
          socket.end();
          resolve(answers);
          return;
        }
        sendNext();
      }
    });
  });
}

for (const style of ['v1', 'v3']) {
  test(`${style}: a POST with no Content-Length is answered at once from its query`, async () => {
    const first = head(await signed(style));
    const second = head(await signed(style));
    assert.doesNotMatch(first, /content-length|transfer-encoding/i);
    const started = performance.now();
    const answers = await exchange([first, second]);
    const elapsed = performance.now() - started;
    for (const answer of answers) {
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.equal(answer.body.Code, 'OK');
      assert.equal(answer.body.SecretRemainDTO.City, '杭州');
    }
    assert.ok(elapsed < 3000, `answered in ${Math.round(elapsed)} ms, not after a read timeout`);
  });
}
