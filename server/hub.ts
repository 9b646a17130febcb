/**
 * The server's rooms: creating them, finding them by code or key, rebuilding them from the
 * log on start, and routing each connection's messages to its room.
 */
import {
  CLOSE_CODES, ERROR_CODES, normalizeRoomCode, type ClientMessage, type ClientMessageOf, type ErrorCode,
} from '../shared/protocol.ts';
import { applyEvent, createRoom, replayLog } from '../shared/game/room.ts';
import type { Room, RoomKind } from '../shared/game/model.ts';
import { StoreDamageError, type EventStore, type RoomRow, type StoredEvent } from './store.ts';
import { RoomRuntime, type CommandResult, type Peer, type RuntimeConfig } from './room-runtime.ts';
import { Journal } from './journal.ts';
import { hashSecret, newRoomCode, newSecret, sameHash } from './secrets.ts';
import type { Limits } from './limits.ts';
import type { RoomInfo, RoomSummary } from '../shared/api.ts';

export type { RoomInfo, RoomSummary };

/** What recovery rebuilt on start. */
export interface Recovery {
  /** Open rooms rebuilt. */
  rooms: number;
  /** Log rows replayed. */
  events: number;
  /** Open rooms that could not be rebuilt, with why; they answer room/damaged. */
  failed: { code: string; reason: string }[];
  /** Rooms idle past ROOM_IDLE_CLOSE_HOURS: closed (logged) instead of rebuilt. */
  idleClosed: string[];
  /** Why the open rooms could not even be listed, if so. */
  unlisted?: string;
}

/** What a room/damaged answer says, on the WebSocket and over HTTP. */
export const ROOM_DAMAGED_MESSAGE = 'that room\'s log is damaged and cannot be rebuilt; the server\'s operator can restore a backup';
const why = (e: unknown): string => (e instanceof Error ? e.message : String(e));

const OK: CommandResult = { ok: true };
const err = (code: ErrorCode, message: string): CommandResult => ({ ok: false, code, message });

/** Every live room, and the door to them. */
export class Hub {
  private readonly rooms = new Map<string, RoomRuntime>();
  /** Rooms whose log cannot be read or replayed, with why. */
  private readonly damaged = new Map<string, string>();
  /** Every room's log rows, written together once per turn of the event loop (group commit). */
  readonly journal: Journal;

  constructor(readonly store: EventStore, private readonly config: RuntimeConfig, readonly limits: Limits) {
    this.journal = new Journal(store);
  }

  /**
   * Rebuild every open room from its log through the shared reducer, then schedule again
   * what was in flight and the timers that ran. A room whose log cannot be replayed is
   * reported and left out, so one damaged room cannot keep the others down.
   */
  recover(): Recovery {
    let events = 0;
    const failed: Recovery['failed'] = [];
    const idleClosed: string[] = [];
    let rows;
    try {
      rows = this.store.openRooms();
    } catch (e) {
      return { rooms: 0, events: 0, failed, idleClosed, unlisted: why(e) };
    }
    for (const row of rows) {
      if (this.rooms.has(row.code)) continue;
      try {
        const log = this.store.eventsOf(row.code);
        const room = replayLog(log.map((e) => e.event));
        // The reducer numbers events 1, 2, 3…; a gap in the stored seqs would make the next append collide.
        const lastSeq = log.at(-1)?.seq ?? 0;
        if (room.seq !== lastSeq) throw new Error(`the log ends at seq ${lastSeq} but replays to ${room.seq}`);
        events += log.length;
        // room/closed is logged before the row is marked: a crash between the two leaves
        // a closed room whose row still says open. The log decides.
        if (room.closed) { this.store.markClosed(row.code); continue; }
        // A room idle past ROOM_IDLE_CLOSE_HOURS is closed instead of rebuilt (logged, so the
        // review says when and why); it stays reviewable until it is deleted.
        const lastAt = log.at(-1)?.at ?? row.createdAt;
        if (this.config.clock.now() - lastAt >= this.config.idleCloseMs) {
          const closing = applyEvent(room, { type: 'room/closed', by: 'server' });
          if (closing.ok) {
            this.store.appendEvent(row.code, { seq: closing.room.seq, at: this.config.clock.now(), actor: 'server', event: { type: 'room/closed', by: 'server' } });
            this.store.markClosed(row.code);
            idleClosed.push(row.code);
            continue;
          }
        }
        const rt = this.adopt(room);
        rt.lastActivityAt = lastAt;
        rt.rescheduleAfterReplay();
      } catch (e) {
        this.damaged.set(row.code, why(e));
        failed.push({ code: row.code, reason: why(e) });
      }
    }
    return { rooms: this.rooms.size, events, failed, idleClosed };
  }

