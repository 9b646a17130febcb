/** The HTTP side of the server: health, the room API and the built client. */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { STATUS_CODES } from 'node:http';
import { ERROR_CODES, PROTOCOL_VERSION, type ErrorCode } from '../shared/protocol.ts';
import { MAX_API_BODY, MAX_LOOKUP_KEYS, createRoomBodySchema, lookupBodySchema, type ApiErrorBody, type CreatedRoom } from '../shared/api.ts';
import { ROOM_DAMAGED_MESSAGE, type Hub } from './hub.ts';
import { StoreError } from './store.ts';
import type { Limits } from './limits.ts';
import { reviewRouter } from './review-api.ts';
import { securityHeaders } from './security.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Where `vite build` puts the client. */
export const CLIENT_DIR = path.resolve(here, '..', 'dist', 'client');

const MAX_BODY = MAX_API_BODY;

/** A JSON error with a code from the protocol's table (the same shape as the WebSocket `error`). */
function sendError(res: Response, status: number, code: ErrorCode, message: string): void {
  res.status(status).json({ type: 'error', code, message } satisfies ApiErrorBody);
}

/** 429 with Retry-After. */
function sendLimited(res: Response, retryAfterSec: number, message: string): void {
  res.set('Retry-After', String(retryAfterSec));
  sendError(res, 429, ERROR_CODES.rateLimited, message);
}

/** The status of a room whose log cannot be read or rebuilt: the server's storage failed, not the request. */
export const DAMAGED_STATUS = 500;

/** Build the express app; without a hub it serves only health and the client (from `clientDir`, default CLIENT_DIR). */
export function createApp(hub?: Hub, clientDir: string = CLIENT_DIR): Express {
  const app = express();
  app.use(securityHeaders());
  app.disable('x-powered-by');
  if (hub) app.set('trust proxy', hub.limits.config.trustProxy);
  // Whether the server can do its work: 503 while the store cannot write. It says nothing
  // about the rooms (a stranger may ask).
  app.get('/healthz', (_req, res) => {
    const store = hub?.store.health() ?? { ok: true };
    res.set('Cache-Control', 'no-store');
    if (store.ok) res.json({ ok: true, name: 'SYN/ACK', protocol: PROTOCOL_VERSION });
    else res.status(503).json({ ok: false, name: 'SYN/ACK', protocol: PROTOCOL_VERSION, store: store.reason });
  });

  if (hub) {
    const api = express.Router();
    api.use(express.json({ limit: MAX_BODY }));

    const limits: Limits = hub.limits;
    // Opening rooms is limited per address so a script cannot fill the disk.
    api.post('/rooms', async (req, res) => {
      const body = createRoomBodySchema.safeParse(req.body ?? {});
      if (!body.success) { sendError(res, 400, ERROR_CODES.frameInvalid, 'send {"kind": "class"} or {"kind": "practice"}'); return; }
      const refused = await limits.takeRoomCreation(limits.addressOf(req));
      if (refused) { sendLimited(res, refused.retryAfterSec, 'too many rooms opened from here; wait a moment'); return; }
      const { code, key } = hub.createRoom(body.data.kind);
      res.status(201).json({ code, key, kind: body.data.kind } satisfies CreatedRoom);
    });

    api.post('/rooms/lookup', (req, res) => {
      const body = lookupBodySchema.safeParse(req.body ?? {});
      if (!body.success) { sendError(res, 400, ERROR_CODES.frameInvalid, `send {"keys": [...]} with at most ${MAX_LOOKUP_KEYS} keys`); return; }
      res.json({ rooms: hub.lookup(body.data.keys) });
    });

    // Codes are guessable in principle: a wrong one counts against the address, and once the
    // address has used its guesses every code is refused for a while (the same count as the
    // WebSocket's join, resume and hello).
    api.get('/rooms/:code', async (req, res) => {
      const address = limits.addressOf(req);
      const exhausted = await limits.guessesExhausted(address);
      if (exhausted) { sendLimited(res, exhausted.retryAfterSec, 'too many wrong room codes from here; wait and try again'); return; }
      const info = hub.info(String(req.params.code));
      if (info === 'damaged') { sendError(res, DAMAGED_STATUS, ERROR_CODES.roomDamaged, ROOM_DAMAGED_MESSAGE); return; }
      if (!info) {
        await limits.countWrongCode(address);
        sendError(res, 404, ERROR_CODES.roomNotFound, 'there is no room with that code');
        return;
      }
      res.json(info);
    });

    api.get('/rooms/:code/log', (req, res) => {
      const auth = req.get('authorization') ?? '';
      const m = /^Bearer\s+(\S{1,128})$/i.exec(auth);
      const r = hub.log(String(req.params.code), m?.[1]);
      if (!r.ok && r.why === 'not-found') { sendError(res, 404, ERROR_CODES.roomNotFound, 'there is no room with that code'); return; }
      if (!r.ok && r.why === 'damaged') { sendError(res, DAMAGED_STATUS, ERROR_CODES.roomDamaged, ROOM_DAMAGED_MESSAGE); return; }
      if (!r.ok) { res.set('WWW-Authenticate', 'Bearer'); sendError(res, 401, ERROR_CODES.badKey, 'send the room key as "Authorization: Bearer <key>"'); return; }
      res.json({ code: r.code, kind: r.kind, events: r.events });
    });

    api.use(reviewRouter(hub));
    api.use((_req, res) => { sendError(res, 404, ERROR_CODES.unknownType, 'no such API endpoint'); });
    api.use((e: unknown, _req: Request, res: Response, _next: NextFunction) => {
      const type = (e as { type?: unknown } | null)?.type;
      if (type === 'entity.too.large') { sendError(res, 413, ERROR_CODES.frameTooLarge, `request bodies are limited to ${MAX_BODY}`); return; }
      if (type === 'entity.parse.failed') { sendError(res, 400, ERROR_CODES.frameNotJson, 'the body is not valid JSON'); return; }
      const status = (e as { status?: unknown } | null)?.status;
      if (typeof status === 'number' && status >= 400 && status < 500) { sendError(res, status, ERROR_CODES.frameInvalid, 'bad request'); return; }
      // The store's failures are expected in operation (a full disk) and /healthz reports them: one line each.
      if (e instanceof StoreError) console.error(`API error: the store failed: ${e.message}`);
      else console.error('API error', e);
      sendError(res, 500, ERROR_CODES.internal, 'the server failed on that request');
    });
    app.use('/api', api);
  }

  if (existsSync(clientDir)) {
    app.use(express.static(clientDir));
    // Client-side routes (/join/K7QM2X, /host, …) get the app shell; a missing file (a path
    // with an extension) stays a 404.
    app.get(/^\/(?!api\/|ws$|healthz$)(?:[^.]*)$/, (req, res, next) => {
      if (req.accepts('html')) res.sendFile(path.join(clientDir, 'index.html'));
      else next();
    });
  } else {
    app.get('/', (_req, res) => { res.type('text/plain').send('SYN/ACK: the client is not built; run `npm run build`.'); });
  }
  // Last: what failed outside the API (a client file gone while a build replaces it, say)
  // answers in plain words; express's own handler would send the stack trace and the path.
  app.use((e: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) { next(e); return; }
    const status = (e as { status?: unknown } | null)?.status;
    if (typeof status === 'number' && status >= 400 && status < 500) { res.status(status).type('text/plain').send(STATUS_CODES[status] ?? 'bad request'); return; }
    console.error('HTTP error', e);
    res.status(500).type('text/plain').send('the server failed on that request');
  });
  return app;
}
