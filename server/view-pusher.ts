/**
 * A room's connections and what they are pushed: who watches the room, which seat each
 * connection speaks for, and the views they are sent. Views are built from the room as it
 * is committed to the log (never from a state whose rows are still being written), only
 * for the connections an event concerns, coalesced to one push per turn of the event loop,
 * and not sent at all when unchanged.
 */
import { hash } from 'node:crypto';
import { PROTOCOL_VERSION, type ServerMessage } from '../shared/protocol.ts';
import { viewFor, viewShared, type Viewer, type ViewShared } from '../shared/game/view-for.ts';
import type { Room, RoomEvent } from '../shared/game/model.ts';
import { viewersConcerned } from '../shared/game/view-scope.ts';
import { TeacherFeed } from '../shared/game/teacher-feed.ts';
import type { TeacherView } from '../shared/game/views.ts';
import type { Clock } from './scheduler.ts';
import type { RoomRuntime } from './room-runtime.ts';

/** One WebSocket connection as a room sees it. */
export interface Peer {
  readonly id: number;
  /** The remote address the limits count against (the forwarded one behind a trusted proxy). */
  readonly address: string;
  /** False once the socket is closing or closed. */
  isOpen(): boolean;
  send(msg: ServerMessage): void;
  /** Send a message already serialised (a ServerMessage as JSON). */
  sendText(json: string): void;
  close(code: number, reason: string): void;
  /** A room accepted its hello/join/resume (a join's seat may still be being written). */
  admitted?(): void;
  /** Who this connection is, once hello/join/resume succeeded. */
  viewer: Viewer | null;
  /** The room it joined. */
  room: RoomRuntime | null;
}

/** Students' leaderboards are refreshed at most this often (every legal move changes scores). */
export const BOARD_EVERY_MS = 1000;
/** A teacher connection is pushed at most this often (its view holds the whole class). */
export const TEACHER_EVERY_MS = 100;
/** How many recent teacher views a room keeps for a teacher reconnecting with `lastSeq` (a few seconds' worth at 10 a second). */
const TEACHER_VIEWS = 64;


export interface PusherDeps {
  /** The room as committed to the log: the only state anyone is shown. */
  room(): Room;
  /** Seats that are always present (the bots). */
  bots(): ReadonlySet<string>;
  clock: Clock;
  warn(message: string): void;
}

/** A fingerprint of a view's JSON: what the pusher remembers per connection instead of the text itself. */
const fingerprint = (json: string): string => hash('sha1', json, 'base64');

export class ViewPusher {
  private readonly peers = new Set<Peer>();
  /** The one live connection of each seat (a newer one replaces it). */
  private readonly seatPeers = new Map<string, Peer>();
  /** A fingerprint of the view each connection was last sent, so an unchanged view is not sent again. */
  private readonly lastSent = new WeakMap<Peer, string>();
  /** Each teacher connection's feed: what it was last sent, so a push carries only what changed. */
  private readonly feeds = new WeakMap<Peer, TeacherFeed>();
  /** Per seat, the last view sent to it (any connection): a resume naming it can be answered without a view. */
  private readonly sentToSeat = new Map<string, { seq: number; print: string; single: boolean }>();
  /** The latest teacher views pushed: a teacher's hello naming one is answered with what changed since. */
  private readonly teacherViews: { seq: number; view: TeacherView; presence: string; single: boolean }[] = [];
  private flushScheduled = false;
  /** Seats whose view may have changed since the last push ('all' after a room-wide change or a presence change). */
  private dirty: Set<string> | 'all' = 'all';
  private teacherDirty = true;
  private teacherPushedAt = Number.NEGATIVE_INFINITY;
  private teacherTimer: unknown = null;
  /** The leaderboard students see: a snapshot, refreshed at most every BOARD_EVERY_MS. */
  private board: ViewShared | null = null;
  private boardTimer: unknown = null;

  constructor(private readonly deps: PusherDeps) {}

  /** Number of connections watching the room. */
  get size(): number {
    return this.peers.size;
  }

  /** Seat ids with a live connection, and the bots (always there). */
  presence(): Set<string> {
    const present = new Set(this.seatPeers.keys());
    for (const id of this.deps.bots()) present.add(id);
    return present;
  }

  isPresent(seatId: string): boolean {
    return this.seatPeers.has(seatId) || this.deps.bots().has(seatId);
  }

  /** The live connection of a seat. */
  peerOf(seatId: string): Peer | undefined {
    return this.seatPeers.get(seatId);
  }

  /** A connection is now this viewer in this room. */
  attach(peer: Peer, viewer: Viewer): void {
    peer.viewer = viewer;
    this.peers.add(peer);
    if (viewer.role === 'student') this.seatPeers.set(viewer.seatId, peer);
  }

