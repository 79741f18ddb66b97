// Fault injection, persistence across restarts, the demo account, determinism, and the CLI's
// refusals: the sandbox as a process.
import { test, describe, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, startSandbox, binDir } from '../lib/servers.mjs';
import {
  popClient, popCall, openApiClient, openApiCall, assumeRole, sandboxState, setFaults,
} from './sdk_clients.mjs';

const noFaults = { latencyMs: 0, errorRate: 0, throttleRate: 0, dropAfterCommit: 0, answers: [] };

describe('fault injection', () => {
  let server;
  let pop;
  const stockOf = async (city) => (await popCall(pop, 'QuerySecretNoRemain', { SpecId: 1, City: city }))
    .SecretRemainDTO.Amount;
  before(async () => {
    server = await startSandbox();
    pop = popClient(server.port, { id: server.account.id, secret: server.account.secret });
  });
  afterEach(async () => { await setFaults(server, noFaults); });
  after(async () => { await server?.stop(); });

  test('off by default', async () => {
    const state = await sandboxState(server);
    assert.deepEqual(state.faults, noFaults);
  });

  test('throttling answers Throttling.User with x-acs-retry-after', async () => {
    await setFaults(server, { throttleRate: 1 });
    const r = await popCall(pop, 'QuerySecretNoRemain', { SpecId: 1, City: '杭州' });
    assert.equal(r.error?.code, 'Throttling.User');
    assert.equal(r.error.entry.response.statusCode, 400);
    assert.equal(r.error.entry.response.headers['x-acs-retry-after'], '1000', 'milliseconds');
  });

  test('scripted answers: the next N calls of an action get the live variant asked for', async () => {
    const before = await stockOf('杭州');
    await setFaults(server, { action: 'BuySecretNo', code: 'isp.RAM_PERMISSION_DENY', status: 400, count: 2 });
    await setFaults(server, { action: 'BuySecretNo', code: 'FlowLimited', status: 400, retryAfterMs: 1500 });
    const v3 = openApiClient(server.port, 'v3', { id: server.account.id, secret: server.account.secret });
    const buy = () => popCall(pop, 'BuySecretNo', { PoolKey: server.poolKey, SpecId: 1, City: '杭州' });
    // Other actions run as usual.
    assert.equal((await popCall(pop, 'QuerySecretNoRemain', { SpecId: 1, City: '杭州' })).Code, 'OK');
    for (let i = 0; i < 2; i += 1) {
      const denied = await buy();
      assert.equal(denied.error?.code, 'isp.RAM_PERMISSION_DENY');
      assert.equal(denied.error.entry.response.statusCode, 400);
    }
    const limited = await openApiCall(v3, 'BuySecretNo', { PoolKey: server.poolKey, SpecId: '1', City: '杭州' });
    assert.equal(limited.error?.code, 'FlowLimited');
    assert.equal(limited.error.data.statusCode, 400);
    assert.equal((await sandboxState(server)).faults.answers.length, 0, 'used up');
    assert.equal(await stockOf('杭州'), before, 'nothing was bought while refused');
    assert.equal((await buy()).Code, 'OK', 'then purchases run again');
  });

  test('a scripted retry-after arrives as x-acs-retry-after in ms; rates take booleans', async () => {
    await setFaults(server, { code: 'Throttling.User', retryAfterMs: 1500 });
    const r = await popCall(pop, 'QuerySecretNoRemain', { SpecId: 1, City: '杭州' });
    assert.equal(r.error?.code, 'Throttling.User');
    assert.equal(r.error.entry.response.headers['x-acs-retry-after'], '1500');
    const response = await fetch(`${server.url}/sandbox/faults`, {
      method: 'POST', body: JSON.stringify({ dropAfterCommit: true, throttleRate: false }),
    });
    assert.equal(response.status, 200);
    const faults = await response.json();
    assert.equal(faults.dropAfterCommit, 1);
    assert.equal(faults.throttleRate, 0);
  });

  test('5xx answers are InternalError and nothing is bought', async () => {
    const before = await stockOf('杭州');
    await setFaults(server, { errorRate: 1 });
    const r = await openApiCall(openApiClient(server.port, 'v3', { id: server.account.id, secret: server.account.secret }),
      'BuySecretNo', { PoolKey: server.poolKey, SpecId: '1', City: '杭州' });
    assert.equal(r.error?.code, 'InternalError');
    assert.equal(r.error.data.statusCode, 500);
    await setFaults(server, noFaults);
    assert.equal(await stockOf('杭州'), before);
  });

  test('drop after commit: the number is bought but the client hears nothing', async () => {
    const before = await stockOf('武汉');
    const owned = (await sandboxState(server)).numbers.length;
    await setFaults(server, { dropAfterCommit: 1 });
    const r = await popCall(pop, 'BuySecretNo', { PoolKey: server.poolKey, SpecId: 1, City: '武汉' });
    assert.ok(r.error, 'the purchase answer must not arrive');
    assert.equal(r.error.code === undefined || !String(r.error.code).startsWith('isv.'), true);
    assert.equal(r.SecretBuyInfoDTO, undefined);
    await setFaults(server, noFaults);
    const state = await sandboxState(server);
    assert.equal(state.numbers.length, owned + 1, 'the purchase was committed');
    assert.ok(state.numbers.some((n) => n.city === '武汉'));
    assert.equal(await stockOf('武汉'), before - 1);
  });

  test('added latency', async () => {
    await setFaults(server, { latencyMs: 300 });
    const started = performance.now();
    const r = await popCall(pop, 'QuerySecretNoRemain', { SpecId: 1, City: '杭州' });
    assert.equal(r.Code, 'OK');
    assert.ok(performance.now() - started >= 290, 'answered after the added latency');
  });

  test('bad fault settings are refused with a reason', async () => {
    const response = await fetch(`${server.url}/sandbox/faults`, { method: 'POST', body: '{"errorRate": 7}' });
    assert.equal(response.status, 400);
    assert.match((await response.json()).Message, /errorRate/);
  });

  test('fault flags on the command line', async () => {
    const throttled = await startSandbox(['--throttle-rate', '1']);
    try {
      const r = await popCall(popClient(throttled.port, { id: throttled.account.id, secret: throttled.account.secret }),
        'QuerySecretNoRemain', { SpecId: 1, City: '杭州' });
      assert.equal(r.error?.code, 'Throttling.User');
    } finally {
      await throttled.stop();
    }
  });
});