  /** Open a new room: a fresh code and key; only the key's hash is stored. */
  createRoom(kind: RoomKind): { code: string; key: string } {
    const key = newSecret();
    const keyHash = hashSecret(key);
    const at = this.config.clock.now();
    // Codes are random; a clash is retried (bounded: 31^6 codes make even a few unlikely).
    for (let attempt = 0; attempt < 50; attempt++) {
      const code = newRoomCode();
      if (this.rooms.has(code)) continue;
      // The room keeps the server's timings as they are now; the teacher may change them between rounds.
      const timings = { latencyMs: this.config.latencyMs, rtxMs: this.config.rtxMs, timeWaitMs: this.config.timeWaitMs };
      const first: StoredEvent = { seq: 1, at, actor: 'teacher', event: { type: 'room/created', code, kind, keyHash, at, timings } };
      if (!this.store.createRoom({ code, kind, keyHash, createdAt: at, closed: false }, first)) continue;
      if (first.event.type === 'room/created') this.adopt(createRoom(first.event));
      return { code, key };
    }
    throw new Error('could not find a free room code');
  }

  /** The live room with this code (as typed by a person), or undefined. */
  live(rawCode: string): RoomRuntime | undefined {
    return this.rooms.get(normalizeRoomCode(rawCode));
  }

  /** Public facts about a room, 'damaged' when its log cannot be read or rebuilt, or undefined when there is no such room. */
  info(rawCode: string): RoomInfo | 'damaged' | undefined {
    const code = normalizeRoomCode(rawCode);
    const live = this.rooms.get(code);
    if (live) return { code, kind: live.room.kind, open: true };
    if (this.damaged.has(code)) return 'damaged';
    const row = this.readRow(code);
    if (row === 'damaged') return row;
    return row ? { code, kind: row.kind, open: false } : undefined;
  }

  /** The rooms these keys open, newest first. */
  lookup(keys: readonly string[]): RoomSummary[] {
    const rows = this.store.roomsByKeyHash([...new Set(keys.map(hashSecret))]);
    const out: RoomSummary[] = [];
    for (const row of rows) {
      let room: Room | undefined = this.rooms.get(row.code)?.room;
      if (!room && !this.damaged.has(row.code)) {
        try {
          room = replayLog(this.store.eventsOf(row.code).map((e) => e.event));
        } catch (e) {
          // A log that does not replay is damaged wherever the room is asked for next.
          this.damaged.set(row.code, why(e));
          room = undefined;
        }
      }
      out.push({
        code: row.code, kind: row.kind, createdAt: row.createdAt, closed: row.closed,
        seats: room ? room.seats.filter((s) => !s.removed).length : 0,
        round: room
          ? { number: room.round.number, status: room.round.status, scenario: room.round.scenario }
          : { number: 0, status: 'lobby', scenario: 'lifecycle' },
      });
    }
    return out;
  }

  /**
   * Close live rooms nobody has used for `idleCloseMs` (their log says so: room/closed by the
   * server), and delete closed rooms older than `retentionMs` when that is set. Returns the
   * codes closed and deleted.
   */
  async housekeeping(now: number): Promise<{ closed: string[]; deleted: string[] }> {
    const { idleCloseMs: idleMs, retentionMs } = this.config;
    const closed: string[] = [];
    for (const rt of [...this.rooms.values()]) {
      if (now - rt.lastActivityAt >= idleMs && await rt.closeByServer()) closed.push(rt.code);
    }
    const deleted: string[] = [];
    if (retentionMs !== null) {
      for (const { code, lastAt } of this.store.lastActivity(true)) {
        if (now - lastAt >= retentionMs && this.store.deleteRoom(code)) deleted.push(code);
      }
    }
    return { closed, deleted };
  }

  /** Delete a room's data (rows and log); a live room's connections are closed first. */
  deleteRoom(code: string): boolean {
    this.rooms.get(code)?.dropForDeletion();
    this.rooms.delete(code);
    return this.store.deleteRoom(code);
  }

