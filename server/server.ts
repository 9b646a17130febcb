/**
 * `startServer`: the whole server on one port — express for HTTP, ws on /ws — with its
 * rooms rebuilt from DATA_DIR's log. Used by main.ts, the tests, the benchmark and e2e.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { Hub, type Recovery } from './hub.ts';
import { DEFAULT_DATA_DIR, openSqliteStore, type EventStore, type SqliteStore } from './store.ts';
import { attachWebSocket, type WsOptions } from './ws.ts';
import { realClock, type Clock } from './scheduler.ts';
import { cryptoRandom } from './secrets.ts';
import { Limits, type LimitsConfig } from './limits.ts';
import { timeWaitProblem } from '../shared/game/timings.ts';

export interface ServerOptions {
  /** 0 picks a free port. Default 3000. */
  port?: number;
  /** Default 127.0.0.1 in tests is wise; the default here listens on every interface. */
  host?: string;
  /** Where the SQLite file lives (created if missing). Default ./data. */
  dataDir?: string;
  /** Wire latency, ms. Default 1500. */
  latencyMs?: number;
  /** TIME_WAIT (2MSL, compressed), ms. Default 20000 (see shared/game/timings.ts). */
  timeWaitMs?: number;
  /** Retransmission timeout, ms. Default 5000. */
  rtxMs?: number;
  clock?: Clock;
  random?: () => number;
  ws?: Partial<WsOptions>;
  /** Where warnings go; default console.warn. */
  warn?: (message: string) => void;
  /** Use this store instead of opening one in dataDir. */
  store?: EventStore;
  /**
   * Start even though the database file fails `PRAGMA quick_check` (START_DAMAGED=1): the
   * rooms that cannot be read are skipped, listed in one warning and answer room/damaged.
   */
  startDamaged?: boolean;
  /** Abuse limits per address (README, Configuration); defaults in limits.ts. */
  limits?: Partial<LimitsConfig>;
  /** Most students (not removed) a class room seats. Default 200. */
  maxSeats?: number;
  /** Close rooms with no event for this long. Default 12 hours. */
  idleCloseMs?: number;
  /** Delete closed rooms whose last event is older than this; default never. */
  retentionMs?: number | null;
  /** How often the idle and retention checks run. Default 10 minutes. */
  housekeepingMs?: number;
  /** A bot's pause before each move (jittered ±30 %). Default 1500. */
  botThinkMs?: number;
}

export interface RunningServer {
  port: number;
  /** http://host:port */
  url: string;
  /** ws://host:port/ws */
  wsUrl: string;
  hub: Hub;
  /** The node HTTP server (tests reach its events through it). */
  http: Server;
  /** What recovery rebuilt on start. */
  recovered: Recovery;
  /** Close connections (telling clients to reconnect), stop timers, close the store. */
  close(): Promise<void>;
}

/** Defaults, from the issue: latency long enough for two players to cross their FINs. */
/**
 * Defaults, from the issues: latency long enough for two players to cross their FINs, and a
 * 2MSL well above the retransmission timeout plus two wire trips (shared/game/timings.ts).
 */
export const DEFAULTS = {
  port: 3000, dataDir: DEFAULT_DATA_DIR, latencyMs: 1500, timeWaitMs: 20_000, rtxMs: 5000, maxSeats: 200, idleCloseMs: 12 * 3600_000, botThinkMs: 1500,
} as const;

/**
 * The one warning line for what recovery could not rebuild (rooms grouped by why), or null.
 * With a damaged file started anyway, the line says so and lists the rooms skipped.
 */
function recoveryWarning(recovered: Recovery, damagedFile?: { file: string; damage: string }): string | null {
  const byReason = new Map<string, string[]>();
  for (const f of recovered.failed) byReason.set(f.reason, [...(byReason.get(f.reason) ?? []), f.code]);
  const list = [...byReason].map(([reason, codes]) => `${codes.join(', ')} (${reason})`).join('; ');
  const rooms = recovered.unlisted !== undefined
    ? `the open rooms could not be listed (${recovered.unlisted}), so none was rebuilt`
    : recovered.failed.length > 0
      ? `${recovered.failed.length} room(s) could not be rebuilt from the log and answer room/damaged: ${list}`
      : null;
  if (damagedFile) {
    return `${damagedFile.file} is damaged (quick_check: ${damagedFile.damage}); started anyway because START_DAMAGED is set; ${rooms ?? 'every open room could still be rebuilt'}`;
  }
  return rooms;
}

