// The vendor's own SDKs, pointed at a sandbox over plain HTTP on 127.0.0.1.
//
// @alicloud/pop-core wants the scheme in `endpoint` ("http://127.0.0.1:PORT") and signs V1 (GET by
// default, POST form with {method: 'POST'}). @alicloud/openapi-client wants the bare host:port in
// `endpoint` and `protocol: 'http'`; it signs V3 by default and V1 with signatureAlgorithm 'v2'.
import RPCClient from '@alicloud/pop-core';
import OpenApiModule from '@alicloud/openapi-client';

const OpenApi = OpenApiModule.default;
export const API_VERSION = '2017-05-25';

export function popClient(port, { id, secret, token } = {}) {
  return new RPCClient({
    accessKeyId: id,
    accessKeySecret: secret,
    securityToken: token,
    endpoint: `http://127.0.0.1:${port}`,
    apiVersion: API_VERSION,
  });
}

/** Calls `action` with pop-core; resolves to the answer, or to {error} with the SDK's error. */
export async function popCall(client, action, params, method = 'POST') {
  try {
    return await client.request(action, params, { method, timeout: 10000 });
  } catch (error) {
    return { error };
  }
}

/** style 'v3' (ACS3-HMAC-SHA256, the SDK's default) or 'v1' (signatureAlgorithm 'v2'). */
export function openApiClient(port, style, { id, secret, token } = {}) {
  return new OpenApi(new OpenApiModule.Config({
    accessKeyId: id,
    accessKeySecret: secret,
    securityToken: token,
    endpoint: `127.0.0.1:${port}`,
    protocol: 'http',
    signatureAlgorithm: style === 'v1' ? 'v2' : undefined,
    readTimeout: 10000,
    connectTimeout: 5000,
  }));
}

/**
 * Calls `action` with openapi-client, business parameters in the query (as the generated
 * Dyplsapi client does). `headers` override the SDK's own (x-acs-date, nonce) for V3 tests.
 * Resolves to {status, body} or {error}.
 */
export async function openApiCall(client, action, query, { method = 'POST', headers } = {}) {
  const params = new OpenApiModule.Params({
    action, version: API_VERSION, protocol: 'HTTP', pathname: '/', method, authType: 'AK',
    style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
  });
  const request = new OpenApiModule.OpenApiRequest({ query, headers });
  try {
    const response = await client.callApi(params, request, {});
    return { status: response.statusCode, body: response.body };
  } catch (error) {
    return { error };
  }
}

/** The AssumeRole-shaped answer of the sandbox, as credentials for the clients above. */
export async function assumeRole(server, durationSeconds) {
  const query = durationSeconds === undefined ? '' : `?DurationSeconds=${durationSeconds}`;
  const response = await fetch(`${server.url}/sandbox/assume-role${query}`);
  const body = await response.json();
  if (response.status !== 200) throw new Error(`assume-role: ${JSON.stringify(body)}`);
  const c = body.Credentials;
  return { id: c.AccessKeyId, secret: c.AccessKeySecret, token: c.SecurityToken, answer: body };
}

export async function sandboxState(server) {
  return (await fetch(`${server.url}/sandbox/state`)).json();
}

export async function setFaults(server, faults) {
  const response = await fetch(`${server.url}/sandbox/faults`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults),
  });
  if (response.status !== 200) throw new Error(`faults: ${await response.text()}`);
  return response.json();
}
