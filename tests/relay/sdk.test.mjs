// The vendor's own SDKs through the relay to the sandbox: pop-core (V1) and openapi-client (V3)
// query stock, buy a number and release it. V3 is signed for the signHost that /relay/config
// names, because the relay sets Host to the upstream's; the request itself goes to /api/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import { startRelay, startSandbox } from '../lib/servers.mjs';
import { logLines } from './helpers.mjs';

const require = createRequire(import.meta.url);
const { RPCClient } = require('@alicloud/pop-core');
const OpenApiClient = require('@alicloud/openapi-client');
const { RuntimeOptions } = require('@alicloud/tea-util');

let sandbox;
let relay;
let relayConfig;

before(async () => {
  sandbox = await startSandbox();
  relay = await startRelay(sandbox.url, ['--sandbox', '--rate', '0']);
  relayConfig = await (await fetch(`${relay.url}/relay/config`)).json();
});
after(async () => {
  await relay?.stop();
  await sandbox?.stop();
});

// The log lines of `action`, once one of them `matches` (a line is written just after its answer).
async function relayLog(action, matches) {
  const lines = await logLines(relay, (all) => all.some((l) => l.action === action && matches(l)));
  return lines.filter((l) => l.action === action);
}

// A city that has stock, from the live source (全国列表).
async function cityWithStock(query) {
  const answer = await query({ SpecId: 1, City: '全国列表' });
  assert.equal(answer.Code, 'OK', JSON.stringify(answer));
  const cities = answer.SecretRemainDTO.RemainDTOList.remainDTO.filter((c) => Number(c.Amount) > 0);
  assert.ok(cities.length > 0, 'the sandbox has stock somewhere');
  return cities[0].City;
}

test('pop-core (V1, POST form and GET query) through the relay', async () => {
  const client = (method) => {
    const c = new RPCClient({
      endpoint: `${relay.url}/api`, apiVersion: '2017-05-25',
      accessKeyId: sandbox.account.id, accessKeySecret: sandbox.account.secret,
    });
    return (action, params) => c.request(action, params, { method, timeout: 5000 });
  };
  const post = client('POST');
  const get = client('GET');
  const city = await cityWithStock((p) => get('QuerySecretNoRemain', p));
  const stock = await post('QuerySecretNoRemain', { SpecId: 1, City: city });
  assert.equal(stock.Code, 'OK');
  const bought = await post('BuySecretNo', { PoolKey: sandbox.poolKey, SpecId: 1, City: city });
  assert.equal(bought.Code, 'OK', JSON.stringify(bought));
  const secretNo = bought.SecretBuyInfoDTO.SecretNo;
  assert.match(secretNo, /^\d{11,}$/);
  const released = await post('ReleaseSecretNo', { PoolKey: sandbox.poolKey, SecretNo: secretNo });
  assert.equal(released.Code, 'OK', JSON.stringify(released));

  const lines = await relayLog('BuySecretNo', (l) => l.requestId === bought.RequestId);
  assert.ok(lines.some((l) => l.status === 200 && l.upstreamStatus === 200 && l.requestId === bought.RequestId),
    'the purchase went through the relay');
  assert.ok(lines.every((l) => !JSON.stringify(l).includes(sandbox.account.id)), 'key id masked');
});

