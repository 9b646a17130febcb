/**
 * A reconnecting WebSocket for the game, in the manner of partysocket: a jittered first
 * delay, a backoff that grows to a cap, the retry count reset only once a connection has
 * stayed up a while, and a connect timeout. Each new connection first sends the message
 * `greet()` returns (join, resume or hello), so a dropped seat is resumed by its token.
 * An application ping notices connections that died without a close (a laptop lid, a
 * dropped Wi-Fi), which the browser would otherwise report only minutes later.
 */
import type { ClientMessage, ServerMessage } from '../../../shared/protocol.ts';

// From the zod-free half of the protocol: importing values from shared/protocol.ts would
// bring zod into the student page.
import { CLOSE_CODES, RECONNECTABLE_CLOSE_CODES } from '../../../shared/protocol-constants.ts';

export { CLOSE_CODES };
/** Reconnect after these, and after any close not in CLOSE_CODES. */
const RECONNECTABLE: ReadonlySet<number> = new Set(RECONNECTABLE_CLOSE_CODES);
const FINAL: ReadonlySet<number> = new Set(Object.values(CLOSE_CODES).filter((c) => !RECONNECTABLE.has(c)));

export type SocketStatus =
  | { kind: 'connecting'; attempt: number }
  | { kind: 'open' }
  | { kind: 'waiting'; attempt: number; retryInMs: number }
  | { kind: 'closed'; code: number; reason: string };

export interface SocketOptions {
  url: string;
  /** The first message on every new connection. */
  greet: () => ClientMessage;
  onMessage: (msg: ServerMessage) => void;
  onStatus: (status: SocketStatus) => void;
  /** Backoff: the first delay (jittered), its growth and its cap, ms. */
  minDelayMs?: number;
  growth?: number;
  maxDelayMs?: number;
  /** A connection that stayed up this long resets the retry count. */
  minUptimeMs?: number;
  connectTimeoutMs?: number;
  pingEveryMs?: number;
  /** No message at all for this long after a ping: the connection is dead. */
  deadAfterMs?: number;
}

/** The delay before retry number `attempt` (0-based): grows by `growth`, capped, with ±50% jitter. */
export function backoffDelay(attempt: number, o: { minDelayMs: number; growth: number; maxDelayMs: number }, random = Math.random): number {
  const base = Math.min(o.maxDelayMs, o.minDelayMs * o.growth ** attempt);
  return Math.round(base * (0.5 + random()));
}

export class GameSocket {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private stopped = false;
  private timers: Array<ReturnType<typeof setTimeout>> = [];
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastHeard = 0;
  private openedAt = 0;
  private readonly o: Required<Omit<SocketOptions, 'url' | 'greet' | 'onMessage' | 'onStatus'>>;

  constructor(private readonly opts: SocketOptions) {
    this.o = {
      minDelayMs: opts.minDelayMs ?? 600,
      growth: opts.growth ?? 1.6,
      maxDelayMs: opts.maxDelayMs ?? 10_000,
      minUptimeMs: opts.minUptimeMs ?? 5_000,
      connectTimeoutMs: opts.connectTimeoutMs ?? 6_000,
      pingEveryMs: opts.pingEveryMs ?? 10_000,
      deadAfterMs: opts.deadAfterMs ?? 25_000,
    };
    addEventListener('online', this.onOnline);
    this.connect();
  }

  /** Send a message now; false when there is no open connection (the caller says so). */
  send(msg: ClientMessage): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  /** True while a connection is open. */
  get isOpen(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Close for good (leaving the page). */
  close(): void {
    this.stopped = true;
    removeEventListener('online', this.onOnline);
    this.clearTimers();
    const ws = this.ws;
    this.ws = null;
    if (ws) { ws.onclose = null; ws.close(1000, 'bye'); }
  }

  /** Drop the current connection as if the network had failed (used when the page comes back online). */
  reconnectNow(): void {
    if (this.stopped) return;
    this.clearTimers();
    const ws = this.ws;
    this.ws = null;
    if (ws) { ws.onclose = null; ws.close(); }
    this.attempt = 0;
    this.connect();
  }

  private onOnline = () => {
    if (!this.isOpen) this.reconnectNow();
  };

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  private connect(): void {
    if (this.stopped) return;
    this.opts.onStatus({ kind: 'connecting', attempt: this.attempt });
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.opts.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.ws = ws;
    const timeout = setTimeout(() => {
      if (ws.readyState === WebSocket.CONNECTING) ws.close();
    }, this.o.connectTimeoutMs);
    this.timers.push(timeout);

    ws.onopen = () => {
      clearTimeout(timeout);
      this.openedAt = Date.now();
      this.lastHeard = Date.now();
      ws.send(JSON.stringify(this.opts.greet()));
      this.opts.onStatus({ kind: 'open' });
      this.pingTimer = setInterval(() => this.heartbeat(ws), this.o.pingEveryMs);
    };
    ws.onmessage = (e) => {
      this.lastHeard = Date.now();
      let msg: ServerMessage;
      try {
        msg = JSON.parse(String(e.data)) as ServerMessage;
      } catch {
        return;
      }
      if (msg.type === 'pong') return;
      this.opts.onMessage(msg);
    };
    ws.onclose = (e) => {
      clearTimeout(timeout);
      if (this.pingTimer) clearInterval(this.pingTimer);
      this.pingTimer = null;
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.stopped) return;
      if (FINAL.has(e.code)) {
        this.stopped = true;
        this.opts.onStatus({ kind: 'closed', code: e.code, reason: e.reason });
        return;
      }
      if (this.openedAt && Date.now() - this.openedAt >= this.o.minUptimeMs) this.attempt = 0;
      this.openedAt = 0;
      this.scheduleRetry();
    };
  }

  private heartbeat(ws: WebSocket): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (Date.now() - this.lastHeard > this.o.deadAfterMs) {
      ws.close(4000, 'no answer');
      return;
    }
    ws.send(JSON.stringify({ type: 'ping', t: Date.now() } satisfies ClientMessage));
  }

  private scheduleRetry(): void {
    const delay = backoffDelay(this.attempt, this.o);
    this.attempt += 1;
    this.opts.onStatus({ kind: 'waiting', attempt: this.attempt, retryInMs: delay });
    this.timers.push(setTimeout(() => this.connect(), delay));
  }
}
