// The full @alicloud/openapi-client, pointed at a capture server, sends two documented variations
// from our canonical form: V1 sends Format=json (lower case), V3 adds and signs an
// x-acs-credentials-provider header. This suite proves those are the ONLY differences: it captures
// what the client really sent, checks the client's own signature over its own set, then removes
// the variation and requires the vendor's signature over the result to equal dypls-sign's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { generateCases, render } from './cases.mjs';
import { runLines } from './dypls_sign.mjs';
import { startCaptureServer, OpenApiClient, OpenApiUtil, v1SignedParams, EMPTY_SHA256 } from './vendor.mjs';

const require = createRequire(import.meta.url);
const { RuntimeOptions } = require('@alicloud/tea-util');

const cases = generateCases(7, 24);
let capture;
before(async () => { capture = await startCaptureServer(); });
after(async () => { await capture?.close(); });

function clientFor(testCase, style) {
  const config = new OpenApiClient.Config({
    accessKeyId: testCase.accessKeyId,
    accessKeySecret: testCase.accessKeySecret,
    securityToken: testCase.securityToken ?? undefined,
    endpoint: capture.host,
    protocol: 'http',
    // 'v2' selects the client's RPC (V1, HMAC-SHA1) path; unset selects ACS3-HMAC-SHA256.
    signatureAlgorithm: style === 'v1' ? 'v2' : undefined,
  });
  return new OpenApiClient.default(config);
}

async function sendWithOpenApiClient(testCase, style, extra) {
  const params = new OpenApiClient.Params({
    action: testCase.action, version: testCase.version, protocol: 'HTTP', pathname: '/',
    method: testCase.method, authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
  });
  const query = {};
  for (const [name, value] of Object.entries(testCase.params)) query[name] = render(value);
  const request = new OpenApiClient.OpenApiRequest({ query: { ...query, ...extra.query }, headers: extra.headers });
  await clientFor(testCase, style).callApi(params, request, new RuntimeOptions({ autoretry: false }));
  return capture.last();
}

function queryOf(url) {
  return Object.fromEntries(new URL(url, 'http://x').searchParams);
}

test('openapi-client V1 differs only by Format=json; with Format=JSON the vendor signature is ours', async () => {
  const v1Cases = cases.map((c) => ({ ...c, style: 'v1' }));
  const { answers } = await runLines(v1Cases.map((c) => JSON.stringify(c)));
  for (const [i, testCase] of v1Cases.entries()) {
    const sent = await sendWithOpenApiClient(testCase, 'v1',
      { query: { Timestamp: testCase.timestamp, SignatureNonce: testCase.nonce } });
    const theirs = queryOf(sent.url);
    const theirSignature = theirs.Signature;
    delete theirs.Signature;
    assert.equal(OpenApiUtil.getRPCSignature(theirs, testCase.method, testCase.accessKeySecret), theirSignature,
      'the client signs exactly what it sends');

    const ours = v1SignedParams(testCase);
    const differing = Object.keys({ ...ours, ...theirs }).filter((k) => ours[k] !== theirs[k]);
    assert.deepEqual(differing, ['Format'], `case ${i}: only Format may differ`);
    assert.equal(theirs.Format, 'json');
    assert.equal(ours.Format, 'JSON');

    const accounted = { ...theirs, Format: 'JSON' };
    assert.equal(OpenApiUtil.getRPCSignature(accounted, testCase.method, testCase.accessKeySecret),
      answers[i].signature, `case ${i}: ${JSON.stringify(testCase)}`);
  }
  console.log(`openapi-client V1: ${v1Cases.length} cases, only Format=json differs`);
});

test('openapi-client V3 adds only x-acs-credentials-provider; without it the vendor Authorization is ours', async () => {
  const v3Cases = cases.map((c) => ({ ...c, style: 'v3', endpoint: capture.host }));
  const { answers } = await runLines(v3Cases.map((c) => JSON.stringify(c)));
  for (const [i, testCase] of v3Cases.entries()) {
    const sent = await sendWithOpenApiClient(testCase, 'v3',
      { headers: { 'x-acs-date': testCase.timestamp, 'x-acs-signature-nonce': testCase.nonce } });
    const signedNames = /SignedHeaders=([^,]+)/.exec(sent.headers.authorization)[1].split(';');
    const signed = Object.fromEntries(signedNames.map((name) => [name, sent.headers[name]]));
    const request = { method: testCase.method, pathname: '/', query: queryOf(sent.url), headers: signed };
    assert.equal(OpenApiUtil.getAuthorization(request, 'ACS3-HMAC-SHA256', EMPTY_SHA256,
      testCase.accessKeyId, testCase.accessKeySecret), sent.headers.authorization,
    'the client signs exactly what it sends');

    const ours = answers[i];
    const oursSigned = ours.signedHeaders.split(';');
    assert.deepEqual(signedNames.filter((n) => n !== 'x-acs-credentials-provider'), oursSigned,
      `case ${i}: only x-acs-credentials-provider may be added`);
    assert.ok(signed['x-acs-credentials-provider'], 'the variation is really there');
    for (const name of oursSigned) {
      if (name !== 'host') assert.equal(signed[name], ours.headers[name], name);
    }

    const accounted = { ...request, headers: { ...signed } };
    delete accounted.headers['x-acs-credentials-provider'];
    assert.equal(OpenApiUtil.getAuthorization(accounted, 'ACS3-HMAC-SHA256', EMPTY_SHA256,
      testCase.accessKeyId, testCase.accessKeySecret), ours.authorization,
    `case ${i}: ${JSON.stringify(testCase)}`);
  }
  console.log(`openapi-client V3: ${v3Cases.length} cases, only x-acs-credentials-provider differs`);
});
