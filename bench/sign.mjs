// Signing speed, side by side on identical inputs: the native core, the wasm core under Node, and
// the vendor's Node signers (pop-core's RPCClient for V1; openapi-util's getRPCSignature and
// getAuthorization, which @alicloud/openapi-client calls, for V1 and V3).
//
//   node bench/sign.mjs --native build/native/bin/dypls-bench-sign \
//        --wasm build/wasm/bin/dypls-bench-sign.js [--wasm-o3 PATH.js] [--count 300] [--seconds 1] [--runs 5]
//
// The cases come from the conformance suite's deterministic generator. Before timing anything,
// every engine's signature for every case is checked equal: a faster wrong signer is no result.
// Prints one JSON object on stdout; progress goes to stderr.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { generateCases } from '../tests/conformance/cases.mjs';
import { median } from './lib.mjs';
import {
  RPCClient, openapiV1Signature, openapiV3Authorization,
} from '../tests/conformance/vendor.mjs';

const { values: args } = parseArgs({
  options: {
    native: { type: 'string' },
    wasm: { type: 'string' },
    'wasm-o3': { type: 'string' },  // optional: the same core built for speed, to show the gap
    count: { type: 'string', default: '300' },
    seed: { type: 'string', default: '20261128' },
    seconds: { type: 'string', default: '1' },
    runs: { type: 'string', default: '5' },
  },
});
if (!args.native || !args.wasm) {
  console.error('usage: node bench/sign.mjs --native PATH --wasm PATH.js [--count N] [--seconds S] [--runs N]');
  process.exit(2);
}
const SECONDS = Number(args.seconds);
const RUNS = Number(args.runs);
const log = (...parts) => console.error('[sign]', ...parts);

// pop-core signs inside RPCClient#request and then sends with httpx. Replacing httpx's two calls
// with an in-memory answer times its whole request-building and signing path and no network.
const requireFromPopCore = createRequire(require_resolve('@alicloud/pop-core'));
const httpx = requireFromPopCore('httpx');
let lastPopCoreWire = null;
httpx.request = async (url, opts) => {
  lastPopCoreWire = opts.method === 'POST' ? opts.data : url.slice(url.indexOf('?') + 1);
  return { req: { getHeaders: () => ({}) }, statusCode: 200, headers: {} };
};
httpx.read = async () => '{"RequestId":"bench","Code":"OK"}';

function require_resolve(name) {
  return createRequire(import.meta.url)
    .resolve(name, { paths: [path.resolve(import.meta.dirname, '..', 'tests')] });
}

function popCoreClient(testCase) {
  return new RPCClient({
    endpoint: 'http://127.0.0.1:9',  // never contacted: httpx is replaced above
    apiVersion: testCase.version,
    accessKeyId: testCase.accessKeyId,
    accessKeySecret: testCase.accessKeySecret,
    securityToken: testCase.securityToken ?? undefined,
  });
}

function popCoreSigner(testCase) {
  const client = popCoreClient(testCase);
  const params = { ...testCase.params, Timestamp: testCase.timestamp, SignatureNonce: testCase.nonce };
  const opts = { method: testCase.method, formatParams: false, formatAction: false };
  return () => client.request(testCase.action, params, { ...opts });
}

async function popCoreSignature(testCase) {
  await popCoreSigner(testCase)();
  const match = /&Signature=([^&]*)$/.exec(lastPopCoreWire);
  return match ? decodeURIComponent(match[1]) : null;
}

function openapiSignature(testCase) {
  if (testCase.style === 'v1') return openapiV1Signature(testCase);
  const match = /Signature=([0-9a-f]+)$/.exec(openapiV3Authorization(testCase));
  return match ? match[1] : null;
}

// Signatures per second over `signers`, median of `runs` runs of whole passes lasting >= SECONDS.
async function medianRate(signers, isAsync, runs = RUNS) {
  const rates = [];
  let sink = 0;
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    let count = 0;
    let elapsed = 0;
    do {
      if (isAsync) {
        for (const sign of signers) await sign();
      } else {
        for (const sign of signers) sink += sign().length;
      }
      count += signers.length;
      elapsed = Number(process.hrtime.bigint() - start) / 1e9;
    } while (elapsed < SECONDS);
    rates.push(count / elapsed);
  }
  rates.sort((a, b) => a - b);
  if (sink < 0) log('unreachable');
  return rates[Math.floor(rates.length / 2)];
}

// Signatures per second over each of `subsetSigners` (lists of synchronous signers), timed in
// turns of whole passes about a tenth of SECONDS long, rotating which goes first, until each has
// run SECONDS: as dypls-bench-sign does, so that load from elsewhere lands on every subset alike.
function interleavedRates(subsetSigners) {
  const counts = subsetSigners.map(() => 0);
  const elapsed = subsetSigners.map((signers) => (signers.length ? 0 : SECONDS));
  let sink = 0;
  for (let turn = 0; Math.min(...elapsed) < SECONDS; turn++) {
    for (let k = 0; k < subsetSigners.length; k++) {
      const which = (turn + k) % subsetSigners.length;
      if (elapsed[which] >= SECONDS) continue;
      const signers = subsetSigners[which];
      const start = process.hrtime.bigint();
      let spent = 0;
      do {
        for (const sign of signers) sink += sign().length;
        counts[which] += signers.length;
        spent = Number(process.hrtime.bigint() - start) / 1e9;
      } while (spent < SECONDS / 10);
      elapsed[which] += spent;
    }
  }
  if (sink < 0) log('unreachable');
  return counts.map((count, k) => (subsetSigners[k].length ? count / elapsed[k] : 0));
}

