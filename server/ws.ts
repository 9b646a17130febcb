/**
 * The game's WebSocket endpoint (`/ws` on the HTTP server's port). Every frame is checked
 * in order — rate, size, JSON, schema — and a failure is answered with an `error` message;
 * only abuse (an oversize frame, flooding) closes the connection, with a documented code.
 * Heartbeats end connections that stopped answering.
 */
import type { Server } from 'node:http';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import {
  CLOSE_CODES, ERROR_CODES, MAX_FRAME_BYTES, parseClientMessage, type ErrorCode, type ServerMessage,
} from '../shared/protocol.ts';
import type { Hub } from './hub.ts';
import type { Peer, RoomRuntime } from './room-runtime.ts';
import { TokenBucket } from './rate-limit.ts';
import type { Viewer } from '../shared/game/view-for.ts';

export interface WsOptions {
  /** Interval between pings; a connection that missed the previous pong is terminated. */
  heartbeatMs: number;
  /** Messages per second allowed on average, and the burst. */
  ratePerSec: number;
  rateBurst: number;
  /** Refused messages in a row (bucket empty) before the connection is closed for flooding. */
  floodStrikes: number;
  now: () => number;
}

export const DEFAULT_WS_OPTIONS: WsOptions = {
  heartbeatMs: 15_000, ratePerSec: 20, rateBurst: 40, floodStrikes: 20, now: () => Date.now(),
};

/** Frames above this die in `ws` itself (close 1009) before they are even buffered whole. */
export const WS_MAX_PAYLOAD = MAX_FRAME_BYTES * 4;
/** A connection that lets this much pile up unread is dropped instead of buffering forever. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** Everything ws.ts keeps per connection. */
class SocketPeer implements Peer {
  viewer: Viewer | null = null;
  room: RoomRuntime | null = null;
  alive = true;
  strikes = 0;
  closing = false;

  constructor(readonly id: number, readonly ws: WebSocket, readonly bucket: TokenBucket) {}

  send(msg: ServerMessage): void {
    this.sendText(JSON.stringify(msg));
  }

  sendText(json: string): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.ws.terminate();
      return;
    }
    this.ws.send(json);
  }

  close(code: number, reason: string): void {
    if (this.closing) return;
    this.closing = true;
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
  }

  error(code: ErrorCode, message: string, ref?: string): void {
    this.send(ref === undefined ? { type: 'error', code, message } : { type: 'error', code, message, ref });
  }
}

/** Attach the game endpoint to an HTTP server. */
export function attachWebSocket(server: Server, hub: Hub, options: Partial<WsOptions> = {}): { wss: WebSocketServer; close(): Promise<void> } {
  const opts = { ...DEFAULT_WS_OPTIONS, ...options };
  const wss = new WebSocketServer({ server, path: '/ws', maxPayload: WS_MAX_PAYLOAD });
  // ws re-emits the HTTP server's errors here; an 'error' nobody listens to would end the process.
  wss.on('error', (e) => { console.error(`WebSocket server error: ${e.message}`); });
  const peers = new Set<SocketPeer>();
  let nextId = 1;

  wss.on('connection', (ws) => {
    const peer = new SocketPeer(nextId++, ws, new TokenBucket(opts.ratePerSec, opts.rateBurst, opts.now()));
    peers.add(peer);
    ws.on('pong', () => { peer.alive = true; });
    ws.on('error', () => { /* a close follows; nothing to do */ });
    ws.on('close', () => {
      peers.delete(peer);
      try {
        hub.disconnect(peer);
      } catch (e) {
        console.error('disconnect failed', e);
      }
    });
    ws.on('message', (data, isBinary) => {
      if (peer.closing) return;
      try {
        onFrame(peer, data, isBinary);
      } catch (e) {
        // A bug must cost one answer, not the process.
        console.error('frame handling failed', e);
        peer.error(ERROR_CODES.internal, 'the server failed on that message');
      }
    });
  });

  function onFrame(peer: SocketPeer, data: RawData, isBinary: boolean): void {
    if (!peer.bucket.take(opts.now())) {
      peer.strikes++;
      if (peer.strikes === 1) peer.error(ERROR_CODES.rateLimited, `slow down: at most ${opts.ratePerSec} messages a second`);
      if (peer.strikes >= opts.floodStrikes) peer.close(CLOSE_CODES['abuse/flooding'], 'abuse/flooding');
      return;
    }
    peer.strikes = 0;
    const size = byteLength(data);
    if (size > MAX_FRAME_BYTES) {
      peer.error(ERROR_CODES.frameTooLarge, `frames are limited to ${MAX_FRAME_BYTES} bytes`);
      peer.close(CLOSE_CODES['abuse/too-large'], 'abuse/too-large');
      return;
    }
    if (isBinary) {
      peer.error(ERROR_CODES.frameNotJson, 'frames must be JSON text');
      return;
    }
    const parsed = parseClientMessage(toText(data));
    if (!parsed.ok) {
      peer.error(parsed.code, parsed.message, parsed.ref);
      if (parsed.code === ERROR_CODES.frameTooLarge) peer.close(CLOSE_CODES['abuse/too-large'], 'abuse/too-large');
      return;
    }
    const r = hub.handle(peer, parsed.msg);
    if (!r.ok) peer.error(r.code, r.message, parsed.msg.type);
  }

  const heartbeat = setInterval(() => {
    for (const peer of peers) {
      if (!peer.alive) {
        peer.ws.terminate();
        continue;
      }
      peer.alive = false;
      try {
        peer.ws.ping();
      } catch {
        peer.ws.terminate();
      }
    }
  }, opts.heartbeatMs);
  heartbeat.unref();

  return {
    wss,
    close: () => new Promise<void>((resolve) => {
      clearInterval(heartbeat);
      for (const peer of peers) peer.close(CLOSE_CODES['server/reconnect'], 'server/reconnect');
      // Give closing handshakes a moment, then cut whatever is left.
      const cut = setTimeout(() => { for (const peer of peers) peer.ws.terminate(); }, 1000);
      cut.unref();
      wss.close(() => { clearTimeout(cut); resolve(); });
      if (peers.size === 0) { clearTimeout(cut); }
    }),
  };
}

function byteLength(data: RawData): number {
  if (Buffer.isBuffer(data)) return data.length;
  if (Array.isArray(data)) return data.reduce((n, b) => n + b.length, 0);
  return data.byteLength;
}

function toText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
