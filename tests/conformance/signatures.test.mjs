// Conformance: dypls-sign against the vendor's own signers, case by case, byte for byte.
//
// V1: pop-core's RPCClient (the whole request it sends: query or form body, and its Signature)
//     and openapi-util's getRPCSignature over the same parameter set (Format=JSON).
// V3: openapi-util's getAuthorization over the same query and the header set design.md lists.
// Neither package exposes its string to sign, so those are compared only through the signature;
// pop-core does expose its canonical query (the wire form before &Signature=), which we compare.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateCases } from './cases.mjs';
import { runLines } from './dypls_sign.mjs';
import {
  startCaptureServer, popCoreSend, openapiV1Signature, openapiV3Authorization, v3SignedHeaders,
} from './vendor.mjs';

const SEED = Number(process.env.DYPLS_CONFORMANCE_SEED ?? 20261128);
const COUNT = Number(process.env.DYPLS_CONFORMANCE_CASES ?? 400);
const cases = generateCases(SEED, COUNT);

let capture;
let answers;
let comparedV1 = 0;
let comparedV3 = 0;
before(async () => {
  capture = await startCaptureServer();
  ({ answers } = await runLines(cases.map((c) => JSON.stringify(c))));
});
after(async () => { await capture?.close(); });

function describeFailure(testCase, ours, vendor, what) {
  return [
    `first differing case (${what}), seed ${SEED}, case ${testCase.id}:`,
    `input:   ${JSON.stringify(testCase)}`,
    `ours:    ${JSON.stringify(ours)}`,
    `vendor:  ${JSON.stringify(vendor)}`,
  ].join('\n');
}

test('the generated cases cover what they must', () => {
  const has = (pred) => cases.some(pred);
  assert.ok(has((c) => c.style === 'v1' && c.method === 'GET' && c.securityToken));
  assert.ok(has((c) => c.style === 'v1' && c.method === 'POST' && !c.securityToken));
  assert.ok(has((c) => c.style === 'v3' && c.method === 'GET' && !c.securityToken));
  assert.ok(has((c) => c.style === 'v3' && c.method === 'POST' && c.securityToken));
  assert.ok(has((c) => c.securityToken && c.securityToken.length >= 1000));
  assert.ok(has((c) => /[\u4e00-\u9fff]/.test(c.params.City)));
  assert.ok(has((c) => Object.values(c.params).some((v) => /\p{Extended_Pictographic}/u.test(String(v)))));
  assert.ok(has((c) => Object.values(c.params).some((v) => v === '')));
  assert.ok(has((c) => Object.values(c.params).some((v) => typeof v === 'boolean')));
  assert.ok(has((c) => Object.values(c.params).some((v) => typeof v === 'number')));
  for (const symbol of ['*', '~', '+', '/', '=', '&', '%', ' ']) {
    assert.ok(has((c) => Object.values(c.params).some((v) => String(v).includes(symbol))), symbol);
  }
});

test('dypls-sign answers every case, in order, without errors', () => {
  assert.equal(answers.length, cases.length);
  answers.forEach((answer, i) => {
    assert.equal(answer.error, undefined, `case ${i}: ${answer.error}`);
    assert.equal(answer.id, cases[i].id, 'answers must keep the order and echo the id');
  });
});

test('V1 matches pop-core on the wire and openapi-util on the signature', async () => {
  let compared = 0;
  for (const [i, testCase] of cases.entries()) {
    if (testCase.style !== 'v1') continue;
    const ours = answers[i];
    const pop = await popCoreSend(testCase, capture);
    const oursOnWire = testCase.method === 'POST' ? ours.body : new URL(ours.url).search.slice(1);
    const popOnWire = testCase.method === 'POST' ? pop.body : pop.pathAndQuery.slice(2);
    const same = ours.signature === pop.signature && oursOnWire === popOnWire &&
      ours.canonicalQuery === pop.canonical && ours.signature === openapiV1Signature(testCase) &&
      (testCase.method === 'GET' || ours.contentType === pop.contentType);
    if (!same) {
      assert.fail(describeFailure(testCase, ours,
        { popCore: pop, openapiUtilSignature: openapiV1Signature(testCase) }, 'v1'));
    }
    compared++;
  }
  comparedV1 = compared;
  console.log(`V1: ${compared} cases byte-identical with pop-core and openapi-util`);
  assert.ok(compared >= COUNT / 2 - 1);
});

test('V3 matches openapi-util getAuthorization and signs exactly the design header set', () => {
  let compared = 0;
  for (const [i, testCase] of cases.entries()) {
    if (testCase.style !== 'v3') continue;
    const ours = answers[i];
    const vendorAuthorization = openapiV3Authorization(testCase);
    const expectedHeaders = v3SignedHeaders(testCase);
    delete expectedHeaders.host;  // sent by the transport from the URL
    const oursSent = { ...ours.headers };
    delete oursSent.Authorization;
    const same = ours.authorization === vendorAuthorization &&
      ours.headers.Authorization === vendorAuthorization &&
      JSON.stringify(Object.entries(oursSent).sort()) === JSON.stringify(Object.entries(expectedHeaders).sort()) &&
      new URL(ours.url).host === testCase.endpoint;
    if (!same) {
      assert.fail(describeFailure(testCase, ours,
        { authorization: vendorAuthorization, headers: expectedHeaders }, 'v3'));
    }
    compared++;
  }
  comparedV3 = compared;
  console.log(`V3: ${compared} cases byte-identical with openapi-util getAuthorization`);
  assert.ok(compared >= COUNT / 2 - 1);
});

// Each case is compared by exactly one of the tests above: none skipped, none counted twice.
test('every generated case was compared, V1 and V3 together', () => {
  assert.equal(cases.length, COUNT);
  assert.equal(comparedV1 + comparedV3, cases.length);
  assert.ok(comparedV1 > 0 && comparedV3 > 0);
  console.log(`conformance: ${cases.length} cases compared (seed ${SEED})`);
});
