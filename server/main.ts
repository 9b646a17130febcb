/**
 * `npm start`: serve SYN/ACK. Environment: PORT (3000; 0 picks a free one), HOST (all
 * interfaces), DATA_DIR (./data), WIRE_LATENCY_MS (1500), TIME_WAIT_MS (20000), RTX_MS (5000),
 * BOT_THINK_MS (1500), MAX_SEATS (200), and the abuse limits (limits.ts): JOIN_TIMEOUT_MS, MAX_PENDING_PER_ADDRESS,
 * JOINS_PER_MINUTE, CODE_GUESSES_PER_HOUR, TRUST_PROXY; ROOM_IDLE_CLOSE_HOURS (12), ROOM_RETENTION_DAYS (off);
 * START_DAMAGED (1, or the flag --start-damaged: start although the database fails its
 * integrity check, skipping the rooms that cannot be read). README's Configuration says what each means.
 * Prints one line `SYN/ACK listening on http://…:PORT` once it accepts connections. A start
 * that cannot happen (a damaged database, a busy port) prints one line saying why and what
 * to do, and exits 1.
 */
import { DEFAULTS, startServer, type RunningServer } from './server.ts';
import { StoreOpenError } from './store.ts';
import { DEFAULT_LIMITS, parseTrustProxy } from './limits.ts';

function envInt(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`${name} must be an integer from ${min} to ${max}, not "${raw}"`);
    process.exit(2);
  }
  return n;
}

function envFlag(name: string): boolean {
  const raw = (process.env[name] ?? '').trim();
  if (raw === '' || raw === '0') return false;
  if (raw === '1') return true;
  console.error(`${name} must be 1 or 0, not "${raw}"`);
  process.exit(2);
}

/** One line for a start that failed, or null for an error nobody expected (its stack is worth seeing). */
function startFailure(e: unknown, port: number, host: string | undefined): string | null {
  if (e instanceof StoreOpenError) return e.message;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'EADDRINUSE') return `port ${port} is already in use (EADDRINUSE): stop the other server or set PORT`;
  if (code === 'EACCES') return `not allowed to listen on port ${port} (EACCES): choose a port above 1023 or set PORT`;
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return `cannot listen on HOST ${host ?? ''} (${code}): it is not an address of this machine; fix or unset HOST`;
  return null;
}

const port = envInt('PORT', DEFAULTS.port, 0, 65535);
const host = process.env.HOST || undefined;
let server: RunningServer;
try {
  server = await startServer({
    port,
    ...(host ? { host } : {}),
    dataDir: process.env.DATA_DIR || DEFAULTS.dataDir,
    latencyMs: envInt('WIRE_LATENCY_MS', DEFAULTS.latencyMs, 0, 600_000),
    timeWaitMs: envInt('TIME_WAIT_MS', DEFAULTS.timeWaitMs, 1, 600_000),
    rtxMs: envInt('RTX_MS', DEFAULTS.rtxMs, 1, 600_000),
    botThinkMs: envInt('BOT_THINK_MS', DEFAULTS.botThinkMs, 0, 600_000),
    startDamaged: envFlag('START_DAMAGED') || process.argv.includes('--start-damaged'),
    maxSeats: envInt('MAX_SEATS', DEFAULTS.maxSeats, 2, 10_000),
    idleCloseMs: envInt('ROOM_IDLE_CLOSE_HOURS', DEFAULTS.idleCloseMs / 3600_000, 1, 24 * 365) * 3600_000,
    retentionMs: process.env.ROOM_RETENTION_DAYS ? envInt('ROOM_RETENTION_DAYS', 0, 1, 36_500) * 86_400_000 : null,
    limits: {
      joinTimeoutMs: envInt('JOIN_TIMEOUT_MS', DEFAULT_LIMITS.joinTimeoutMs, 100, 600_000),
      maxPendingPerAddress: envInt('MAX_PENDING_PER_ADDRESS', DEFAULT_LIMITS.maxPendingPerAddress, 1, 100_000),
      joinsPerMinute: envInt('JOINS_PER_MINUTE', DEFAULT_LIMITS.joinsPerMinute, 1, 1_000_000),
      codeGuessesPerHour: envInt('CODE_GUESSES_PER_HOUR', DEFAULT_LIMITS.codeGuessesPerHour, 1, 1_000_000),
      trustProxy: parseTrustProxy(process.env.TRUST_PROXY),
    },
  });
} catch (e) {
  const line = startFailure(e, port, host);
  console.error(line ?? e);
  process.exit(1);
}
const { rooms, events } = server.recovered;
if (rooms > 0) console.log(`recovered ${rooms} open room(s) from ${events} logged event(s)`);
if (server.recovered.idleClosed.length > 0) console.log(`closed ${server.recovered.idleClosed.length} room(s) idle for ROOM_IDLE_CLOSE_HOURS instead of rebuilding them`);
console.log(`SYN/ACK listening on ${server.url} (port ${server.port})`);

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    // close() checkpoints the log into the database file before releasing it.
    server.close().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
    // If something hangs, do not hang the shutdown: the log is already on disk.
    setTimeout(() => process.exit(1), 5000).unref();
  });
}
