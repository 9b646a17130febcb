/**
 * The game's WebSocket endpoint (`/ws` on the HTTP server's port). Every frame is checked
 * in order — rate, size, JSON, schema — and a failure is answered with an `error` message;
 * only abuse (an oversize frame, flooding) closes the connection, with a documented code.
 * Heartbeats end connections that stopped answering.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import {
  CLOSE_CODES, ERROR_CODES, MAX_FRAME_BYTES, parseClientMessage, type ErrorCode, type ServerMessage,
} from '../shared/protocol.ts';
import type { Hub } from './hub.ts';
import type { Peer, RoomRuntime } from './room-runtime.ts';
import { TokenBucket } from './rate-limit.ts';
import type { Limits } from './limits.ts';
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

// The per-connection message rate stays a small token bucket: a connection lives in one
// process, so there is nothing to share across processes, and it runs on every frame
// synchronously (rate-limiter-flexible's API is a promise per call).

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
  /** Holds one of its address's unjoined slots until it joins or closes. */
  pending = true;
  /** Frames are handled one after another, even when entering a room waits for the limits. */
  queue: Promise<void> = Promise.resolve();
  joinTimer: ReturnType<typeof setTimeout> | null = null;
  admitted: () => void = () => {};

  constructor(readonly id: number, readonly ws: WebSocket, readonly bucket: TokenBucket, readonly address: string) {}

  isOpen(): boolean {
    return !this.closing && this.ws.readyState === WebSocket.OPEN;
  }

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

/**
 * Attach the game endpoint to an HTTP server. The upgrade is ours to accept: an address
 * that already holds `maxPendingPerAddress` unjoined sockets gets HTTP 429 instead, and a
 * socket that has not sent hello, join or resume within `joinTimeoutMs` is closed
 * ('join/timeout'). Joined sockets are not capped per address: a school behind one NAT
 * is one address.
 */
export function attachWebSocket(server: Server, hub: Hub, options: Partial<WsOptions> = {}): { wss: WebSocketServer; close(): Promise<void> } {
  const opts = { ...DEFAULT_WS_OPTIONS, ...options };
  const limits: Limits = hub.limits;
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD });
  // ws's own errors (it re-emits none of the HTTP server's in noServer mode): logged, never fatal.
  wss.on('error', (e) => { console.error(`WebSocket server error: ${e.message}`); });
  const peers = new Set<SocketPeer>();
  let nextId = 1;

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    socket.on('error', () => { /* a reset during the upgrade: nothing to answer */ });
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/ws') {
      refuseUpgrade(socket, 404, 'Not Found', 'the game endpoint is /ws');
      return;
    }
    const address = limits.addressOf(req);
    if (!limits.takePending(address)) {
      refuseUpgrade(socket, 429, 'Too Many Requests', `this address already holds ${limits.config.maxPendingPerAddress} connections that have not joined a room`);
      return;
    }
    let taken = true;
    const release = () => { if (taken) { taken = false; limits.releasePending(address); } };
    // An upgrade that ws refuses (a bad handshake) never reaches the callback.
    socket.once('close', release);
    wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off('close', release);
      taken = false;
      onConnection(ws, address);
    });
  };
  server.on('upgrade', onUpgrade);

  function onConnection(ws: WebSocket, address: string): void {
    const peer = new SocketPeer(nextId++, ws, new TokenBucket(opts.ratePerSec, opts.rateBurst, opts.now()), address);
    peers.add(peer);
    peer.admitted = () => releaseSlot(peer);
    peer.joinTimer = setTimeout(() => {
      peer.joinTimer = null;
      if (!peer.viewer) peer.close(CLOSE_CODES['join/timeout'], 'join/timeout');
    }, limits.config.joinTimeoutMs);
    peer.joinTimer.unref?.();
    ws.on('pong', () => { peer.alive = true; });
    ws.on('error', () => { /* a close follows; nothing to do */ });
    ws.on('close', () => {
      peers.delete(peer);
      settlePending(peer, true);
      try {
        hub.disconnect(peer);
      } catch (e) {
        console.error('disconnect failed', e);
      }
    });
    ws.on('message', (data, isBinary) => {
      if (peer.closing) return;
      peer.queue = peer.queue.then(() => onFrame(peer, data, isBinary)).catch((e: unknown) => {
        // A bug must cost one answer, not the process.
        console.error('frame handling failed', e);
        peer.error(ERROR_CODES.internal, 'the server failed on that message');
      });
    });
  }

  /** Give the address its unjoined slot back once the socket joined (or closed). */
  function settlePending(peer: SocketPeer, closed: boolean): void {
    if (!closed && !peer.viewer) return;
    releaseSlot(peer);
    if (peer.joinTimer) { clearTimeout(peer.joinTimer); peer.joinTimer = null; }
  }

  /**
   * The slot alone goes back as soon as a room admits the socket, while its seat is still
   * being written to the log: a class joining at once is not a pile of idle sockets. (The
   * join timer still runs until the welcome.)
   */
  function releaseSlot(peer: SocketPeer): void {
    if (!peer.pending) return;
    peer.pending = false;
    limits.releasePending(peer.address);
  }

  async function onFrame(peer: SocketPeer, data: RawData, isBinary: boolean): Promise<void> {
    if (peer.closing) return;
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
    const r = await hub.handle(peer, parsed.msg);
    settlePending(peer, false);
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
      server.off('upgrade', onUpgrade);
      for (const peer of peers) if (peer.joinTimer) clearTimeout(peer.joinTimer);
      for (const peer of peers) peer.close(CLOSE_CODES['server/reconnect'], 'server/reconnect');
      // Give closing handshakes a moment, then cut whatever is left.
      const cut = setTimeout(() => { for (const peer of peers) peer.ws.terminate(); }, 1000);
      cut.unref();
      wss.close(() => { clearTimeout(cut); resolve(); });
      if (peers.size === 0) { clearTimeout(cut); }
    }),
  };
}

/** Answer an upgrade with a plain HTTP error and hang up. */
function refuseUpgrade(socket: Duplex, status: number, statusText: string, message: string): void {
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${statusText}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(message)}\r\n${status === 429 ? 'Retry-After: 10\r\n' : ''}\r\n${message}`);
  }
  socket.destroy();
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
