// The vendor's own signers, driven with exactly the inputs a case names.
//
// @alicloud/pop-core keeps its canonicalisation and signing private inside RPCClient#request, so
// we run the real client against a capture server on 127.0.0.1 and read the request it sent.
// @alicloud/openapi-util exports getRPCSignature (V1) and getAuthorization (V3), which we call
// directly with the parameter and header sets the design says we sign.
import http from 'node:http';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { render } from './cases.mjs';

const require = createRequire(import.meta.url);
export const RPCClient = require('@alicloud/pop-core').RPCClient;
export const OpenApiUtil = require('@alicloud/openapi-util').default;
export const OpenApiClient = require('@alicloud/openapi-client');

export const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/** A server that records each request (method, url, headers, body) and answers a success. */
export async function startCaptureServer() {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ RequestId: `capture-${requests.length}`, Code: 'OK', Message: 'OK' }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    requests,
    last: () => requests.at(-1),
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

/**
 * Signs and sends a V1 case with pop-core's RPCClient to the capture server. Timestamp and
 * SignatureNonce are passed as parameters, which pop-core lets override its own fresh values.
 * Resolves to what pop-core put on the wire: { method, pathAndQuery, body, signature, contentType }.
 */
export async function popCoreSend(testCase, capture) {
  const client = new RPCClient({
    endpoint: capture.url,
    apiVersion: testCase.version,
    accessKeyId: testCase.accessKeyId,
    accessKeySecret: testCase.accessKeySecret,
    securityToken: testCase.securityToken ?? undefined,
  });
  const params = { ...testCase.params, Timestamp: testCase.timestamp, SignatureNonce: testCase.nonce };
  await client.request(testCase.action, params, {
    method: testCase.method,
    formatParams: false,  // send names exactly as given
    formatAction: false,
    timeout: 5000,
  });
  const sent = capture.last();
  const wire = testCase.method === 'POST' ? sent.body : sent.url.replace(/^\/\?/, '');
  const match = /&Signature=([^&]*)$/.exec(wire);
  return {
    method: sent.method,
    pathAndQuery: sent.url,
    body: sent.body,
    contentType: sent.headers['content-type'],
    canonical: match ? wire.slice(0, match.index) : null,
    signature: match ? decodeURIComponent(match[1]) : null,
  };
}

/** The V1 parameter set the design says we sign, built from the case alone. */
export function v1SignedParams(testCase) {
  const params = {
    Action: testCase.action,
    Version: testCase.version,
    Format: 'JSON',
    AccessKeyId: testCase.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: testCase.nonce,
    Timestamp: testCase.timestamp,
  };
  if (testCase.securityToken) params.SecurityToken = testCase.securityToken;
  for (const [name, value] of Object.entries(testCase.params)) params[name] = render(value);
  return params;
}

/** openapi-util's V1 signature over exactly v1SignedParams(case). */
export function openapiV1Signature(testCase) {
  return OpenApiUtil.getRPCSignature(v1SignedParams(testCase), testCase.method, testCase.accessKeySecret);
}

/** The V3 headers the design says we sign (names lower-case), built from the case alone. */
export function v3SignedHeaders(testCase) {
  const headers = {
    host: testCase.endpoint,
    'x-acs-action': testCase.action,
    'x-acs-content-sha256': EMPTY_SHA256,
    'x-acs-date': testCase.timestamp,
    'x-acs-signature-nonce': testCase.nonce,
    'x-acs-version': testCase.version,
  };
  if (testCase.securityToken) {
    headers['x-acs-accesskey-id'] = testCase.accessKeyId;
    headers['x-acs-security-token'] = testCase.securityToken;
  }
  return headers;
}

/** openapi-util's V3 Authorization over the case's query and v3SignedHeaders(case). */
export function openapiV3Authorization(testCase) {
  const query = {};
  for (const [name, value] of Object.entries(testCase.params)) query[name] = render(value);
  const request = { method: testCase.method, pathname: '/', query, headers: v3SignedHeaders(testCase) };
  return OpenApiUtil.getAuthorization(request, 'ACS3-HMAC-SHA256', EMPTY_SHA256,
    testCase.accessKeyId, testCase.accessKeySecret);
}