test('openapi-client (V3, STS from the relay\'s assume-role) through the relay', async () => {
  assert.equal(relayConfig.sandbox, true);
  const role = await (await fetch(`${relay.url}/sandbox/assume-role?DurationSeconds=900`)).json();
  const { AccessKeyId, AccessKeySecret, SecurityToken } = role.Credentials;
  assert.match(AccessKeyId, /^STS\./);

  // Signed for signHost and "/", delivered to the relay's /api/ (what the console does too).
  const relayPort = relay.port;
  const originalRequest = http.request;
  let redirected = 0;
  http.request = function patched(options, ...rest) {
    if (typeof options === 'object' && `${options.host}:${options.port}` === relayConfig.signHost) {
      redirected++;
      options = { ...options, host: '127.0.0.1', port: relayPort, path: `/api${options.path}` };
    }
    return originalRequest.call(this, options, ...rest);
  };
  try {
    const client = new OpenApiClient.default(new OpenApiClient.Config({
      accessKeyId: AccessKeyId, accessKeySecret: AccessKeySecret, securityToken: SecurityToken,
      endpoint: relayConfig.signHost, protocol: 'http',
    }));
    const call = async (action, query) => {
      const params = new OpenApiClient.Params({
        action, version: relayConfig.version, protocol: 'HTTP', pathname: '/', method: 'POST',
        authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
      });
      const request = new OpenApiClient.OpenApiRequest({ query });
      const answer = await client.callApi(params, request, new RuntimeOptions({ autoretry: false }));
      return answer.body;
    };
    const city = await cityWithStock((q) => call('QuerySecretNoRemain', { SpecId: '1', City: q.City }));
    const bought = await call('BuySecretNo', { PoolKey: sandbox.poolKey, SpecId: '1', City: city });
    assert.equal(bought.Code, 'OK', JSON.stringify(bought));
    const secretNo = bought.SecretBuyInfoDTO.SecretNo;
    const detail = await call('QuerySecretNoDetail', { PoolKey: sandbox.poolKey, SecretNo: secretNo });
    assert.equal(detail.Code, 'OK', JSON.stringify(detail));
    const released = await call('ReleaseSecretNo', { PoolKey: sandbox.poolKey, SecretNo: secretNo });
    assert.equal(released.Code, 'OK', JSON.stringify(released));
  } finally {
    http.request = originalRequest;
  }
  assert.ok(redirected >= 4, `every call went to the relay (${redirected})`);
  const lines = await relayLog('ReleaseSecretNo', (l) => l.keyId?.startsWith('STS.'));
  assert.ok(lines.some((l) => l.upstreamStatus === 200 && l.keyId?.startsWith('STS.')), JSON.stringify(lines));
});

test('a V3 call signed for the relay\'s own host is refused by the upstream, not fixed up', async () => {
  // Signing for the wrong host must fail loudly (SignatureDoesNotMatch), proving the relay sends
  // the upstream's host rather than whatever the client signed.
  const client = new OpenApiClient.default(new OpenApiClient.Config({
    accessKeyId: sandbox.account.id, accessKeySecret: sandbox.account.secret,
    endpoint: `127.0.0.1:${relay.port}`, protocol: 'http',
  }));
  const params = new OpenApiClient.Params({
    action: 'QuerySecretNoRemain', version: '2017-05-25', protocol: 'HTTP', pathname: '/api/',
    method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
  });
  await assert.rejects(
    client.callApi(params, new OpenApiClient.OpenApiRequest({ query: { SpecId: '1', City: '全国' } }),
      new RuntimeOptions({ autoretry: false })),
    (err) => /SignatureDoesNotMatch/.test(`${err.code} ${err.message}`));
});

test('a purchase dropped after commit: outcome unknown for the caller, and it did happen', async () => {
  const setFaults = (faults) => fetch(`${sandbox.url}/sandbox/faults`, { method: 'POST', body: JSON.stringify(faults) });
  const numbersBefore = (await (await fetch(`${sandbox.url}/sandbox/state`)).json()).numbers.length;
  assert.equal((await setFaults({ dropAfterCommit: 1 })).status, 200);
  try {
    const client = new RPCClient({
      endpoint: `${relay.url}/api`, apiVersion: '2017-05-25',
      accessKeyId: sandbox.account.id, accessKeySecret: sandbox.account.secret,
    });
    const stock = await client.request('QuerySecretNoRemain', { SpecId: 1, City: '全国列表' }, { method: 'POST' });
    const city = stock.SecretRemainDTO.RemainDTOList.remainDTO.find((c) => Number(c.Amount) > 0).City;
    await assert.rejects(
      client.request('BuySecretNo', { PoolKey: sandbox.poolKey, SpecId: 1, City: city }, { method: 'POST', timeout: 5000 }),
      (err) => err.code === 'Relay.UpstreamConnectionLost' && /outcome is unknown/.test(err.message));
  } finally {
    await setFaults({ dropAfterCommit: 0 });
  }
  const numbersAfter = (await (await fetch(`${sandbox.url}/sandbox/state`)).json()).numbers.length;
  assert.equal(numbersAfter, numbersBefore + 1, 'the sandbox committed the purchase');
  assert.equal((await fetch(`${relay.url}/healthz`)).status, 200);
});
