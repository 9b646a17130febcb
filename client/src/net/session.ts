/**
 * One person's presence in one room: the reconnecting socket, the latest view the server
 * computed for them, and their moves' verdicts. Sessions outlive page changes (joining on
 * the start page, then playing on the table keeps the same connection) and are rebuilt
 * from stored tokens after a reload.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Card, ClientMessage, ErrorCode, ServerMessage, ServerMessageOf } from '../../../shared/protocol.ts';
import { CLOSE_CODES, PROTOCOL_VERSION } from '../../../shared/protocol-constants.ts';
import { applyTeacherUpdate } from '../../../shared/game/teacher-feed.ts';
import type { StudentView, TeacherView } from '../../../shared/game/views.ts';
import { GameSocket, type SocketStatus } from './socket.ts';
import { keys, seats } from './stored.ts';

export type Verdict = ServerMessageOf<'move/result'>['verdict'];
export type MoveOutcome = { ok: true; verdict: Verdict } | { ok: false; code: ErrorCode | 'client/offline' | 'client/timeout'; message: string };

export interface SessionState {
  status: SocketStatus;
  /** True once the server welcomed us on some connection. */
  welcomed: boolean;
  /** True when a connection was lost after a welcome and is not (yet) back. */
  lost: boolean;
  view: StudentView | TeacherView | null;
  seq: number;
  seatId: string | null;
  /** The last error the server sent (join refused, bad key, stale move…). */
  error: { code: string; message: string; ref?: string; n: number } | null;
  /** True once the session gave up for good (its seat no longer resumes): `error` says why. */
  ended: boolean;
}

export type Role = 'student' | 'teacher';

/** How a student enters: a fresh join with a nickname, or resuming a stored seat. */
export type StudentEntry = { nickname: string } | null;

const MOVE_TIMEOUT_MS = 10_000;

export function wsUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

export class RoomSession {
  state: SessionState = { status: { kind: 'connecting', attempt: 0 }, welcomed: false, lost: false, view: null, seq: 0, seatId: null, error: null, ended: false };
  private readonly listeners = new Set<() => void>();
  private readonly socket: GameSocket;
  private pendingMoves: Array<(o: MoveOutcome) => void> = [];
  private errors = 0;
  /**
   * The seat token this session resumes with: the stored one, or the one its welcome gave.
   * Kept here too, so a browser that cannot store it (no localStorage) still resumes.
   */
  private token: string | null = null;

  constructor(readonly code: string, readonly role: Role, readonly entry: StudentEntry) {
    if (role === 'student') {
      const stored = seats.get(code);
      // An explicit join under another name is a fresh seat; the same name resumes the stored one.
      if (stored && !stored.removed && (!entry || sameName(stored.nickname, entry.nickname))) this.token = stored.token;
    }
    this.socket = new GameSocket({
      url: wsUrl(),
      greet: () => this.greeting(),
      onMessage: (m) => this.onMessage(m),
      onStatus: (s) => this.onStatus(s),
    });
  }

  private greeting(): ClientMessage {
    // lastSeq names the view this page still holds (a dropped connection), so the server may
    // send only what changed since; 0 or none after a reload, when it holds no view.
    const held = this.state.view ? this.state.seq : 0;
    if (this.role === 'teacher') {
      const key = keys.get(this.code)?.key ?? '';
      return held > 0 && this.state.view?.role === 'teacher'
        ? { type: 'hello', v: PROTOCOL_VERSION, code: this.code, key, lastSeq: held }
        : { type: 'hello', v: PROTOCOL_VERSION, code: this.code, key };
    }
    // Once welcomed, only ever resume: a join would make a second seat under the same name.
    if (this.token) return { type: 'resume', v: PROTOCOL_VERSION, code: this.code, token: this.token, lastSeq: held };
    return { type: 'join', v: PROTOCOL_VERSION, code: this.code, nickname: this.entry?.nickname ?? '' };
  }