/**
 * Start the server; resolves once it listens. Rejects with a StoreOpenError when the
 * database is damaged (see store.ts), or with the listen error (EADDRINUSE…); nothing is
 * left running then.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const clock = options.clock ?? realClock;
  const warn = options.warn ?? ((m: string) => console.warn(m));
  let sqlite: SqliteStore | null = null;
  let store: EventStore;
  if (options.store) store = options.store;
  else store = sqlite = openSqliteStore(options.dataDir ?? DEFAULTS.dataDir, { startDamaged: options.startDamaged ?? false, now: () => clock.now(), warn });
  const hub = new Hub(store, {
    latencyMs: options.latencyMs ?? DEFAULTS.latencyMs,
    timeWaitMs: options.timeWaitMs ?? DEFAULTS.timeWaitMs,
    rtxMs: options.rtxMs ?? DEFAULTS.rtxMs,
    clock,
    random: options.random ?? cryptoRandom,
    warn,
    maxSeats: options.maxSeats ?? DEFAULTS.maxSeats,
    idleCloseMs: options.idleCloseMs ?? DEFAULTS.idleCloseMs,
    retentionMs: options.retentionMs ?? null,
    botThinkMs: options.botThinkMs ?? DEFAULTS.botThinkMs,
  }, new Limits(options.limits));
  const timings = {
    latencyMs: options.latencyMs ?? DEFAULTS.latencyMs, rtxMs: options.rtxMs ?? DEFAULTS.rtxMs, timeWaitMs: options.timeWaitMs ?? DEFAULTS.timeWaitMs,
  };
  const timingProblem = timeWaitProblem(timings);
  if (timingProblem) warn(timingProblem);
  const recovered = hub.recover();
  const warning = recoveryWarning(recovered, sqlite?.damage ? { file: sqlite.file, damage: sqlite.damage } : undefined);
  if (warning) warn(warning);
  const housekeep = async () => {
    try {
      const r = await hub.housekeeping(clock.now());
      if (r.closed.length) warn(`closed ${r.closed.length} idle room(s): ${r.closed.join(', ')}`);
      if (r.deleted.length) warn(`deleted ${r.deleted.length} closed room(s) past retention: ${r.deleted.join(', ')}`);
    } catch (e) {
      warn(`housekeeping failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  if (options.retentionMs != null) await housekeep();
  const housekeeping = setInterval(() => { void housekeep(); }, options.housekeepingMs ?? 10 * 60_000);
  housekeeping.unref();

  const http = createServer(createApp(hub));
  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port ?? DEFAULTS.port, options.host, () => { http.off('error', reject); resolve(); });
    });
  } catch (e) {
    clearInterval(housekeeping);
    hub.shutdown();
    if (!options.store) store.close();
    throw e;
  }
  // After the start an error on the server (say, EMFILE on accept) is logged; an 'error'
  // event nobody listens to would end the process.
  http.on('error', (e) => { warn(`HTTP server error: ${e.message}`); });
  // Attached once listening, so a failed listen is reported once (ws re-emits the HTTP server's errors).
  const ws = attachWebSocket(http, hub, { now: () => clock.now(), ...options.ws });
  const port = (http.address() as AddressInfo).port;
  const host = options.host && options.host !== '0.0.0.0' && options.host !== '::' ? options.host : 'localhost';
  const hostForUrl = host.includes(':') ? `[${host}]` : host;

  let closing: Promise<void> | null = null;
  return {
    port,
    url: `http://${hostForUrl}:${port}`,
    wsUrl: `ws://${hostForUrl}:${port}/ws`,
    hub,
    http,
    recovered,
    close: () => {
      closing ??= (async () => {
        clearInterval(housekeeping);
        hub.shutdown();
        await ws.close();
        await new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections();
        });
        if (!options.store) store.close();
      })();
      return closing;
    },
  };
}
