/**
 * The server's abuse limits, per remote address: how many sockets may wait unjoined, how
 * fast joins and room creations may come, and how many wrong room codes may be tried.
 *
 * The rate limits use rate-limiter-flexible (memory store today; it has a Redis store, so
 * several processes can share them later). The count of unjoined sockets is a live count,
 * not a rate, so it is a plain map here.
 */
import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

/** The limits, from the environment (README, Configuration). */
export interface LimitsConfig {
  /** A socket that has not sent hello, join or resume after this long is closed (join/timeout). */
  joinTimeoutMs: number;
  /** Unjoined sockets one address may hold at once; more are refused with HTTP 429 at the upgrade. */
  maxPendingPerAddress: number;
  /** Joins one address may make in a minute (a school behind one NAT is one address). */
  joinsPerMinute: number;
  /** Wrong room codes one address may try in an hour (HTTP and WebSocket together). */
  codeGuessesPerHour: number;
  /** Rooms one address may open in a minute. */
  roomsPerMinute: number;
  /** express's `trust proxy`: whose X-Forwarded-For to believe (false: nobody's). */
  trustProxy: boolean | number | string;
}

export const DEFAULT_LIMITS: LimitsConfig = {
  joinTimeoutMs: 10_000,
  maxPendingPerAddress: 50,
  joinsPerMinute: 120,
  codeGuessesPerHour: 200,
  roomsPerMinute: 30,
  trustProxy: false,
};

/** What a refused attempt is told: how long to wait. */
export interface Refusal { retryAfterSec: number }

/** `TRUST_PROXY` as express reads it: "true"/"false", a hop count, or addresses and subnets. */
export function parseTrustProxy(raw: string | undefined): boolean | number | string {
  const v = (raw ?? '').trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/** Compile a trust setting as express does (proxy-addr's rules), for sockets express never sees. */
function compileTrust(trust: boolean | number | string): (addr: string, i: number) => boolean {
  if (trust === true) return () => true;
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_a, i) => i < trust;
  return proxyAddr.compile(trust.split(',').map((s) => s.trim()).filter(Boolean));
}

export class Limits {
  readonly config: LimitsConfig;
  private readonly trust: (addr: string, i: number) => boolean;
  private readonly pending = new Map<string, number>();
  private readonly joins: RateLimiterMemory;
  private readonly guesses: RateLimiterMemory;
  private readonly creations: RateLimiterMemory;
  /** Refusals so far, by limit (for tests and the closing figures). */
  readonly refused = { pending: 0, joins: 0, guesses: 0, creations: 0 };

  constructor(config: Partial<LimitsConfig> = {}) {
    this.config = { ...DEFAULT_LIMITS, ...config };
    this.trust = compileTrust(this.config.trustProxy);
    this.joins = new RateLimiterMemory({ keyPrefix: 'join', points: this.config.joinsPerMinute, duration: 60 });
    this.guesses = new RateLimiterMemory({ keyPrefix: 'code', points: this.config.codeGuessesPerHour, duration: 3600 });
    this.creations = new RateLimiterMemory({ keyPrefix: 'room', points: this.config.roomsPerMinute, duration: 60 });
  }

  /** The client's address: the socket's peer, or the forwarded one when that peer is a trusted proxy. */
  addressOf(req: IncomingMessage): string {
    return proxyAddr(req, this.trust);
  }

  /** Take a pending (unjoined) slot for this address; false when it has none left. */
  takePending(address: string): boolean {
    const n = this.pending.get(address) ?? 0;
    if (n >= this.config.maxPendingPerAddress) { this.refused.pending++; return false; }
    this.pending.set(address, n + 1);
    return true;
  }

  /** Give a pending slot back (the socket joined, or closed). */
  releasePending(address: string): void {
    const n = (this.pending.get(address) ?? 0) - 1;
    if (n <= 0) this.pending.delete(address);
    else this.pending.set(address, n);
  }

  /** Unjoined sockets this address holds now. */
  pendingOf(address: string): number {
    return this.pending.get(address) ?? 0;
  }

  /** Count one join; a Refusal when the address is over its rate. */
  takeJoin(address: string): Promise<Refusal | null> {
    return take(this.joins, address, () => { this.refused.joins++; });
  }

  /** Count one room opened; a Refusal when the address is over its rate. */
  takeRoomCreation(address: string): Promise<Refusal | null> {
    return take(this.creations, address, () => { this.refused.creations++; });
  }

  /** Whether this address has used up its wrong room codes (then even a right one is refused, so guessing stops). */
  async guessesExhausted(address: string): Promise<Refusal | null> {
    const res = await this.guesses.get(address);
    if (res && res.remainingPoints <= 0) {
      this.refused.guesses++;
      return { retryAfterSec: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
    }
    return null;
  }

  /** Count one wrong room code. */
  async countWrongCode(address: string): Promise<void> {
    await this.guesses.consume(address).catch(() => { /* over the limit: the next attempt is refused */ });
  }
}

async function take(limiter: RateLimiterMemory, key: string, onRefused: () => void): Promise<Refusal | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (e) {
    if (!(e instanceof RateLimiterRes)) throw e;
    onRefused();
    return { retryAfterSec: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) };
  }
}