  /** The room's log for the key holder: 'not-found', 'bad-key', or the events. */
  log(rawCode: string, key: string | undefined): { ok: false; why: 'not-found' | 'bad-key' | 'damaged' } | { ok: true; code: string; kind: RoomKind; events: StoredEvent[] } {
    const code = normalizeRoomCode(rawCode);
    const row = this.readRow(code);
    if (row === 'damaged') return { ok: false, why: 'damaged' };
    if (!row) return { ok: false, why: 'not-found' };
    if (key === undefined || !sameHash(hashSecret(key), row.keyHash)) return { ok: false, why: 'bad-key' };
    if (this.damaged.has(code)) return { ok: false, why: 'damaged' };
    try {
      return { ok: true, code, kind: row.kind, events: this.store.eventsOf(code) };
    } catch (e) {
      if (!(e instanceof StoreDamageError)) throw e;
      this.damaged.set(code, why(e));
      return { ok: false, why: 'damaged' };
    }
  }

  /**
   * Handle one parsed message from a connection: ping, the door (hello, join, resume:
   * asynchronous, it asks the rate limits first), or a command for the connection's room.
   */
  handle(peer: Peer, msg: ClientMessage): CommandResult | Promise<CommandResult> {
    switch (msg.type) {
      case 'ping':
        // Views are coalesced; a pong still comes after every view this connection is owed.
        peer.room?.flushFor(peer);
        peer.send(msg.t === undefined ? { type: 'pong' } : { type: 'pong', t: msg.t });
        return OK;
      case 'hello':
      case 'join':
      case 'resume':
        if (peer.viewer) return err(ERROR_CODES.alreadyJoined, 'this connection already joined a room');
        return this.enter(peer, msg);
      default:
        // Every other message is a room command: decide.ts's exhaustive switch and its
        // PERMISSIONS table are where each is known, so adding one does not touch this file.
        if (!peer.room) return err(ERROR_CODES.notJoined, 'send hello, join or resume first');
        return peer.room.command(peer, msg);
    }
  }

  /**
   * The door: a code that is no room counts against the address's guesses (and once they
   * are used up, every code is refused for a while, so guessing stops); a join counts
   * against its join rate. Then the room admits the connection.
   */
  private async enter(peer: Peer, msg: ClientMessageOf<'hello' | 'join' | 'resume'>): Promise<CommandResult> {
    const exhausted = await this.limits.guessesExhausted(peer.address);
    if (exhausted) return err(ERROR_CODES.rateLimited, `too many wrong room codes from your network: try again in ${exhausted.retryAfterSec} s`);
    if (msg.type === 'join') {
      const refused = await this.limits.takeJoin(peer.address);
      if (refused) return err(ERROR_CODES.rateLimited, `too many students joined from your network just now: try again in ${refused.retryAfterSec} s`);
    }
    // The socket may have gone while we waited; a closed peer must not take a seat's place.
    if (!peer.isOpen() || peer.viewer) return err(ERROR_CODES.alreadyJoined, 'this connection is closed or already joined');
    const code = normalizeRoomCode(msg.code);
    const rt = this.rooms.get(code);
    if (!rt) {
      const row = this.damaged.has(code) ? 'damaged' : this.readRow(code);
      if (row === 'damaged') return err(ERROR_CODES.roomDamaged, ROOM_DAMAGED_MESSAGE);
      if (row?.closed) return err(ERROR_CODES.roomClosed, 'that room is closed');
      await this.limits.countWrongCode(peer.address);
      return err(ERROR_CODES.roomNotFound, `there is no room ${code.slice(0, 16)}`);
    }
    if (msg.type === 'hello') return rt.hello(peer, msg.key, msg.lastSeq);
    if (msg.type === 'join') return rt.join(peer, msg.nickname);
    return rt.resume(peer, msg.token, msg.lastSeq);
  }

  /** A connection closed. */
  disconnect(peer: Peer): void {
    peer.room?.detach(peer);
  }

  /** Stop every room: what is queued is written, connections are told to reconnect later; timers stop. The store stays open. */
  shutdown(): void {
    this.journal.flush();
    for (const rt of this.rooms.values()) rt.shutdown(CLOSE_CODES['server/reconnect'], 'server/reconnect');
    this.rooms.clear();
  }

  /** The room's row; 'damaged' (and remembered so) when the store cannot read it. */
  private readRow(code: string): RoomRow | undefined | 'damaged' {
    try {
      return this.store.room(code);
    } catch (e) {
      if (!(e instanceof StoreDamageError)) throw e;
      this.damaged.set(code, why(e));
      return 'damaged';
    }
  }

  private adopt(room: Room): RoomRuntime {
    const rt = new RoomRuntime(room, this.store, this.journal, this.config);
    rt.setOnClosed(() => { this.rooms.delete(room.code); });
    this.rooms.set(room.code, rt);
    return rt;
  }
}
