// The vendor's SDKs against the sandbox: every action, in V1 (pop-core GET and POST,
// openapi-client) and V3 (openapi-client), with long-term and STS credentials, and the gateway's
// refusals they must see.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox } from '../lib/servers.mjs';
import {
  popClient, popCall, openApiClient, openApiCall, assumeRole, sandboxState,
} from './sdk_clients.mjs';

let server;
before(async () => { server = await startSandbox(['--stock', '1:拉萨:1']); });
after(async () => { await server?.stop(); });

const key = () => ({ id: server.account.id, secret: server.account.secret });

// One uniform caller per client flavour: resolves to the answer body or throws the SDK error.
function flavours() {
  const pop = popClient(server.port, key());
  const v1 = openApiClient(server.port, 'v1', key());
  const v3 = openApiClient(server.port, 'v3', key());
  const viaOpenApi = (client) => async (action, params) => {
    const r = await openApiCall(client, action, params);
    if (r.error) throw r.error;
    return r.body;
  };
  const viaPop = (method) => async (action, params) => {
    const r = await popCall(pop, action, params, method);
    if (r.error) throw r.error;
    return r;
  };
  return {
    'pop-core V1 GET': viaPop('GET'),
    'pop-core V1 POST': viaPop('POST'),
    'openapi-client V1': viaOpenApi(v1),
    'openapi-client V3': viaOpenApi(v3),
  };
}

