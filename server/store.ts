/**
 * The durable side of the server: rooms and their append-only event logs.
 *
 * The runtime talks to the `EventStore` interface only, so another engine (PostgreSQL,
 * say) can replace the embedded SQLite file later. `appendEvent` is synchronous and the
 * row is committed (WAL, synchronous=FULL) when it returns: the runtime appends before it
 * acknowledges anything, so an acknowledged move survives a SIGKILL.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Actor, LogEntry, RoomEvent, RoomKind } from '../shared/game/model.ts';

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
  /** Release the file. */
  close(): void;
}

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

/** Open (creating if needed) the SQLite store in `dataDir`. */
export function openSqliteStore(dataDir: string): EventStore {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, DB_FILE));
  db.pragma('journal_mode = WAL');
  // FULL: a commit in WAL mode is fsynced before it returns, so it survives power loss, not only a killed process.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
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
  `);

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

  const append = (code: string, e: StoredEvent): void => {
    insertEvent.run(code, e.seq, e.at, e.actor, e.event.type, JSON.stringify(e.event));
  };
  const create = db.transaction((row: RoomRow, first: StoredEvent): boolean => {
    if (insertRoom.run(row.code, row.kind, row.keyHash, row.createdAt).changes === 0) return false;
    append(row.code, first);
    return true;
  });

  return {
    createRoom: (row, first) => create(row, first),
    appendEvent: append,
    eventsOf: (code, afterSeq = 0) => (selectEvents.all(code, afterSeq) as EventRecord[]).map(toStoredEvent),
    room: (code) => {
      const r = selectRoom.get(code) as RoomRecord | undefined;
      return r ? toRoomRow(r) : undefined;
    },
    openRooms: () => (selectOpen.all() as RoomRecord[]).map(toRoomRow),
    roomsByKeyHash: (hashes) => {
      if (hashes.length === 0) return [];
      const marks = hashes.map(() => '?').join(', ');
      const rows = db.prepare(`SELECT * FROM rooms WHERE key_hash IN (${marks}) ORDER BY created_at DESC, code`).all(...hashes) as RoomRecord[];
      return rows.map(toRoomRow);
    },
    markClosed: (code) => { updateClosed.run(code); },
    lastActivity: (closed) => selectActivity.all(closed ? 1 : 0) as { code: string; lastAt: number }[],
    deleteRoom: (code) => remove(code),
    close: () => { if (db.open) db.close(); },
  };
}
