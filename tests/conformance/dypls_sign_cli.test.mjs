// dypls-sign as a process: the line protocol never loses its place, and the human mode keeps the
// secret out of flags and output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { runLines, runOnce, signPath } from './dypls_sign.mjs';

const good = {
  method: 'GET', style: 'v1', accessKeyId: 'testid', accessKeySecret: 'TopSecret-Value',
  action: 'QuerySecretNoRemain', nonce: 'n-1', timestamp: '2026-11-28T06:52:17Z',
  params: { City: '杭州', SpecId: 1, OutId: "it's a test" },
};

test('junk lines get an error on their own line and the rest go on', async () => {
  const lines = [
    JSON.stringify({ ...good, id: 'a' }),
    'not json at all',
    '',
    '{"unterminated": ',
    JSON.stringify([good]),
    JSON.stringify({ ...good, id: 'b', params: { City: { nested: true } } }),
    JSON.stringify({ ...good, id: 'c', style: 'v3' }),
    '\u0000\u0001binary\u00ff',
    JSON.stringify({ ...good, id: 'd', method: 'POST' }),
  ];
  const { answers } = await runLines(lines);
  assert.equal(answers.length, lines.length);
  assert.deepEqual(answers.map((a) => (a.error ? 'E' : 'S')).join(''), 'SEEEEESES');
  assert.deepEqual(answers.filter((a) => a.id).map((a) => a.id), ['a', 'b', 'c', 'd']);
  for (const answer of answers) {
    assert.ok(!JSON.stringify(answer).includes('TopSecret-Value'), 'the secret never comes back');
  }
});

test('each answer arrives before the next request is written (interactive use)', async () => {
  const child = spawn(signPath, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  child.stdout.setEncoding('utf8');
  let buffered = '';
  const nextLine = () => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer within 5 s: output not flushed?')), 5000);
    const check = () => {
      const nl = buffered.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      resolve(JSON.parse(line));
    };
    const onData = (d) => { buffered += d; check(); };
    child.stdout.on('data', onData);
    check();
  });
  try {
    for (const id of ['first', 'second', 'third']) {
      child.stdin.write(`${JSON.stringify({ ...good, id })}\n`);
      const answer = await nextLine();
      assert.equal(answer.id, id);
      assert.ok(answer.signature);
    }
  } finally {
    child.stdin.end();
    child.kill();
  }
});

test('a line over 1 MiB is refused and the next line is still signed', async () => {
  const huge = JSON.stringify({ ...good, params: { OutId: 'x'.repeat(2 * 1024 * 1024) } });
  const { answers } = await runLines([huge, JSON.stringify({ ...good, id: 'after' })]);
  assert.equal(answers.length, 2);
  assert.match(answers[0].error, /1 MiB/);
  assert.equal(answers[1].id, 'after');
  assert.ok(answers[1].signature);
});

test('random bytes never crash it', async () => {
  let seed = 12345;
  const byte = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed & 0xff; };
  const blob = Buffer.from(Array.from({ length: 200000 }, byte));
  const lineCount = blob.toString('latin1').split('\n').length;
  const { answers } = await runLines([blob.toString('latin1')]);
  assert.equal(answers.length, lineCount);
  assert.ok(answers.every((a) => typeof a.error === 'string'));
});

test('CRLF endings, no final newline and empty input are handled', async () => {
  const crlf = await runOnce([], { input: `${JSON.stringify(good)}\r\n${JSON.stringify(good)}` });
  assert.equal(crlf.code, 0);
  const out = crlf.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(out.length, 2);
  assert.equal(out[0].signature, out[1].signature);
  const empty = await runOnce([], { input: '' });
  assert.equal(empty.code, 0);
  assert.equal(empty.stdout, '');
});

