/**
 * `npm start`: serve SYN/ACK. Environment: PORT (3000; 0 picks a free one), HOST (all
 * interfaces), DATA_DIR (./data), WIRE_LATENCY_MS (1500), TIME_WAIT_MS (4000), RTX_MS (5000),
 * START_DAMAGED (1, or the flag --start-damaged: start although the database fails its
 * integrity check, skipping the rooms that cannot be read).
 * Prints one line `SYN/ACK listening on http://…:PORT` once it accepts connections. A
 * damaged database stops the start with one line saying which file and what to do, exit 1.
 */
import { DEFAULTS, startServer, type RunningServer } from './server.ts';
import { StoreOpenError } from './store.ts';

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

let server: RunningServer;
try {
  server = await startServer({
    port: envInt('PORT', DEFAULTS.port, 0, 65535),
    ...(process.env.HOST ? { host: process.env.HOST } : {}),
    dataDir: process.env.DATA_DIR || DEFAULTS.dataDir,
    latencyMs: envInt('WIRE_LATENCY_MS', DEFAULTS.latencyMs, 0, 600_000),
    timeWaitMs: envInt('TIME_WAIT_MS', DEFAULTS.timeWaitMs, 1, 600_000),
    rtxMs: envInt('RTX_MS', DEFAULTS.rtxMs, 1, 600_000),
    startDamaged: envFlag('START_DAMAGED') || process.argv.includes('--start-damaged'),
  });
} catch (e) {
  // A damaged or unusable store is one line that says what to do; anything else keeps its stack.
  console.error(e instanceof StoreOpenError ? e.message : e);
  process.exit(1);
}
const { rooms, events } = server.recovered;
if (rooms > 0) console.log(`recovered ${rooms} open room(s) from ${events} logged event(s)`);
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
