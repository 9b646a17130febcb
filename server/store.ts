/**
 * The durable side of the server: rooms and their append-only event logs.
 *
 * The runtime talks to the `EventStore` interface only, so another engine (PostgreSQL,
 * say) can replace the embedded SQLite file later. `appendEvent` is synchronous and the
 * row is committed (WAL, synchronous=FULL) when it returns: the runtime appends before it
 * acknowledges anything, so an acknowledged move survives a SIGKILL. Until the next
 * checkpoint the newest rows live only in the `-wal` file beside the database: it is part
 * of the data. Opening refuses damaged files (`StoreOpenError`) rather than start with
 * rooms missing, and `health()` tells whether writes work.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Actor, LogEntry, RoomEvent, RoomKind } from '../shared/game/model.ts';
import { checkDatabaseFiles } from './store-check.ts';

export type { Actor };

/** One row of the rooms table. */
export interface RoomRow {
  code: string;
  kind: RoomKind;
  keyHash: string;
  createdAt: number;
  closed: boolean;
}

/** One row of a room's log (shared/game/model.ts `LogEntry`). */
export type StoredEvent = LogEntry;

/** The storage the runtime needs; SQLite today, something else tomorrow. */
export interface EventStore {
  /** Insert a room and its first log row (`room/created`, seq 1) in one transaction; false if the code is taken. */
  createRoom(row: RoomRow, first: StoredEvent): boolean;
  /** Append one event; it is committed when this returns. Throws if the seq is already used. */
  appendEvent(code: string, e: StoredEvent): void;
  /**
   * Append several rows (of one room or many) in one transaction: all are committed when this
   * returns, or none is (it throws). The journal's group commit.
   */
  appendEvents(rows: readonly { code: string; row: StoredEvent }[]): void;
  /** A room's events in order, optionally only those after `afterSeq`. */
  eventsOf(code: string, afterSeq?: number): StoredEvent[];
  /** One room, or undefined. */
  room(code: string): RoomRow | undefined;
  /** Every room not closed. */
  openRooms(): RoomRow[];
  /** Rooms whose key hash is one of these. */
  roomsByKeyHash(keyHashes: readonly string[]): RoomRow[];
  /** Mark a room closed (the `room/closed` event is appended separately). */
  markClosed(code: string): void;
  /** When each room's last event was logged (ms since the epoch), for rooms with these closed flags. */
  lastActivity(closed: boolean): { code: string; lastAt: number }[];
  /** Delete a room and its whole log in one transaction; false when there was no such room. */
  deleteRoom(code: string): boolean;
  /**
   * Whether the store can write now. Not ok after a failed write until a later write (or a
   * probe write this may make, at most every few seconds) succeeds, and while the file is
   * known to be damaged (until `PRAGMA quick_check` passes again).
   */
  health(): StoreHealth;
  /** Checkpoint the log into the database file, then release the file. */
  close(): void;
}

/** What `EventStore.health` says; `reason` is one line for people. */
export type StoreHealth = { ok: true } | { ok: false; reason: string };

/**
 * The store could not be opened: its files are damaged, or SQLite or the file system
 * refused (permissions, a lock). The message is one line naming the file and what to do.
 */
export class StoreOpenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreOpenError';
  }
}

/** The store failed (a write the disk refused, say): one line, whatever the engine. */
export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** A read or write failed because the file is damaged (SQLite: SQLITE_CORRUPT, SQLITE_NOTADB). */
export class StoreDamageError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreDamageError';
  }
}

/** The SQLite store, with what it knows about its file. */
export interface SqliteStore extends EventStore {
  /** The database file. */
  readonly file: string;
  /** What `PRAGMA quick_check` found when the store was opened with `startDamaged`, or null. */
  readonly damage: string | null;
}

