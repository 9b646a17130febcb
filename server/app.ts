/** The HTTP side of the server: health, the built client and (later) the API. */
import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Where `vite build` puts the client. */
export const CLIENT_DIR = path.resolve(here, '..', 'dist', 'client');

/** Build the express app. */
export function createApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => { res.json({ ok: true, name: 'SYN/ACK' }); });
  if (existsSync(CLIENT_DIR)) app.use(express.static(CLIENT_DIR));
  else app.get('/', (_req, res) => { res.type('text/plain').send('SYN/ACK: the client is not built; run `npm run build`.'); });
  return app;
}