  private set(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  private onStatus(status: SocketStatus): void {
    // Lost means "trying to get back": a final close is not lost, it is over (the banner says why).
    const trying = status.kind === 'connecting' || status.kind === 'waiting';
    // Moves waiting for an answer on a dead connection will not get one.
    if (status.kind !== 'open' && status.kind !== 'connecting') this.failMoves('client/offline', 'the connection was lost');
    // Removed while playing: this browser remembers it, and will not offer a fresh seat here.
    if (status.kind === 'closed' && status.code === CLOSE_CODES['seat/removed'] && this.role === 'student') seats.markRemoved(this.code);
    this.set({ status, lost: status.kind === 'open' ? this.state.lost : this.state.welcomed && trying });
  }

  private onMessage(msg: ServerMessage): void {
    switch (msg.type) {
      case 'welcome': {
        // No view: the server knows this page holds the one at `since` (a teacher's update follows).
        const view = msg.view ?? (msg.since === this.state.seq ? this.state.view : null);
        if (msg.you.token && msg.you.seatId) {
          // A fresh seat: it replaces whatever seat this browser stored for the room.
          this.token = msg.you.token;
          const nickname = view?.role === 'student' ? view.you.nickname : (this.entry?.nickname ?? '');
          seats.set(this.code, { token: msg.you.token, seatId: msg.you.seatId, nickname, lastSeq: msg.seq });
        }
        if (this.role === 'student') seats.seen(this.code, msg.seq);
        this.set({ view, seq: msg.seq, seatId: msg.you.seatId ?? null, welcomed: true, lost: false, error: null });
        return;
      }
      case 'view':
        if (msg.seq < this.state.seq) return;
        if (this.role === 'student') seats.seen(this.code, msg.seq);
        this.set({ view: msg.view, seq: msg.seq });
        return;
      case 'teacher/update': {
        // What changed since the welcome or the last update on this connection: merged into
        // the view held (each update builds on the last; a reconnection brings a new welcome,
        // so an update older than the view held is from the connection it replaced).
        const view = this.state.view;
        if (view?.role !== 'teacher' || msg.seq < this.state.seq) return;
        this.set({ view: applyTeacherUpdate(view, msg), seq: msg.seq });
        return;
      }
      case 'move/result': {
        const resolve = this.pendingMoves.shift();
        resolve?.({ ok: true, verdict: msg.verdict });
        return;
      }
      case 'error': {
        if (msg.ref === 'move') {
          const resolve = this.pendingMoves.shift();
          resolve?.({ ok: false, code: msg.code, message: msg.message });
        }
        // A key that does not open the room (mistyped on the start page) is not kept.
        if (msg.ref === 'hello' && msg.code === 'auth/bad-key') keys.forget(this.code);
        this.errors += 1;
        const error = { code: msg.code, message: msg.message, ...(msg.ref ? { ref: msg.ref } : {}), n: this.errors };
        if (msg.ref === 'resume') {
          // The seat does not resume (bad token, removed, room gone…): this session is over.
          // A stored seat that no longer works is forgotten, so the next visit can join afresh.
          if (msg.code === 'seat/removed') seats.markRemoved(this.code);
          else if (FORGET_SEAT_ON.has(msg.code)) seats.forget(this.code);
          this.token = null;
          this.socket.close();
          this.failMoves('client/offline', 'the seat no longer resumes');
          this.forgetSession();
          this.set({ error, ended: true, lost: false });
          return;
        }
        this.set({ error });
        return;
      }
      case 'pong':
        return;
    }
  }

  private failMoves(code: 'client/offline' | 'client/timeout', message: string): void {
    const pending = this.pendingMoves;
    this.pendingMoves = [];
    for (const r of pending) r({ ok: false, code, message });
  }

  /** Subscribe to changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forget the last error (a page showing this session anew starts clean); not the reason a session ended. */
  clearError(): void {
    if (this.state.error && !this.state.ended) this.set({ error: null });
  }

  /** Send a teacher (or practice) command; false when offline. A new command clears the last error. */
  send(msg: ClientMessage): boolean {
    this.clearError();
    return this.socket.send(msg);
  }

  /** Play a card against the state we last saw; resolves with the verdict or why there is none. */
  move(card: Card): Promise<MoveOutcome> {
    const view = this.state.view;
    const stateSeq = view?.role === 'student' ? view.pair?.game?.stateSeq : undefined;
    if (stateSeq === undefined) return Promise.resolve({ ok: false, code: 'move/not-paired', message: 'no game to play in' });
    this.clearError();
    if (!this.socket.send({ type: 'move', stateSeq, segment: card })) {
      return Promise.resolve({ ok: false, code: 'client/offline', message: 'not connected' });
    }
    // The protocol has no request ids: the server answers a connection's moves in order, so
    // answers are matched first in, first out. A move that timed out keeps its place in the
    // queue (answered later, it resolves nothing), so a late answer cannot be taken for the
    // next move's. A lost connection clears the queue: its answers will never come.
    return new Promise((resolve) => {
      let done = false;
      const finish = (o: MoveOutcome) => { if (!done) { done = true; resolve(o); } };
      this.pendingMoves.push(finish);
      setTimeout(() => finish({ ok: false, code: 'client/timeout', message: 'no answer from the server' }), MOVE_TIMEOUT_MS);
    });
  }

  /** Leave for good. */
  close(): void {
    this.socket.close();
    this.failMoves('client/offline', 'closed');
    this.forgetSession();
  }

  private forgetSession(): void {
    const id = `${this.role}:${this.code}`;
    if (sessions.get(id) === this) sessions.delete(id);
  }
}

const sessions = new Map<string, RoomSession>();

const sameName = (a: string, b: string) => a.trim() === b.trim();

/** Resume errors after which the stored seat can never work again. */
const FORGET_SEAT_ON: ReadonlySet<string> = new Set(['auth/bad-token', 'room/not-found', 'room/closed']);

/** The nickname a student session is (or will be) seated under. */
function nicknameOf(s: RoomSession): string | null {
  const v = s.state.view;
  return v?.role === 'student' ? v.you.nickname : (s.entry?.nickname ?? seats.get(s.code)?.nickname ?? null);
}

/**
 * The session for this room and role, opened if there is none. An explicit join (`entry`)
 * under another nickname than the open session's replaces it with a fresh seat.
 */
export function openSession(code: string, role: Role, entry: StudentEntry = null): RoomSession {
  const id = `${role}:${code}`;
  let s = sessions.get(id);
  if (s && entry && role === 'student') {
    const current = nicknameOf(s);
    if (current === null || !sameName(current, entry.nickname)) { s.close(); s = undefined; }
  }
  if (!s) {
    s = new RoomSession(code, role, entry);
    sessions.set(id, s);
  }
  return s;
}

/** True when this page already has a session for this room and role (a join just made). */
export const hasSession = (code: string, role: Role): boolean => sessions.has(`${role}:${code}`);

/** Re-render when the session changes; returns its state. */
export function useSession(session: RoomSession | null): SessionState | null {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!session) return;
    setTick((n) => n + 1);
    return session.subscribe(() => setTick((n) => n + 1));
  }, [session]);
  return session ? session.state : null;
}
