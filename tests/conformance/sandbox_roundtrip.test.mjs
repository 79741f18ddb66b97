// dypls-sign's output is sendable as it stands: its url, body and headers, sent unchanged to the
// sandbox (signed for the sandbox's host), are accepted in every style and method, with and
// without STS credentials, and a wrong secret is refused as SignatureDoesNotMatch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/servers.mjs';
import { runLines } from './dypls_sign.mjs';

const KEY_ID = 'LTAI5tConformanceKey01';
const SECRET = 'conformance-secret+/=';
let sandbox;
before(async () => {
  sandbox = await startServer('dypls-sandbox', ['--listen', '127.0.0.1:0', '--account', `${KEY_ID}:${SECRET}`,
    '--pool', 'FC100000000001', '--seed', '7']);
});
after(async () => { await sandbox?.stop(); });

// Sends a dypls-sign answer to the sandbox (which speaks plain HTTP) exactly as signed.
async function send(answer) {
  const url = answer.url.replace(/^https:\/\/[^/]+/, sandbox.url);
  const headers = { ...(answer.headers ?? {}) };
  if (answer.contentType) headers['content-type'] = answer.contentType;
  const response = await fetch(url, { method: answer.method, headers, body: answer.body });
  return { status: response.status, json: await response.json() };
}

function request(style, method, extra = {}) {
  return {
    style, method, accessKeyId: KEY_ID, accessKeySecret: SECRET, action: 'QuerySecretNoRemain',
    endpoint: sandbox.url.replace('http://', ''), params: { City: '杭州', SpecId: 1 }, ...extra,
  };
}

test('every style and method is accepted with a long-term key', async () => {
  const combos = [['v1', 'GET'], ['v1', 'POST'], ['v3', 'GET'], ['v3', 'POST']];
  const { answers } = await runLines(combos.map(([s, m]) => JSON.stringify(request(s, m))));
  for (const [i, answer] of answers.entries()) {
    const { status, json } = await send(answer);
    assert.equal(status, 200, `${combos[i]}: ${JSON.stringify(json)}`);
    assert.equal(json.Code, 'OK', `${combos[i]}: ${JSON.stringify(json)}`);
  }
});

test('STS credentials from the sandbox are accepted in both styles', async () => {
  const role = await (await fetch(`${sandbox.url}/sandbox/assume-role`)).json();
  const { AccessKeyId, AccessKeySecret, SecurityToken } = role.Credentials;
  const sts = { accessKeyId: AccessKeyId, accessKeySecret: AccessKeySecret, securityToken: SecurityToken };
  const combos = [['v1', 'POST'], ['v3', 'POST'], ['v1', 'GET'], ['v3', 'GET']];
  const { answers } = await runLines(combos.map(([s, m]) => JSON.stringify(request(s, m, sts))));
  for (const [i, answer] of answers.entries()) {
    const { status, json } = await send(answer);
    assert.equal(status, 200, `${combos[i]}: ${JSON.stringify(json)}`);
    assert.equal(json.Code, 'OK', `${combos[i]}: ${JSON.stringify(json)}`);
  }
});

test('a wrong secret is refused as SignatureDoesNotMatch', async () => {
  const { answers } = await runLines([JSON.stringify(request('v1', 'POST', { accessKeySecret: 'wrong' })),
    JSON.stringify(request('v3', 'POST', { accessKeySecret: 'wrong' }))]);
  for (const answer of answers) {
    const { status, json } = await send(answer);
    assert.equal(status, 400);
    assert.equal(json.Code, 'SignatureDoesNotMatch');
  }
});
