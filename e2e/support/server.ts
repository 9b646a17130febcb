/**
 * The app under test on 127.0.0.1, port 0: the real game server (server/server.ts's
 * `startServer`) with a fresh DATA_DIR and short game timings, serving the built client.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type ServerOptions } from '../../server/server.ts';

const DIST = fileURLToPath(new URL('../../dist/client', import.meta.url));

export interface RunningApp {
  url: string;
  kind: 'game server';
  close: () => Promise<void>;
  /** Stop the server (clients are told to reconnect), wait `downMs`, start it again on the same port and data. */
  restart: (downMs?: number) => Promise<void>;
}

/** Game timings for tests: quick, but slow enough to see segments in flight; 2MSL keeps the rule of shared/game/timings.ts. */
export const TEST_TIMINGS = { latencyMs: 400, timeWaitMs: 12_000, rtxMs: 5000 } as const;

/** Start the game server (with `extra` options over the test timings); the client must have been built (e2e/run.sh does it). */
export async function startApp(extra: Partial<ServerOptions> = {}): Promise<RunningApp> {
  if (!existsSync(path.join(DIST, 'index.html'))) throw new Error('dist/client is not built: run `npx vite build` (e2e/run.sh does)');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'synack-e2e-'));
  const opts = { host: '127.0.0.1', dataDir, ...TEST_TIMINGS, warn: () => {}, ...extra };
  let server = await startServer({ ...opts, port: 0 });
  const port = server.port;
  return {
    url: `http://127.0.0.1:${port}`,
    kind: 'game server',
    close: async () => { await server.close(); rmSync(dataDir, { recursive: true, force: true }); },
    restart: async (downMs = 0) => {
      await server.close();
      await new Promise((r) => setTimeout(r, downMs));
      server = await startServer({ ...opts, port });
    },
  };
}
