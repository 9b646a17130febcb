/** The security headers (server/security.ts) on the real server's pages, API and health check. */
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sameHostSocketSources } from './security.ts';
import { startServer, type RunningServer } from './server.ts';

let dataDir: string;
let srv: RunningServer;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'synack-security-'));
  srv = await startServer({ port: 0, host: '127.0.0.1', dataDir, latencyMs: 50, timeWaitMs: 300, rtxMs: 60_000, warn: () => {} });
});

afterAll(async () => {
  await srv.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A CSP header as directive → sources. */
function parseCsp(header: string | null): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name, sources);
  }
  return out;
}

/** A GET with a Host header of our choosing (fetch does not let us set one). */
function getWithHost(p: string, host: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined> }> {
  const { port } = new URL(srv.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: p, headers: { host, accept: 'text/html' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

const ENDPOINTS: [string, () => Promise<Response>][] = [
  ['GET /', () => fetch(`${srv.url}/`, { headers: { accept: 'text/html' } })],
  ['GET /join/K7QM2X (a client route)', () => fetch(`${srv.url}/join/K7QM2X`, { headers: { accept: 'text/html' } })],
  ['GET /healthz', () => fetch(`${srv.url}/healthz`)],
  ['POST /api/rooms', () => fetch(`${srv.url}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":"class"}' })],
  ['GET /api/rooms/NOPE22 (a 404)', () => fetch(`${srv.url}/api/rooms/NOPE22`)],
  ['GET /api/nowhere (no such endpoint)', () => fetch(`${srv.url}/api/nowhere`)],
];

describe('security headers', () => {
  it.each(ENDPOINTS)('%s has the strict CSP and the other headers', async (_name, send) => {
    const res = await send();
    expect(res.status).toBeLessThan(500);
    const raw = res.headers.get('content-security-policy');
    const csp = parseCsp(raw);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('script-src-attr')).toEqual(["'none'"]);
    expect(csp.get('style-src')).toEqual(["'self'"]);
    expect(csp.get('img-src')).toEqual(["'self'", 'data:']);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'self'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    const host = new URL(srv.url).host;
    expect(csp.get('connect-src')).toEqual(["'self'", `ws://${host}`, `wss://${host}`]);
    expect(raw).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes/);
    // Would send a plain-http classroom's every request to an https port nobody serves.
    expect(csp.has('upgrade-insecure-requests')).toBe(false);

    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-powered-by')).toBeNull();
    // Ignored, with a console error, on a LAN http origin (see server/security.ts).
    expect(res.headers.get('cross-origin-opener-policy')).toBeNull();
    expect(res.headers.get('origin-agent-cluster')).toBeNull();
  });

  it('names the socket on the host the page was loaded from (a LAN address), for WebKit', async () => {
    const res = await getWithHost('/', '192.168.1.20:3000');
    expect(parseCsp(String(res.headers['content-security-policy'])).get('connect-src'))
      .toEqual(["'self'", 'ws://192.168.1.20:3000', 'wss://192.168.1.20:3000']);
  });

  it('does not write a Host header that could add a directive into the policy', async () => {
    const res = await getWithHost('/', 'evil.example;script-src *');
    expect(res.status).toBeLessThan(500);
    const raw = String(res.headers['content-security-policy']);
    expect(raw).not.toContain('evil');
    expect(parseCsp(raw).get('script-src')).toEqual(["'self'"]);
    expect(parseCsp(raw).get('connect-src')).toEqual(["'self'"]);
  });
});

describe('sameHostSocketSources', () => {
  it('accepts names, IPv4 and IPv6 literals with ports; refuses anything else', () => {
    expect(sameHostSocketSources('localhost:3000')).toBe('ws://localhost:3000 wss://localhost:3000');
    expect(sameHostSocketSources('synack.school.example')).toBe('ws://synack.school.example wss://synack.school.example');
    expect(sameHostSocketSources('[::1]:3000')).toBe('ws://[::1]:3000 wss://[::1]:3000');
    for (const bad of [undefined, '', 'a b', 'a;b', 'a,b', "'self'", 'x:y:z', 'host:99999999']) expect(sameHostSocketSources(bad), String(bad)).toBe('');
  });
});