export interface SqliteStoreOptions {
  /** Open a file that fails `PRAGMA quick_check` anyway; recovery then skips the rooms it cannot read. */
  startDamaged?: boolean;
  /** The clock for health probes; default Date.now. */
  now?: () => number;
  /** Where warnings go (an incomplete checkpoint at close); default console.warn. */
  warn?: (message: string) => void;
  /** Least time between two probes made by `health()`; default PROBE_INTERVAL_MS. */
  probeIntervalMs?: number;
}

/** `health()` probes (a one-row write, and `quick_check` while damaged) at most this often. */
export const PROBE_INTERVAL_MS = 2000;

interface RoomRecord { code: string; kind: string; key_hash: string; created_at: number; closed: number }
interface EventRecord { seq: number; at: number; actor: string; type: string; payload: string }

const toRoomRow = (r: RoomRecord): RoomRow => ({
  code: r.code, kind: r.kind as RoomKind, keyHash: r.key_hash, createdAt: r.created_at, closed: r.closed !== 0,
});

const toStoredEvent = (r: EventRecord): StoredEvent => ({
  seq: r.seq, at: r.at, actor: r.actor as Actor, event: JSON.parse(r.payload) as RoomEvent,
});

/** The file name inside DATA_DIR. */
export const DB_FILE = 'synack.sqlite';
/** DATA_DIR when it is not set. */
export const DEFAULT_DATA_DIR = './data';

const RESTORE = 'Restore a backup (README, "Backup and restore")';
/** SQLite result codes that mean the file itself is damaged. */
const DAMAGE_CODE = /^SQLITE_(CORRUPT|NOTADB)/;

const errorLine = (e: unknown): string =>
  e instanceof Database.SqliteError ? `${e.message} (${e.code})`
    : e instanceof Error ? `${e.message}${(e as NodeJS.ErrnoException).code ? ` (${(e as NodeJS.ErrnoException).code})` : ''}`
      : String(e);

/** `PRAGMA quick_check`: null when it passes, else what it found (a thrown corruption error counts). */
function quickCheck(db: Database.Database): string | null {
  try {
    const rows = (db.pragma('quick_check(3)') as { quick_check: string }[]).map((r) => r.quick_check);
    return rows.length === 1 && rows[0] === 'ok' ? null : rows.join('; ');
  } catch (e) {
    if (e instanceof Database.SqliteError && DAMAGE_CODE.test(e.code)) return errorLine(e);
    throw e;
  }
}

/** The StoreOpenError for an error thrown while opening. */
function openError(file: string, e: unknown, startDamaged: boolean): StoreOpenError {
  if (e instanceof Database.SqliteError && DAMAGE_CODE.test(e.code)) {
    const cannot = startDamaged ? '; START_DAMAGED cannot start a file SQLite cannot open' : '';
    return new StoreOpenError(`${file} is damaged: SQLite cannot open it: ${errorLine(e)}. ${RESTORE}${cannot}.`, { cause: e });
  }
  return new StoreOpenError(`cannot open ${file}: ${errorLine(e)}`, { cause: e });
}

/**
 * Open the database file and create what is missing. Throws StoreOpenError when SQLite
 * cannot open it, or when `PRAGMA quick_check` fails (unless `startDamaged`): checked before
 * anything is written, so a damaged file is reported, not written to.
 */