  /** Forget a connection; true when it was its seat's live one (presence changed). */
  detach(peer: Peer): boolean {
    if (!this.peers.delete(peer)) return false;
    peer.room = null;
    const v = peer.viewer;
    if (v?.role === 'student' && this.seatPeers.get(v.seatId) === peer) {
      this.seatPeers.delete(v.seatId);
      this.broadcast('all');
      return true;
    }
    return false;
  }

  /** Close a seat's connection with this code (the seat was removed, or a newer connection replaced it). */
  closeSeat(seatId: string, code: number, reason: string): boolean {
    const peer = this.seatPeers.get(seatId);
    if (!peer) return false;
    this.seatPeers.delete(seatId);
    this.peers.delete(peer);
    peer.room = null;
    peer.close(code, reason);
    this.broadcast('all');
    return true;
  }

  /**
   * The welcome: who the connection is and its view, remembered as sent (a teacher's feed
   * starts from it). With `lastSeq` naming a view this seat or teacher is known to hold (see
   * sentToSeat and teacherViews), the welcome carries `since` instead of the view: a student's
   * is unchanged, a teacher is sent a teacher/update from it at once. Otherwise a snapshot.
   */
  welcome(peer: Peer, you: Extract<ServerMessage, { type: 'welcome' }>['you'], lastSeq?: number): boolean {
    const room = this.deps.room();
    const presence = this.presence();
    const view = viewFor(room, peer.viewer!, presence);
    if (!view) return false;
    if (view.role === 'teacher') {
      const feed = new TeacherFeed();
      this.feeds.set(peer, feed);
      const held = lastSeq === undefined ? undefined : this.teacherViews.find((t) => t.seq === lastSeq && t.single);
      if (held) {
        feed.snapshot(held.view);
        peer.send({ type: 'welcome', v: PROTOCOL_VERSION, you, seq: held.seq, since: held.seq });
        this.noteTeacherView(view, room.seq, presence);
        this.sendUpdate(peer, view, room.seq);
        return true;
      }
      feed.snapshot(view);
      this.noteTeacherView(view, room.seq, presence);
    } else {
      const print = fingerprint(JSON.stringify(view));
      this.lastSent.set(peer, print);
      const sent = this.sentToSeat.get(view.you.seatId);
      if (lastSeq !== undefined && sent?.seq === lastSeq && sent.single && sent.print === print) {
        peer.send({ type: 'welcome', v: PROTOCOL_VERSION, you, seq: lastSeq, since: lastSeq });
        return true;
      }
      this.noteSeatView(view.you.seatId, room.seq, print);
    }
    peer.send({ type: 'welcome', v: PROTOCOL_VERSION, you, seq: room.seq, view });
    return true;
  }

  /** A view sent to a seat: remembered per seat (across its connections) with whether it was the only one sent at its seq. */
  private noteSeatView(seatId: string, seq: number, print: string): void {
    const sent = this.sentToSeat.get(seatId);
    if (sent?.seq === seq) {
      if (sent.print !== print) { sent.print = print; sent.single = false; }
      return;
    }
    this.sentToSeat.set(seatId, { seq, print, single: true });
  }

  /** A teacher view pushed: the last TEACHER_VIEWS kept, each with whether it was the only one at its seq. */
  private noteTeacherView(view: TeacherView, seq: number, presence: ReadonlySet<string>): void {
    const key = [...presence].sort().join(' ');
    const last = this.teacherViews.at(-1);
    if (last?.seq === seq) {
      // Views of one log seq differ only in who is connected.
      if (last.presence !== key) { last.single = false; last.view = view; last.presence = key; }
      return;
    }
    this.teacherViews.push({ seq, view, presence: key, single: true });
    if (this.teacherViews.length > TEACHER_VIEWS) this.teacherViews.shift();
  }

  /**
   * A committed event: its students' views (viewersConcerned: a move concerns its pair, a join
   * the new seat, a round everyone) and the teacher's may have changed. Scores feed every
   * student's leaderboard, but that is refreshed at most once a second (scheduleBoard), so a
   * move does not rebuild the whole class's views.
   */
  committed(ev: RoomEvent, before: Room, after: Room): void {
    this.teacherDirty = true;
    if (ev.type === 'seat/removed') this.sentToSeat.delete(ev.seatId);
    if (after.seats !== before.seats) this.scheduleBoard();
    if (this.dirty !== 'all') {
      const concerned = viewersConcerned(ev, before, after);
      if (concerned === 'all') this.dirty = 'all';
      else for (const seatId of concerned) this.dirty.add(seatId);
    }
    this.broadcast();
  }

  private scheduleBoard(): void {
    if (this.boardTimer !== null) return;
    this.boardTimer = this.deps.clock.setTimeout(() => {
      this.boardTimer = null;
      this.board = null;
      this.broadcast('all');
    }, BOARD_EVERY_MS);
  }

