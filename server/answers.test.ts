/**
 * What the server answers when something fails underneath: no stack trace or file path
 * reaches an HTTP answer, and the WebSocket close codes the `ws` library sends by itself
 * (1007 for a text frame that is not UTF-8) are the ones docs/protocol.md lists.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from './app.ts';
import { PROTOCOL_DOC } from './protocol-doc.ts';
import { startServer } from './server.ts';
import { connect } from './test-client.ts';

const dirs: string[] = [];
const freshDir = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'synack-answers-'));
  dirs.push(d);
  return d;
};
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('HTTP answers', () => {
  it('a failure outside the API (the client\'s index.html gone mid-build) answers without a stack trace or path', async () => {
    const clientDir = freshDir();
    writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>SYN/ACK</title>');
    const http = createServer(createApp(undefined, clientDir));
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect((await fetch(`${url}/join/K7QM2X`, { headers: { accept: 'text/html' } })).status).toBe(200);
      rmSync(path.join(clientDir, 'index.html'));
      const res = await fetch(`${url}/join/K7QM2X`, { headers: { accept: 'text/html' } });
      const body = await res.text();
      expect(res.status).toBe(404);
      expect(body).toBe('Not Found');
      expect(body).not.toContain(clientDir);
    } finally {
      logged.mockRestore();
      await new Promise((r) => http.close(r));
    }
  });
});

describe('close codes', () => {
  it('a text frame that is not UTF-8 is closed with 1007, which docs/protocol.md lists', async () => {
    const srv = await startServer({ port: 0, host: '127.0.0.1', dataDir: freshDir() });
    try {
      const c = await connect(srv.wsUrl);
      // ws sends the bytes as a text frame without checking them; the server's ws does check.
      c.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
      expect((await c.closed).code).toBe(1007);
    } finally {
      await srv.close();
    }
    const doc = readFileSync(PROTOCOL_DOC, 'utf8');
    for (const code of [1006, 1007, 1009]) expect(doc, String(code)).toMatch(new RegExp(`^\\| ${code} \\| \\(`, 'm'));
  });
});