function runProgram(program, extra) {
  const isJs = program.endsWith('.js');
  const file = isJs ? '/usr/bin/node' : program;
  // --no-liftoff: compile the wasm with the optimising tier at once, so every run is steady
  // state (otherwise the first subset timed runs partly in the baseline tier).
  const argv = isJs ? ['--no-experimental-fetch', '--no-liftoff', program, ...extra] : extra;
  return execFileSync(file, argv, { encoding: 'utf8', maxBuffer: 64 << 20, timeout: 120_000 });
}

const cases = generateCases(Number(args.seed), Number(args.count));
const dir = mkdtempSync(path.join(os.tmpdir(), 'dypls-bench-sign-'));
try {
  const casesFile = path.join(dir, 'cases.jsonl');
  writeFileSync(casesFile, cases.map((c) => JSON.stringify(c)).join('\n') + '\n');

  // 1. Every engine agrees on every signature.
  const printed = (program) => new Map(runProgram(program, [casesFile, '--print'])
    .trim().split('\n').map((line) => JSON.parse(line)).map((a) => [a.id, a.signature]));
  const nativeSigs = printed(args.native);
  const wasmSigs = printed(args.wasm);
  const wasmO3Sigs = args['wasm-o3'] ? printed(args['wasm-o3']) : null;
  let checked = 0;
  for (const c of cases) {
    const expected = openapiSignature(c);
    const seen = { native: nativeSigs.get(c.id), wasm: wasmSigs.get(c.id) };
    if (wasmO3Sigs) seen.wasmO3 = wasmO3Sigs.get(c.id);
    if (c.style === 'v1') seen.popCore = await popCoreSignature(c);
    for (const [engine, signature] of Object.entries(seen)) {
      if (signature !== expected) {
        throw new Error(`case ${c.id}: ${engine} signed ${signature}, openapi-util ${expected}; ` +
          'run the conformance suite to see why');
      }
      checked++;
    }
  }
  log(`${cases.length} cases, ${checked} signatures agree across engines`);

  // 2. Timing, the same subsets for everyone.
  const subsets = {
    all: cases,
    v1: cases.filter((c) => c.style === 'v1'),
    v3: cases.filter((c) => c.style === 'v3'),
  };
  const result = {
    cases: cases.length,
    v1Cases: subsets.v1.length,
    v3Cases: subsets.v3.length,
    stsCases: cases.filter((c) => c.securityToken).length,
    seconds: SECONDS,
    runs: RUNS,
    engines: {},
  };
  // Rounds interleave the engines, so that a burst of load from elsewhere on this shared machine
  // lands on all of them rather than on whichever happened to run then; each figure is the median
  // over the rounds. The JS signers get one untimed pass first (JIT warm-up); the C++ programs
  // warm up themselves.
  const programs = [['native', args.native], ['wasm', args.wasm]];
  if (args['wasm-o3']) programs.push(['wasmO3', args['wasm-o3']]);
  const openapiSigners = Object.fromEntries(Object.entries(subsets)
    .map(([name, subset]) => [name, subset.map((c) => () => openapiSignature(c))]));
  const popCoreSigners = subsets.v1.map((c) => popCoreSigner(c));
  for (const sign of openapiSigners.all) sign();
  for (const sign of popCoreSigners) await sign();
  const samples = {};
  const note = (engine, subset, rate) => {
    samples[engine] ??= {};
    (samples[engine][subset] ??= []).push(rate);
  };
  for (let round = 1; round <= RUNS; round++) {
    log(`round ${round} of ${RUNS}`);
    for (const [engine, program] of programs) {
      const out = JSON.parse(runProgram(program, [casesFile, '--seconds', String(SECONDS),
        '--runs', '1']).trim().split('\n').at(-1));
      for (const subset of Object.keys(subsets)) {
        note(engine, subset, out[subset]);
        note(`${engine}Limit`, subset, out.limit[subset]);
        note(`${engine}Floor`, subset, out.floor[subset]);
      }
    }
    const openapiRates = interleavedRates(Object.values(openapiSigners));
    Object.keys(openapiSigners).forEach((subset, k) => note('openapiUtil', subset, openapiRates[k]));
    note('popCore', 'v1', await medianRate(popCoreSigners, true, 1));
  }
  for (const [engine, bySubset] of Object.entries(samples)) {
    result.engines[engine] = Object.fromEntries(Object.entries(bySubset)
      .map(([subset, rates]) => [subset, median(rates)]));
  }
  console.log(JSON.stringify(result));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