function openDatabase(file: string, startDamaged: boolean): { db: Database.Database; damage: string | null } {
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    // FULL: a commit in WAL mode is fsynced before it returns, so it survives power loss, not only a killed process.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const damage = quickCheck(db);
    if (damage !== null && !startDamaged) {
      throw new StoreOpenError(
        `${file} is damaged: quick_check found: ${damage}. ${RESTORE}, or start anyway with START_DAMAGED=1 (or --start-damaged) to skip the rooms that cannot be read.`,
      );
    }
    db.exec(`
      CREATE TABLE IF NOT EXISTS rooms (
        code TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('class', 'practice')),
        key_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        closed INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX IF NOT EXISTS rooms_key_hash ON rooms (key_hash);
      CREATE TABLE IF NOT EXISTS events (
        room_code TEXT NOT NULL REFERENCES rooms (code),
        seq INTEGER NOT NULL,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        type TEXT NOT NULL,
        payload TEXT NOT NULL,
        PRIMARY KEY (room_code, seq)
      ) WITHOUT ROWID;
      -- One row that health() rewrites to learn whether writes still work.
      CREATE TABLE IF NOT EXISTS store_probe (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        at INTEGER NOT NULL
      );
    `);
    return { db, damage };
  } catch (e) {
    try { db?.close(); } catch { /* already failing */ }
    throw e instanceof StoreOpenError ? e : openError(file, e, startDamaged);
  }
}

/**
 * Open (creating if needed) the SQLite store in `dataDir`. Throws StoreOpenError, before
 * SQLite has changed anything, when the files are damaged (see store-check.ts), SQLite
 * cannot open them, or `PRAGMA quick_check` fails (unless `startDamaged`).
 */