describe('every action through every SDK flavour', () => {
  for (const name of ['pop-core V1 GET', 'pop-core V1 POST', 'openapi-client V1', 'openapi-client V3']) {
    test(name, async () => {
      const callAs = flavours()[name];
      const pool = server.poolKey;

      const stock = await callAs('QuerySecretNoRemain', { SpecId: 1, City: '杭州' });
      assert.equal(stock.Code, 'OK');
      assert.match(stock.RequestId, /^[0-9A-F-]{36}$/);
      assert.equal(stock.SecretRemainDTO.City, '杭州');
      const before = stock.SecretRemainDTO.Amount;
      assert.ok(before > 0);

      const listed = await callAs('QuerySecretNoRemain', { SpecId: 1, City: '全国列表' });
      const entries = listed.SecretRemainDTO.RemainDTOList.remainDTO;
      assert.ok(entries.length > 10, 'about thirty cities');
      assert.ok(entries.every((e) => e.Amount > 0 && typeof e.City === 'string'));
      // The live shape: only the rows, no top-level total; 全国 gives the total, their sum.
      assert.equal(listed.SecretRemainDTO.Amount, undefined);
      const nationwide = await callAs('QuerySecretNoRemain', { SpecId: 1, City: '全国' });
      assert.equal(entries.reduce((s, e) => s + e.Amount, 0), nationwide.SecretRemainDTO.Amount);

      const bought = await callAs('BuySecretNo', { PoolKey: pool, SpecId: 1, City: '杭州', DisplayPool: false });
      assert.equal(bought.Code, 'OK');
      const number = bought.SecretBuyInfoDTO.SecretNo;
      assert.match(number, /^17[01]\d{8}$/);
      const after = await callAs('QuerySecretNoRemain', { SpecId: 1, City: '杭州' });
      assert.equal(after.SecretRemainDTO.Amount, before - 1);

      const prefix = number.slice(0, 7);
      const byPrefix = await callAs('BuySecretNo', { PoolKey: pool, SpecId: 1, City: '杭州', SecretNo: prefix });
      if (byPrefix.Code === 'OK') assert.ok(byPrefix.SecretBuyInfoDTO.SecretNo.startsWith(prefix));
      else assert.equal(byPrefix.Code, 'isv.NO_AVAILABLE_NUMBER');

      const detail = await callAs('QuerySecretNoDetail', { PoolKey: pool, SecretNo: number });
      assert.equal(detail.SecretNoInfoDTO.City, '杭州');
      assert.equal(detail.SecretNoInfoDTO.Province, '浙江');
      assert.equal(detail.SecretNoInfoDTO.SecretStatus, 0);
      assert.match(detail.SecretNoInfoDTO.PurchaseTime, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

      assert.equal((await callAs('LockSecretNo', { PoolKey: pool, SecretNo: number })).Code, 'OK');
      const locked = await callAs('QuerySecretNoDetail', { PoolKey: pool, SecretNo: number });
      assert.equal(locked.SecretNoInfoDTO.SecretStatus, 2);
      assert.equal((await callAs('UnlockSecretNo', { PoolKey: pool, SecretNo: number })).Code, 'OK');
      assert.equal((await callAs('ReleaseSecretNo', { PoolKey: pool, SecretNo: number })).Code, 'OK');

      const state = await sandboxState(server);
      assert.ok(!state.numbers.some((n) => n.secretNo === number), 'released numbers leave the pool');
    });
  }
});

describe('business errors (HTTP 200, Code != OK)', () => {
  test('pop-core surfaces isv.* codes', async () => {
    const pop = popClient(server.port, key());
    const missingPool = await popCall(pop, 'BuySecretNo', { PoolKey: 'FC000', SpecId: 1, City: '杭州' });
    assert.equal(missingPool.error?.code, 'isv.POOLKEY_NOT_EXISTS');
    const notMine = await popCall(pop, 'QuerySecretNoDetail', { PoolKey: server.poolKey, SecretNo: '17000000000' });
    assert.equal(notMine.error?.code, 'isv.NO_NOT_EXIST');
  });

  test('a city that runs out says isv.NO_AVAILABLE_NUMBER', async () => {
    const v3 = openApiClient(server.port, 'v3', key());
    const first = await openApiCall(v3, 'BuySecretNo', { PoolKey: server.poolKey, SpecId: '1', City: '拉萨' });
    assert.equal(first.body?.Code, 'OK');
    const second = await openApiCall(v3, 'BuySecretNo', { PoolKey: server.poolKey, SpecId: '1', City: '拉萨' });
    assert.equal(second.status, 200);
    assert.equal(second.body.Code, 'isv.NO_AVAILABLE_NUMBER');
  });

  test('SpecId 3 needs 全国通用', async () => {
    const v3 = openApiClient(server.port, 'v3', key());
    const wrong = await openApiCall(v3, 'QuerySecretNoRemain', { SpecId: '3', City: '杭州' });
    assert.equal(wrong.body.Code, 'isv.INVALID_PARAMETERS');
    const right = await openApiCall(v3, 'QuerySecretNoRemain', { SpecId: '3', City: '全国通用' });
    assert.equal(right.body.Code, 'OK');
    assert.ok(right.body.SecretRemainDTO.Amount > 0);
  });

  test('releasing a bound number fails', async () => {
    const pop = popClient(server.port, key());
    const bought = await popCall(pop, 'BuySecretNo', { PoolKey: server.poolKey, SpecId: 2, City: '武汉' });
    const number = bought.SecretBuyInfoDTO.SecretNo;
    const bind = await fetch(`${server.url}/sandbox/bind?PoolKey=${server.poolKey}&SecretNo=${number}`, { method: 'POST' });
    assert.equal((await bind.json()).Code, 'OK');
    const detail = await popCall(pop, 'QuerySecretNoDetail', { PoolKey: server.poolKey, SecretNo: number });
    assert.equal(detail.SecretNoInfoDTO.SecretStatus, 1);
    const release = await popCall(pop, 'ReleaseSecretNo', { PoolKey: server.poolKey, SecretNo: number });
    assert.equal(release.error?.code, 'isv.ILLEGAL_ARGUMENT');
    assert.match(release.error.message, /bindings/);
  });
});

describe('gateway refusals', () => {
  const stockQuery = { SpecId: 1, City: '杭州' };

  test('wrong secret: SignatureDoesNotMatch with the server string to sign', async () => {
    const wrong = { id: server.account.id, secret: 'not-the-secret' };
    const pop = await popCall(popClient(server.port, wrong), 'QuerySecretNoRemain', stockQuery, 'GET');
    assert.equal(pop.error?.code, 'SignatureDoesNotMatch');
    assert.match(pop.error.data.Message, /server string to sign is:GET&%2F&AccessKeyId%3D/);
    assert.equal(pop.error.data.HostId, 'dyplsapi.aliyuncs.com');
    assert.ok(pop.error.data.Recommend);
    const v3 = await openApiCall(openApiClient(server.port, 'v3', wrong), 'QuerySecretNoRemain', stockQuery);
    assert.equal(v3.error?.code, 'SignatureDoesNotMatch');
    assert.equal(v3.error.data.statusCode, 400);
    assert.match(v3.error.data.Message, /server string to sign is:ACS3-HMAC-SHA256\n[0-9a-f]{64}$/);
  });

  test('unknown AccessKeyId: 404 InvalidAccessKeyId.NotFound', async () => {
    const r = await openApiCall(openApiClient(server.port, 'v1', { id: 'LTAI5tNobody', secret: 'x' }),
      'QuerySecretNoRemain', stockQuery);
    assert.equal(r.error?.code, 'InvalidAccessKeyId.NotFound');
    assert.equal(r.error.data.statusCode, 404);
  });

  test('stale timestamp: InvalidTimeStamp.Expired (V1 and V3)', async () => {
    const stale = new Date(Date.now() - 20 * 60 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const pop = await popCall(popClient(server.port, key()), 'QuerySecretNoRemain',
      { ...stockQuery, Timestamp: stale });
    assert.equal(pop.error?.code, 'InvalidTimeStamp.Expired');
    const v3 = await openApiCall(openApiClient(server.port, 'v3', key()), 'QuerySecretNoRemain',
      stockQuery, { headers: { 'x-acs-date': stale } });
    assert.equal(v3.error?.code, 'InvalidTimeStamp.Expired');
  });

  test('reused nonce: SignatureNonceUsed (V1 and V3)', async () => {
    const pop = popClient(server.port, key());
    const nonce = `nonce-${process.pid}-${Date.now()}`;
    assert.equal((await popCall(pop, 'QuerySecretNoRemain', { ...stockQuery, SignatureNonce: nonce })).Code, 'OK');
    const again = await popCall(pop, 'QuerySecretNoRemain', { ...stockQuery, SignatureNonce: nonce });
    assert.equal(again.error?.code, 'SignatureNonceUsed');

    const v3 = openApiClient(server.port, 'v3', key());
    const headers = { 'x-acs-signature-nonce': `${nonce}-v3` };
    assert.equal((await openApiCall(v3, 'QuerySecretNoRemain', stockQuery, { headers })).body?.Code, 'OK');
    const replay = await openApiCall(v3, 'QuerySecretNoRemain', stockQuery, { headers });
    assert.equal(replay.error?.code, 'SignatureNonceUsed');
  });

  test('missing parameter and unknown action', async () => {
    const pop = popClient(server.port, key());
    const missing = await popCall(pop, 'BuySecretNo', { SpecId: 1, City: '杭州' });
    assert.equal(missing.error?.code, 'MissingParameter');
    assert.match(missing.error.data.Message, /PoolKey/);
    const unknown = await popCall(pop, 'DescribeRegions', {});
    assert.equal(unknown.error?.code, 'InvalidAction.NotFound');
  });
});

describe('STS credentials minted by /sandbox/assume-role', () => {
  test('the answer has the AssumeRole shape', async () => {
    const { answer } = await assumeRole(server);
    assert.match(answer.RequestId, /^[0-9A-F-]{36}$/);
    assert.match(answer.AssumedRoleUser.Arn, /^acs:ram::\d{16}:role\//);
    assert.ok(answer.AssumedRoleUser.AssumedRoleId);
    assert.match(answer.Credentials.AccessKeyId, /^STS\./);
    assert.match(answer.Credentials.SecurityToken, /^CAIS/);
    assert.ok(answer.Credentials.SecurityToken.length > 1000);
    const lifetime = Date.parse(answer.Credentials.Expiration) - Date.now();
    assert.ok(lifetime > 3500e3 && lifetime <= 3601e3, `default is an hour, got ${lifetime} ms`);
  });

  test('work with pop-core V1 and openapi-client V1 and V3', async () => {
    const sts = await assumeRole(server);
    const pop = await popCall(popClient(server.port, sts), 'QuerySecretNoRemain', { SpecId: 2, City: '上海' });
    assert.equal(pop.Code, 'OK');
    for (const style of ['v1', 'v3']) {
      const r = await openApiCall(openApiClient(server.port, style, sts), 'BuySecretNo',
        { PoolKey: server.poolKey, SpecId: '2', City: '上海' });
      assert.equal(r.body?.Code, 'OK', JSON.stringify(r.error?.data ?? r.body));
    }
  });

  test('STS key without its token: MissingSecurityToken', async () => {
    const sts = await assumeRole(server);
    const r = await popCall(popClient(server.port, { id: sts.id, secret: sts.secret }),
      'QuerySecretNoRemain', { SpecId: 1, City: '杭州' });
    assert.equal(r.error?.code, 'MissingSecurityToken');
  });

  test('token of other credentials: InvalidSecurityToken.MismatchWithAccessKey', async () => {
    const a = await assumeRole(server);
    const b = await assumeRole(server);
    const r = await openApiCall(openApiClient(server.port, 'v3', { ...a, token: b.token }),
      'QuerySecretNoRemain', { SpecId: '1', City: '杭州' });
    assert.equal(r.error?.code, 'InvalidSecurityToken.MismatchWithAccessKey');
  });

  test('expired token: InvalidSecurityToken.Expired', async () => {
    const sts = await assumeRole(server, 1);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    for (const style of ['v1', 'v3']) {
      const r = await openApiCall(openApiClient(server.port, style, sts), 'QuerySecretNoRemain',
        { SpecId: '1', City: '杭州' });
      assert.equal(r.error?.code, 'InvalidSecurityToken.Expired');
    }
  });

  test('bad DurationSeconds is refused with a reason', async () => {
    const response = await fetch(`${server.url}/sandbox/assume-role?DurationSeconds=forever`);
    assert.equal(response.status, 400);
    assert.match((await response.json()).Message, /DurationSeconds/);
  });
});