test('a missing timestamp and nonce are filled fresh for each line', async () => {
  const { nonce, timestamp, ...rest } = good;
  const { answers } = await runLines([JSON.stringify(rest), JSON.stringify(rest)]);
  assert.notEqual(answers[0].nonce, answers[1].nonce);
  assert.match(answers[0].nonce, /^[0-9a-f]{32}$/);
  const skew = Math.abs(Date.parse(answers[0].timestamp) - Date.now());
  assert.ok(skew < 10000, `timestamp ${answers[0].timestamp} is now`);
  assert.match(answers[0].timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
});

test('human mode prints every stage and a curl command that sends exactly the signed request', async () => {
  for (const [style, method] of [['v1', 'GET'], ['v1', 'POST'], ['v3', 'POST']]) {
    const args = ['--action', good.action, '--style', style, '--method', method, '--key-id', 'testid',
      '--timestamp', good.timestamp, '--nonce', good.nonce,
      '--param', 'City=杭州', '--param', 'SpecId=1', '--param', "OutId=it's a test"];
    const human = await runOnce(args, { env: { ALIBABA_CLOUD_ACCESS_KEY_SECRET: good.accessKeySecret } });
    assert.equal(human.code, 0, human.stderr);
    assert.ok(!human.stdout.includes(good.accessKeySecret), 'the secret is never printed');
    for (const stage of ['Canonical', 'String to sign', 'Signature', 'curl ']) {
      assert.ok(human.stdout.includes(stage), `${style} ${method}: ${stage}`);
    }
    // The same request through the line protocol; params as strings, as flags give them.
    const { answers: [answer] } = await runLines([JSON.stringify({ ...good, style, method,
      params: { City: '杭州', SpecId: '1', OutId: "it's a test" } })]);
    assert.ok(human.stdout.includes(answer.signature), `${style} ${method}: same signature`);
    // Let a real shell parse the curl command: its words must be the signed request.
    const curl = human.stdout.slice(human.stdout.indexOf('curl '));
    const command = curl.slice(0, curl.indexOf('\n\n'));
    const words = execFileSync('/bin/sh', ['-c', `set -- ${command.slice(5)}; printf '%s\\0' "$@"`])
      .toString('utf8').split('\0').slice(0, -1);
    assert.equal(words.at(-1), answer.url);
    assert.equal(words[words.indexOf('-X') + 1], method);
    if (answer.body) assert.equal(words[words.indexOf('--data-raw') + 1], answer.body);
    if (style === 'v3') assert.ok(words.includes(`Authorization: ${answer.authorization}`));
  }
});

test('human mode reads the secret from stdin when the environment has none', async () => {
  const result = await runOnce(['--action', 'BuySecretNo', '--key-id', 'k', '--param', 'City=武汉'],
    { input: 'piped-secret\n', env: { ALIBABA_CLOUD_ACCESS_KEY_SECRET: '' } });
  assert.equal(result.code, 0, result.stderr);
  assert.ok(!result.stdout.includes('piped-secret'));
});

test('human mode refuses a secret flag, unknown options and missing fields with exit 2', async () => {
  const env = { ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'x' };
  const cases = [
    [['--action', 'X', '--key-id', 'k', '--secret', 'leak'], /never a flag/],
    [['--action', 'X', '--key-id', 'k', '--bogus'], /unknown option --bogus/],
    [['--key-id', 'k', '--param', 'A=1'], /missing "action"/],
    [['--action', 'X', '--key-id', 'k', '--param', 'novalue'], /NAME=VALUE/],
    [['--action', 'X', '--key-id', 'k', '--style'], /needs a value/],
    [['--action', 'X', '--key-id', 'k', '--timestamp', 'yesterday'], /timestamp/],
  ];
  for (const [args, message] of cases) {
    const result = await runOnce(args, { env });
    assert.equal(result.code, 2, args.join(' '));
    assert.match(result.stderr, message);
    assert.ok(!result.stderr.includes('leak'));
  }
  const noSecret = await runOnce(['--action', 'X', '--key-id', 'k'], { env: { ALIBABA_CLOUD_ACCESS_KEY_SECRET: '' } });
  assert.equal(noSecret.code, 2);
  assert.match(noSecret.stderr, /ALIBABA_CLOUD_ACCESS_KEY_SECRET/);
});

test('--help explains both modes', async () => {
  const result = await runOnce(['--help']);
  assert.equal(result.code, 0);
  assert.match(result.stdout, /One JSON request per line/);
  assert.match(result.stdout, /--param NAME=VALUE/);
});
