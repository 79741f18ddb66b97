// Writes the non-official known-answer vectors in tests/data/vectors/ (run by hand, then review
// the diff): each input is signed by dypls-sign, and the file is written only if the vendor's
// signers agree with it byte for byte: pop-core on the whole V1 request, openapi-util on the V1
// signature and the V3 Authorization. The intermediate stages come from dypls-sign; the C++ test
// re-derives each stage from the one before, so all of them are pinned by the vendor's signature.
//
//   DYPLS_BIN=build/native/bin node tests/conformance/make_vectors.mjs
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../lib/servers.mjs';
import { runLines } from './dypls_sign.mjs';
import { startCaptureServer, popCoreSend, openapiV1Signature, openapiV3Authorization } from './vendor.mjs';

const TOKEN = `CAIS${'xN3bQ+/7vR='.repeat(110)}Zz`;  // 1200+ characters with + / =
const base = {
  accessKeyId: 'LTAI5tTestKeyId000001', accessKeySecret: 'testsecret', securityToken: null,
  version: '2017-05-25', endpoint: 'dyplsapi.aliyuncs.com',
  nonce: '6f1c0e7d2b8a49c5a3e0f1d2c3b4a596', timestamp: '2026-11-28T06:52:17Z',
};
const sts = { accessKeyId: 'STS.NUgYrLnoCTestKey', accessKeySecret: 'stsSecret+/=&', securityToken: TOKEN };

const VECTORS = {
  'v1-get-buy-chinese-city': {
    description: 'V1 GET BuySecretNo: Chinese city, number and boolean params',
    input: { ...base, method: 'GET', style: 'v1', action: 'BuySecretNo',
      params: { City: '杭州', PoolKey: 'FC100000123456', SpecId: 1, DisplayPool: false } },
  },
  'v1-post-sts-long-token': {
    description: 'V1 POST with a 1200-character STS token (+ / =) in the form body',
    input: { ...base, ...sts, method: 'POST', style: 'v1', action: 'QuerySecretNoRemain',
      params: { City: '全国列表', SpecId: 2 } },
  },
  'v1-post-empty-and-symbols': {
    description: 'V1 POST: an empty value is signed as Key=, and * ~ + / = & % space are encoded',
    input: { ...base, method: 'POST', style: 'v1', action: 'BuySecretNo',
      params: { City: '上 海', PoolKey: 'FC1', SpecId: '3', SecretNo: '', OutId: '*~+/=&% ' } },
  },
  'v1-get-sts-emoji': {
    description: 'V1 GET with STS: emoji and mixed scripts in a value',
    input: { ...base, ...sts, method: 'GET', style: 'v1', action: 'QuerySecretNoDetail',
      params: { PoolKey: 'FC2', SecretNo: '17012345678', OutId: '号码 😀 ok' } },
  },
  'v3-get-no-token': {
    description: 'V3 GET without a token: the six design headers only',
    input: { ...base, method: 'GET', style: 'v3', action: 'QuerySecretNoRemain',
      params: { City: '武汉', SpecId: 1 } },
  },
  'v3-post-sts-long-token': {
    description: 'V3 POST with STS: x-acs-accesskey-id and x-acs-security-token are signed',
    input: { ...base, ...sts, method: 'POST', style: 'v3', action: 'BuySecretNo',
      params: { City: '西安', PoolKey: 'FC3', SpecId: 1, DisplayPool: true, SecretNo: '' } },
  },
  'v3-post-relay-host-symbols': {
    description: 'V3 signed for a relay host with a port; symbols in the query',
    input: { ...base, endpoint: '127.0.0.1:8080', method: 'POST', style: 'v3', action: 'ReleaseSecretNo',
      params: { PoolKey: 'FC4', SecretNo: '17000000000', Remark: 'a+b c*d~e/f=g&h%i' } },
  },
};

function expectedOf(answer, style) {
  const keys = style === 'v1'
    ? ['canonicalQuery', 'stringToSign', 'signature', 'url', 'body', 'contentType']
    : ['canonicalRequest', 'stringToSign', 'signature', 'authorization', 'signedHeaders', 'url', 'headers'];
  return Object.fromEntries(keys.filter((k) => answer[k] !== undefined).map((k) => [k, answer[k]]));
}

const names = Object.keys(VECTORS);
const { answers } = await runLines(names.map((n) => JSON.stringify(VECTORS[n].input)));
const capture = await startCaptureServer();
try {
  for (const [i, name] of names.entries()) {
    const { description, input } = VECTORS[name];
    const answer = answers[i];
    if (answer.error) throw new Error(`${name}: ${answer.error}`);
    let source;
    if (input.style === 'v1') {
      const pop = await popCoreSend(input, capture);
      const wire = input.method === 'POST' ? answer.body : new URL(answer.url).search.slice(1);
      const popWire = input.method === 'POST' ? pop.body : pop.pathAndQuery.slice(2);
      if (pop.signature !== answer.signature || popWire !== wire || openapiV1Signature(input) !== answer.signature) {
        throw new Error(`${name}: vendor disagrees\n${JSON.stringify({ answer, pop })}`);
      }
      source = 'signature and request checked against @alicloud/pop-core 1.8.0 and openapi-util getRPCSignature';
    } else {
      if (openapiV3Authorization(input) !== answer.authorization) {
        throw new Error(`${name}: vendor disagrees\n${JSON.stringify(answer)}`);
      }
      source = 'Authorization checked against @alicloud/openapi-util getAuthorization';
    }
    const file = path.join(repoRoot, 'tests', 'data', 'vectors', `${name}.json`);
    const data = { description, source, input, expected: expectedOf(answer, input.style) };
    fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
    console.log(`wrote ${path.relative(repoRoot, file)}`);
  }
} finally {
  await capture.close();
}