  /**
   * Push each connection its view of the room, soon: every change asks for a push, and the
   * push happens once the current burst of work is done (setImmediate), so events that land
   * together cost one view each, not one per event. Only students whose view may have changed
   * are looked at, and one whose view did not change is not sent anything; a teacher is
   * pushed at most every TEACHER_EVERY_MS. `all`: everyone's view may have changed (presence).
   */
  broadcast(scope?: 'all'): void {
    if (scope === 'all') { this.dirty = 'all'; this.teacherDirty = true; }
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      try {
        this.flush();
      } catch (e) {
        this.deps.warn(`room ${this.deps.room().code}: could not push views: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  }

  private flush(): void {
    const dirty = this.dirty;
    this.dirty = new Set();
    if (this.peers.size === 0) return;
    const room = this.deps.room();
    const presence = this.presence();
    // Students see the leaderboard snapshot (at most BOARD_EVERY_MS old); everything else is current.
    this.board ??= viewShared(room);
    const shared: ViewShared = { ...this.board, room };
    const now = this.deps.clock.now();
    let teacherNow = false;
    if (this.teacherDirty) {
      if (now - this.teacherPushedAt >= TEACHER_EVERY_MS) {
        teacherNow = true;
        this.teacherDirty = false;
        this.teacherPushedAt = now;
      } else if (this.teacherTimer === null) {
        this.teacherTimer = this.deps.clock.setTimeout(() => {
          this.teacherTimer = null;
          this.broadcast();
        }, TEACHER_EVERY_MS - (now - this.teacherPushedAt));
      }
    }
    let teacherView: TeacherView | null = null;
    for (const peer of this.peers) {
      if (!peer.viewer) continue;
      if (peer.viewer.role === 'teacher') {
        if (!teacherNow) continue;
        // One view for every teacher connection; each is sent what changed since its last push.
        if (!teacherView) {
          teacherView = viewFor(room, { role: 'teacher' }, presence);
          this.noteTeacherView(teacherView, room.seq, presence);
        }
        this.sendUpdate(peer, teacherView, room.seq);
        continue;
      }
      if (dirty !== 'all' && !dirty.has(peer.viewer.seatId)) continue;
      const view = viewFor(room, peer.viewer, presence, shared);
      if (view) this.sendView(peer, JSON.stringify(view), room.seq);
    }
  }

  /** A teacher connection's teacher/update (only the pairs, seats and fields that changed), if anything changed. */
  private sendUpdate(peer: Peer, view: TeacherView, seq: number): void {
    const text = this.feeds.get(peer)?.updateText(view, seq);
    if (text) peer.sendText(text);
  }

  /** Send a view (already JSON) unless it is the one this connection was last sent. */
  private sendView(peer: Peer, json: string, seq: number): void {
    const print = fingerprint(json);
    if (this.lastSent.get(peer) === print) return;
    this.lastSent.set(peer, print);
    if (peer.viewer?.role === 'student') this.noteSeatView(peer.viewer.seatId, seq, print);
    peer.sendText(`{"type":"view","seq":${seq},"view":${json}}`);
  }

  /**
   * Bring one connection up to date at once, before the server answers its ping: a ping is a
   * client's barrier ("every view pushed before the pong has arrived"), and coalescing must
   * not break it. A student's leaderboard snapshot is refreshed for everyone (not pushed), so
   * no later push shows an older board than this one.
   */
  flushFor(peer: Peer): void {
    const viewer = peer.viewer;
    if (!viewer || !this.peers.has(peer)) return;
    const room = this.deps.room();
    const presence = this.presence();
    let view;
    if (viewer.role === 'teacher') {
      if (!this.teacherDirty) return;
      const teacherView = viewFor(room, viewer, presence);
      this.noteTeacherView(teacherView, room.seq, presence);
      this.sendUpdate(peer, teacherView, room.seq);
      return;
    } else {
      if (this.boardTimer !== null) this.board = viewShared(room);
      this.board ??= viewShared(room);
      view = viewFor(room, viewer, presence, { ...this.board, room });
    }
    if (view) this.sendView(peer, JSON.stringify(view), room.seq);
  }

  /** Stop the push timers and close every connection with this code. */
  shutdown(code: number, reason: string): void {
    const clock = this.deps.clock;
    if (this.boardTimer !== null) clock.clearTimeout(this.boardTimer);
    if (this.teacherTimer !== null) clock.clearTimeout(this.teacherTimer);
    this.boardTimer = this.teacherTimer = null;
    for (const peer of [...this.peers]) {
      peer.room = null;
      peer.close(code, reason);
    }
    this.peers.clear();
    this.seatPeers.clear();
  }
}
