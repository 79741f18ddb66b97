// Test doubles for the relay suites: a recording upstream (it proves what reached the upstream
// and what did not), a tripwire listener that must never be contacted, and a raw-socket client
// for requests that fetch refuses to send.
import http from 'node:http';
import net from 'node:net';

/**
 * An upstream on 127.0.0.1 that records every request it receives. `behaviour` can be changed
 * between requests: 'ok' (a Dyplsapi-shaped success), {status, body} (a fixed answer),
 * {delayMs} (answer late), 'drop' (read the request, then destroy the socket: a purchase
 * committed and the answer lost), 'redirect'.
 */
export async function startRecordingUpstream() {
  const received = [];
  let connections = 0;
  let behaviour = 'ok';
  let counter = 0;
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, rawHeaders: req.rawHeaders, body });
      const requestId = `UP-${++counter}`;
      const b = behaviour;
      if (b === 'drop') { req.socket.destroy(); return; }
      if (b === 'redirect') {
        res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data/' });
        res.end();
        return;
      }
      const answer = () => {
        if (typeof b === 'object' && b.status) {
          res.writeHead(b.status, { 'Content-Type': 'application/json;charset=utf-8', 'x-acs-request-id': requestId, 'Set-Cookie': 'up=1', ...(b.headers ?? {}) });
          res.end(b.body ?? JSON.stringify({ RequestId: requestId, HostId: 'upstream', Code: 'InternalError', Message: 'upstream failure', Recommend: '' }));
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json;charset=utf-8', 'x-acs-request-id': requestId, 'Set-Cookie': 'up=1', Server: 'upstream-secret-version' });
        res.end(JSON.stringify({ RequestId: requestId, Code: 'OK', Message: 'OK', SecretBuyInfoDTO: { SecretNo: '17000000001' } }));
      };
      if (typeof b === 'object' && b.delayMs) setTimeout(answer, b.delayMs); else answer();
    });
  });
  server.on('connection', (s) => { connections++; sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    received,
    connections: () => connections,
    setBehaviour(next) { behaviour = next; },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A listener that must never see a connection: the attacks aim at it. */
export async function startTripwire() {
  let connections = 0;
  const server = net.createServer((s) => { connections++; s.destroy(); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    connections: () => connections,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Sends `text` as is and reads until the server closes or `timeoutMs` passes. Resolves to
 * { status, headers, body, raw, closedByServer, timedOut }; status is 0 when nothing came back.
 */
export function rawRequest(port, text, { timeoutMs = 3000, keepOpen = false } = {}) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let raw = Buffer.alloc(0);
    let done = false;
    const finish = (closedByServer, timedOut) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parseResponse(raw.toString('latin1')), raw: raw.toString('latin1'), closedByServer, timedOut });
    };
    const timer = setTimeout(() => finish(false, true), timeoutMs);
    socket.on('data', (d) => {
      raw = Buffer.concat([raw, d]);
      // One answer is enough unless the caller wants to watch the connection.
      const parsed = parseResponse(raw.toString('latin1'));
      if (!keepOpen && parsed.complete) finish(false, false);
    });
    socket.on('end', () => finish(true, false));
    socket.on('error', () => finish(true, false));
    socket.write(text, 'latin1');
  });
}

export function parseResponse(text) {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, body: '', complete: false };
  const lines = text.slice(0, end).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1] ?? 0);
  const headers = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] = headers[name] === undefined ? line.slice(colon + 1).trim() : `${headers[name]}, ${line.slice(colon + 1).trim()}`;
  }
  const length = Number(headers['content-length'] ?? 0);
  const body = text.slice(end + 4, end + 4 + length);
  return { status, headers, body, complete: text.length >= end + 4 + length };
}

export function json(body) {
  try { return JSON.parse(body); } catch { return null; }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The relay's access-log lines (parsed) once `enough(lines)` holds, or as they are after
 * `timeoutMs`: a line is written shortly after its answer (lines are gathered, one write for
 * many), so a test reads it by waiting, not at once.
 */
export async function logLines(relay, enough = (lines) => lines.length > 0, timeoutMs = 2000) {
  const read = () => relay.stderrText().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  const deadline = Date.now() + timeoutMs;
  let lines = read();
  while (!enough(lines) && Date.now() < deadline) {
    await sleep(10);
    lines = read();
  }
  return lines;
}