describe('state file', () => {
  test('survives a restart: numbers, their status, stock and STS credentials', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dypls-sandbox-'));
    const file = path.join(dir, 'state.json');
    try {
      const first = await startSandbox(['--state', file]);
      const key = { id: first.account.id, secret: first.account.secret };
      let pop = popClient(first.port, key);
      const bought = await popCall(pop, 'BuySecretNo', { PoolKey: first.poolKey, SpecId: 2, City: '成都' });
      const number = bought.SecretBuyInfoDTO.SecretNo;
      assert.equal((await popCall(pop, 'LockSecretNo', { PoolKey: first.poolKey, SecretNo: number })).Code, 'OK');
      const sts = await assumeRole(first);
      const stock = (await popCall(pop, 'QuerySecretNoRemain', { SpecId: 2, City: '成都' })).SecretRemainDTO.Amount;
      await first.stop();

      const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
      assert.equal(saved.format, 'dypls-sandbox-state');
      assert.deepEqual(fs.readdirSync(dir), ['state.json'], 'no temporary files left behind');

      const second = await startServer('dypls-sandbox', ['--listen', '127.0.0.1:0', '--state', file]);
      try {
        pop = popClient(second.port, key);
        const detail = await popCall(pop, 'QuerySecretNoDetail', { PoolKey: first.poolKey, SecretNo: number });
        assert.equal(detail.SecretNoInfoDTO.SecretStatus, 2, 'still locked');
        assert.equal(detail.SecretNoInfoDTO.City, '成都');
        const again = await popCall(pop, 'QuerySecretNoRemain', { SpecId: 2, City: '成都' });
        assert.equal(again.SecretRemainDTO.Amount, stock);
        const withSts = await openApiCall(openApiClient(second.port, 'v3', sts), 'QuerySecretNoRemain',
          { SpecId: '2', City: '成都' });
        assert.equal(withSts.body?.Code, 'OK');
      } finally {
        await second.stop();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a damaged state file stops the start with a clear message', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dypls-sandbox-'));
    const file = path.join(dir, 'state.json');
    fs.writeFileSync(file, '{"format": "something else"}');
    try {
      await assert.rejects(startServer('dypls-sandbox', ['--listen', '127.0.0.1:0', '--state', file]),
        /not a dypls-sandbox state file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('state file of the wrong shape', () => {
  // Each damage: a change to a good saved state, and the field the message must name.
  const damages = [
    ['format is a number', (s) => { s.format = 7; }, /not a dypls-sandbox state file/],
    ['version is a string', (s) => { s.version = '1'; }, /state file version "1" is not supported/],
    ['seed is a string', (s) => { s.seed = '7'; }, /"seed" should be a whole number of at least 0, found a string/],
    ['seed is missing', (s) => { delete s.seed; }, /"seed" is missing/],
    ['rng is negative', (s) => { s.rng = -1; }, /"rng" should be a whole number/],
    ['accounts is an object', (s) => { s.accounts = {}; }, /"accounts" should be an array, found an object/],
    ['an account key id is a number', (s) => { s.accounts[0].keyId = 5; }, /"accounts\[0\]\.keyId" should be a string, found the number 5/],
    ['a pool is null', (s) => { s.pools[0] = null; }, /"pools\[0\]" should be a string, found null/],
    ['a stock override names no SpecId', (s) => { s.stockOverrides = [{ specId: 42, city: '杭州', amount: 1 }]; }, /"stockOverrides\[0\]\.specId" should be a SpecId the sandbox sells/],
    ['a number with a bad vendor', (s) => {
      s.numbers = [{ secretNo: '17000000001', poolKey: 'FC1', specId: 1, city: '杭州', province: '浙江', vendor: 'mobile', purchasedAt: 1, bindings: 0, locked: false, frozen: false, certified: false }];
    }, /"numbers\[0\]\.vendor" should be a whole number from 1 to 3, found a string/],
  ];

  test('every wrong shape exits non-zero with a message naming the field, and the file is untouched', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dypls-sandbox-'));
    const file = path.join(dir, 'state.json');
    try {
      const first = await startSandbox(['--state', file]);
      await first.stop();
      const good = JSON.parse(fs.readFileSync(file, 'utf8'));
      assert.ok(good.accounts.length > 0 && good.pools.length > 0);
      const failures = [];
      for (const [name, damage, message] of damages) {
        const state = structuredClone(good);
        damage(state);
        const text = JSON.stringify(state, null, 1);
        fs.writeFileSync(file, text);
        const before = fs.statSync(file).mtimeMs;
        const run = spawnSync(path.join(binDir, 'dypls-sandbox'), ['--listen', '127.0.0.1:0', '--state', file],
          { encoding: 'utf8', timeout: 10000 });
        if (run.status === 0 || run.status === null) failures.push(`${name}: exit ${run.status ?? run.signal}`);
        if (!message.test(run.stderr)) failures.push(`${name}: stderr ${JSON.stringify(run.stderr)}`);
        if (/terminate|type_error|Aborted/.test(run.stderr)) failures.push(`${name}: crashed`);
        if (run.stdout.includes('listening on')) failures.push(`${name}: it started serving`);
        if (fs.readFileSync(file, 'utf8') !== text || fs.statSync(file).mtimeMs !== before) failures.push(`${name}: the file changed`);
        if (fs.readdirSync(dir).length !== 1) failures.push(`${name}: left ${fs.readdirSync(dir).join(', ')}`);
      }
      assert.deepEqual(failures, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('start-up', () => {
  test('with neither --account nor --pool, a demo account and pool are printed and work', async () => {
    const server = await startServer('dypls-sandbox', ['--listen', '127.0.0.1:0', '--seed', '3']);
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const text = server.stdoutLines.join('\n');
      const id = /AccessKeyId:\s+(\S+)/.exec(text)?.[1];
      const secret = /AccessKeySecret:\s+(\S+)/.exec(text)?.[1];
      const pool = /PoolKey:\s+(\S+)/.exec(text)?.[1];
      assert.ok(id && secret && pool, text);
      assert.match(server.stdoutLines[0], /^dypls-sandbox listening on http:\/\/127\.0\.0\.1:\d+$/);
      const r = await popCall(popClient(server.port, { id, secret }), 'BuySecretNo',
        { PoolKey: pool, SpecId: 1, City: '全国' });
      assert.equal(r.Code, 'OK');
    } finally {
      await server.stop();
    }
  });

  test('the same seed gives the same stock and the same purchases', async () => {
    const run = async () => {
      const server = await startSandbox(['--seed', '99']);
      try {
        const pop = popClient(server.port, { id: server.account.id, secret: server.account.secret });
        const numbers = [];
        for (const city of ['全国', '北京', '全国']) {
          const r = await popCall(pop, 'BuySecretNo', { PoolKey: server.poolKey, SpecId: 1, City: city });
          numbers.push(r.SecretBuyInfoDTO.SecretNo);
        }
        return { numbers, stock: (await sandboxState(server)).stock };
      } finally {
        await server.stop();
      }
    };
    assert.deepEqual(await run(), await run());
  });

  test('unknown paths and unreadable requests get the gateway shape with a RequestId', async () => {
    const server = await startSandbox();
    try {
      for (const [url, status, code] of [
        [`${server.url}/nope`, 404, 'InvalidAction.NotFound'],
        [`${server.url}/?SpecId=%zz`, 400, 'InvalidParameter'],
      ]) {
        const response = await fetch(url);
        assert.equal(response.status, status);
        const body = await response.json();
        assert.equal(body.Code, code);
        assert.match(body.RequestId, /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/);
        assert.equal(body.HostId, 'dyplsapi.aliyuncs.com');
      }
    } finally {
      await server.stop();
    }
  });

  test('bad flags exit with a reason', async () => {
    await assert.rejects(startServer('dypls-sandbox', ['--listen', '127.0.0.1:0', '--seed', 'abc']),
      /--seed wants a non-negative integer/);
    await assert.rejects(startServer('dypls-sandbox', ['--listen', 'nowhere']), /--listen wants HOST:PORT/);
  });
});
