/**
 * The app under test on 127.0.0.1, port 0: the real game server (server/server.ts's
 * `startServer`, with a fresh DATA_DIR and a short wire latency) when it is there; else the
 * express app from server/app.ts; else a tiny static server for dist/client.
 */
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../../dist/client', import.meta.url));

export interface RunningApp {
  url: string;
  kind: 'game server' | 'express' | 'static';
  close: () => Promise<void>;
  /** Stop the server (clients are told to reconnect), wait `downMs`, start it again on the same port and data. */
  restart?: (downMs?: number) => Promise<void>;
}

/** Game timings for tests: quick, but slow enough to see segments in flight. */
export const TEST_TIMINGS = { latencyMs: 400, timeWaitMs: 1500, rtxMs: 5000 } as const;

interface GameServer { url: string; port: number; close(): Promise<void> }
type StartServer = (o: { port: number; host: string; dataDir: string; latencyMs: number; timeWaitMs: number; rtxMs: number; warn: (m: string) => void }) => Promise<GameServer>;

async function gameServer(): Promise<RunningApp | null> {
  let start: StartServer;
  try {
    const mod = (await import('../../server/server.ts')) as { startServer?: StartServer };
    if (typeof mod.startServer !== 'function') return null;
    start = mod.startServer;
  } catch (e) {
    console.warn(`e2e: server/server.ts did not load (${(e as Error).message.split('\n')[0]})`);
    return null;
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'synack-e2e-'));
  const opts = { host: '127.0.0.1', dataDir, ...TEST_TIMINGS, warn: () => {} };
  let server = await start({ ...opts, port: 0 });
  const port = server.port;
  return {
    url: `http://127.0.0.1:${port}`,
    kind: 'game server',
    close: async () => { await server.close(); rmSync(dataDir, { recursive: true, force: true }); },
    restart: async (downMs = 0) => {
      await server.close();
      await new Promise((r) => setTimeout(r, downMs));
      server = await start({ ...opts, port });
    },
  };
}

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function expressApp(): Promise<Listener | null> {
  try {
    const mod = (await import('../../server/app.ts')) as { createApp?: () => Listener };
    return typeof mod.createApp === 'function' ? mod.createApp() : null;
  } catch (e) {
    console.warn(`e2e: server/app.ts did not load (${(e as Error).message.split('\n')[0]}); serving dist/client statically`);
    return null;
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.txt': 'text/plain',
};

const staticFiles: Listener = (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  const file = path.join(DIST, path.normalize(rel));
  if (!file.startsWith(DIST) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
};

/** Start the app; the client must have been built (e2e/run.sh does it). */
export async function startApp(): Promise<RunningApp> {
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('dist/client is not built: run `npx vite build` (e2e/run.sh does)');
  const game = await gameServer();
  if (game) return game;
  const app = await expressApp();
  const server = http.createServer(app ?? staticFiles);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    kind: app ? 'express' : 'static',
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