export function openSqliteStore(dataDir: string, options: SqliteStoreOptions = {}): SqliteStore {
  const file = path.join(dataDir, DB_FILE);
  const startDamaged = options.startDamaged ?? false;
  const now = options.now ?? Date.now;
  const warn = options.warn ?? ((m: string) => console.warn(m));
  const probeIntervalMs = options.probeIntervalMs ?? PROBE_INTERVAL_MS;
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (e) {
    throw new StoreOpenError(`cannot create the data directory ${dataDir}: ${errorLine(e)}`, { cause: e });
  }
  const fileDamage = checkDatabaseFiles(file);
  if (fileDamage) {
    const cannot = startDamaged ? '; START_DAMAGED cannot start it without losing what the file held' : '';
    throw new StoreOpenError(`${fileDamage.file} is damaged: ${fileDamage.what}. ${RESTORE}${cannot}.`);
  }

  const opened = openDatabase(file, startDamaged);
  const db = opened.db;
  let damage = opened.damage;

  const insertRoom = db.prepare('INSERT OR IGNORE INTO rooms (code, kind, key_hash, created_at, closed) VALUES (?, ?, ?, ?, 0)');
  const insertEvent = db.prepare('INSERT INTO events (room_code, seq, at, actor, type, payload) VALUES (?, ?, ?, ?, ?, ?)');
  const selectEvents = db.prepare('SELECT seq, at, actor, type, payload FROM events WHERE room_code = ? AND seq > ? ORDER BY seq');
  const selectRoom = db.prepare('SELECT * FROM rooms WHERE code = ?');
  const selectOpen = db.prepare('SELECT * FROM rooms WHERE closed = 0 ORDER BY created_at, code');
  const updateClosed = db.prepare('UPDATE rooms SET closed = 1 WHERE code = ?');
  const selectActivity = db.prepare('SELECT r.code AS code, MAX(e.at) AS lastAt FROM rooms r JOIN events e ON e.room_code = r.code WHERE r.closed = ? GROUP BY r.code ORDER BY r.code');
  const deleteEvents = db.prepare('DELETE FROM events WHERE room_code = ?');
  const deleteRoomRow = db.prepare('DELETE FROM rooms WHERE code = ?');
  const remove = db.transaction((code: string): boolean => {
    deleteEvents.run(code);
    return deleteRoomRow.run(code).changes > 0;
  });
  const writeProbe = db.prepare('INSERT INTO store_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at');

  // What health() reports: the last write's failure (cleared by a later success), and
  // damage seen in the file (cleared only by a quick_check that passes).
  let writeError: string | null = null;
  let lastWriteOk = now();
  let lastProbe = -Infinity;

  /**
   * Note a failure of SQLite (not a refused constraint, which is the caller's business) and
   * rethrow it as a StoreError (StoreDamageError for damage), so callers need not know SQLite.
   */
  const noted = (e: unknown, writing: boolean): never => {
    if (e instanceof Database.SqliteError && !e.code.startsWith('SQLITE_CONSTRAINT')) {
      if (DAMAGE_CODE.test(e.code)) {
        damage = errorLine(e);
        throw new StoreDamageError(damage, { cause: e });
      }
      if (writing) writeError = errorLine(e);
      throw new StoreError(errorLine(e), { cause: e });
    }
    throw e;
  };
  const write = <T>(f: () => T): T => {
    let r: T;
    try { r = f(); } catch (e) { return noted(e, true); }
    writeError = null;
    lastWriteOk = now();
    return r;
  };
  const read = <T>(f: () => T): T => {
    try { return f(); } catch (e) { return noted(e, false); }
  };

  const append = (code: string, e: StoredEvent): void => {
    insertEvent.run(code, e.seq, e.at, e.actor, e.event.type, JSON.stringify(e.event));
  };
  const appendMany = db.transaction((rows: readonly { code: string; row: StoredEvent }[]): void => {
    for (const { code, row } of rows) append(code, row);
  });
  const create = db.transaction((row: RoomRow, first: StoredEvent): boolean => {
    if (insertRoom.run(row.code, row.kind, row.keyHash, row.createdAt).changes === 0) return false;
    append(row.code, first);
    return true;
  });

  const probe = (t: number): void => {
    if (damage !== null) {
      try { damage = quickCheck(db); } catch (e) { damage = errorLine(e); }
    }
    try { write(() => writeProbe.run(t)); } catch { /* noted */ }
  };

  return {
    file,
    damage: opened.damage,
    createRoom: (row, first) => write(() => create(row, first)),
    appendEvent: (code, e) => { write(() => append(code, e)); },
    appendEvents: (rows) => { write(() => appendMany(rows)); },
    eventsOf: (code, afterSeq = 0) => read(() => (selectEvents.all(code, afterSeq) as EventRecord[]).map(toStoredEvent)),
    room: (code) => {
      const r = read(() => selectRoom.get(code) as RoomRecord | undefined);
      return r ? toRoomRow(r) : undefined;
    },
    openRooms: () => read(() => (selectOpen.all() as RoomRecord[]).map(toRoomRow)),
    roomsByKeyHash: (hashes) => {
      if (hashes.length === 0) return [];
      const marks = hashes.map(() => '?').join(', ');
      const rows = read(() => db.prepare(`SELECT * FROM rooms WHERE key_hash IN (${marks}) ORDER BY created_at DESC, code`).all(...hashes) as RoomRecord[]);
      return rows.map(toRoomRow);
    },
    markClosed: (code) => { write(() => updateClosed.run(code)); },
    lastActivity: (closed) => read(() => selectActivity.all(closed ? 1 : 0) as { code: string; lastAt: number }[]),
    deleteRoom: (code) => write(() => remove(code)),
    health: () => {
      const t = now();
      const inDoubt = damage !== null || writeError !== null || t - lastWriteOk >= probeIntervalMs;
      if (inDoubt && t - lastProbe >= probeIntervalMs) {
        lastProbe = t;
        probe(t);
      }
      if (damage !== null) return { ok: false, reason: `the database file is damaged: ${damage}` };
      if (writeError !== null) return { ok: false, reason: `the last write failed: ${writeError}` };
      return { ok: true };
    },
    close: () => {
      if (!db.open) return;
      // Copy the log into the database file and empty it, so the file alone is complete
      // (SQLite does this by itself only when no other process has the file open).
      try {
        const [r] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
        if (r && r.busy !== 0) warn(`${file}: the log could not be checkpointed (another process is reading it); ${DB_FILE}-wal still holds part of the data`);
      } catch (e) {
        warn(`${file}: the log could not be checkpointed: ${errorLine(e)}; ${DB_FILE}-wal still holds part of the data`);
      }
      db.close();
    },
  };
}
