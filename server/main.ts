/**
 * `npm start`: serve SYN/ACK. Environment: PORT (3000; 0 picks a free one), HOST (all
 * interfaces), DATA_DIR (./data), WIRE_LATENCY_MS (1500), TIME_WAIT_MS (4000), RTX_MS (5000),
 * MAX_SEATS (200), and the abuse limits (limits.ts): JOIN_TIMEOUT_MS, MAX_PENDING_PER_ADDRESS,
 * JOINS_PER_MINUTE, CODE_GUESSES_PER_HOUR, TRUST_PROXY; ROOM_IDLE_CLOSE_HOURS (12), ROOM_RETENTION_DAYS (off). README's Configuration says what each means.
 * Prints one line `SYN/ACK listening on http://…:PORT` once it accepts connections.
 */
import { DEFAULTS, startServer } from './server.ts';
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

const server = await startServer({
  port: envInt('PORT', DEFAULTS.port, 0, 65535),
  ...(process.env.HOST ? { host: process.env.HOST } : {}),
  dataDir: process.env.DATA_DIR || DEFAULTS.dataDir,
  latencyMs: envInt('WIRE_LATENCY_MS', DEFAULTS.latencyMs, 0, 600_000),
  timeWaitMs: envInt('TIME_WAIT_MS', DEFAULTS.timeWaitMs, 1, 600_000),
  rtxMs: envInt('RTX_MS', DEFAULTS.rtxMs, 1, 600_000),
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
const { rooms, events, failed } = server.recovered;
if (rooms > 0 || failed.length > 0) console.log(`recovered ${rooms} open room(s) from ${events} logged event(s)${failed.length ? `; could not rebuild ${failed.join(', ')}` : ''}`);
console.log(`SYN/ACK listening on ${server.url} (port ${server.port})`);

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    server.close().then(() => process.exit(0), (e: unknown) => { console.error(e); process.exit(1); });
    // If something hangs, do not hang the shutdown: the log is already on disk.
    setTimeout(() => process.exit(1), 5000).unref();
  });
}
