/**
 * One live room: the Room (a fold of the shared reducer over its log), the connections
 * watching it, and the timers that move its wires and TCP timers along.
 *
 * Every change goes through `commit`: build the event, `applyEvent`, append it to the log
 * (committed), and only then answer, push views and run the effects. Randomness (tokens,
 * ISNs, pairings) and time are the server's and go into the events, so a replay needs none.
 */
import {
  CLOSE_CODES, ERROR_CODES, PROTOCOL_VERSION, type ErrorCode, type ServerMessage,
} from '../shared/protocol.ts';
import { applyEvent, inFlight, nextSeatId, runningTimers, seatByTokenHash } from '../shared/game/room.ts';
import { decide, decideJoin, type Decided, type DecideContext, type RoomCommand } from '../shared/game/decide.ts';
import { viewFor, viewShared, type Viewer, type ViewShared } from '../shared/game/view-for.ts';
import type { Actor, MoveVerdict, Room, RoomEffect, RoomEvent } from '../shared/game/model.ts';
import { oracleMoves } from '../shared/game/oracle.ts';
import { SCENARIOS } from '../shared/game/scenarios.ts';
import { peerOf } from '../shared/tcp/machine.ts';
import type { Side } from '../shared/tcp/types.ts';
import type { EventStore } from './store.ts';
import { PausableScheduler, type Clock } from './scheduler.ts';
import { SpeedClock } from './speed-clock.ts';
import { hashSecret, newSecret, sameHash } from './secrets.ts';

export type { RoomCommand };

/** Timings and sources the runtime needs; tests shorten the times. */
export interface RuntimeConfig {
  /** How long a segment travels the wire before it is delivered (or lost). */
  latencyMs: number;
  /** TIME_WAIT's 2MSL, compressed. */
  timeWaitMs: number;
  /** The retransmission timeout. */
  rtxMs: number;
  clock: Clock;
  /** Uniform in [0, 1): ISNs and pairings (crypto-backed in production). */
  random: () => number;
  /** Where the server reports what it could not do (a refused timer event, a failed write). */
  warn: (message: string) => void;
  /** Most students (not removed) a class room seats. */
  maxSeats: number;
  /** A room with no event for this long is closed (ROOM_IDLE_CLOSE_HOURS). */
  idleCloseMs: number;
  /** Closed rooms whose last event is older than this are deleted (ROOM_RETENTION_DAYS); null keeps them. */
  retentionMs: number | null;
  /** A bot's pause before each move (BOT_THINK_MS), jittered by ±30 %. */
  botThinkMs: number;
}

/** One WebSocket connection as the runtime sees it. */
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
  /** Who this connection is, once hello/join/resume succeeded. */
  viewer: Viewer | null;
  /** The room it joined. */
  room: RoomRuntime | null;
}

/** The outcome of a command, for the dispatcher: an error to send back, or nothing. */
export type CommandResult = { ok: true } | { ok: false; code: ErrorCode; message: string };

type Commit = { ok: true; effects: RoomEffect[]; verdict?: MoveVerdict } | { ok: false; code: ErrorCode; message: string };

const OK: CommandResult = { ok: true };

/** Students' leaderboards are refreshed at most this often (every legal move changes scores). */
export const BOARD_EVERY_MS = 1000;
/** A teacher connection is pushed at most this often (its view holds the whole class). */
export const TEACHER_EVERY_MS = 100;

/** Events that concern one pair only: only its two students' views can change (and the teacher's). */
const PAIR_EVENTS = new Set<RoomEvent['type']>(['move', 'wire/delivered', 'wire/dropped', 'timer/fired', 'hint/given', 'pair/restarted', 'pair/swapped']);
const err = (code: ErrorCode, message: string): CommandResult => ({ ok: false, code, message });

/** A live room. */
export class RoomRuntime {
  private current: Room;
  private readonly peers = new Set<Peer>();
  /** The one live connection of each seat (a newer one replaces it). */
  private readonly seatPeers = new Map<string, Peer>();
  private readonly scheduler: PausableScheduler;
  private readonly speed: SpeedClock;
  private readonly decideContext: DecideContext;
  private onClosed: (() => void) | null = null;
  /** When the last event was committed (or the room was rebuilt): idle rooms are closed. */
  lastActivityAt: number;
  /** The view JSON each connection was last sent, so an unchanged view is not sent again. */
  private readonly lastSent = new WeakMap<Peer, string>();
  private flushScheduled = false;
  /** Seats whose view may have changed since the last push ('all' after a room-wide change or a presence change). */
  private dirty: Set<string> | 'all' = 'all';
  private teacherDirty = true;
  private teacherPushedAt = Number.NEGATIVE_INFINITY;
  private teacherTimer: unknown = null;
  /** The leaderboard students see: a snapshot, refreshed at most every BOARD_EVERY_MS. */
  private board: ViewShared | null = null;
  private boardTimer: unknown = null;
  /** Per bot (pair:side): the state its scheduled move was planned for, so an unrelated event does not postpone it. */
  private readonly botPlans = new Map<string, string>();

  constructor(room: Room, private readonly store: EventStore, private readonly config: RuntimeConfig) {
    this.current = room;
    this.scheduler = new PausableScheduler(config.clock);
    this.lastActivityAt = config.clock.now();
    this.speed = new SpeedClock(() => config.clock.now());
    this.decideContext = {
      random: config.random,
      maxSeats: config.maxSeats,
      elapsedMs: (pairId, side) => this.speed.elapsedFor(pairId, side),
      secretHash: () => hashSecret(newSecret()),
      timings: { latencyMs: config.latencyMs, rtxMs: config.rtxMs, timeWaitMs: config.timeWaitMs },
    };
  }

  /** The room as it is now. */
  get room(): Room {
    return this.current;
  }

  get code(): string {
    return this.current.code;
  }

  /** Seat ids with a live connection, and the bots (always there). */
  presence(): Set<string> {
    const present = new Set(this.seatPeers.keys());
    for (const id of this.bots()) present.add(id);
    return present;
  }

  private isPresent(seatId: string): boolean {
    return this.seatPeers.has(seatId) || this.bots().has(seatId);
  }

  private botCache: { seats: Room['seats']; ids: Set<string> } | null = null;
  /** The bot seats (not removed), recomputed only when the seats change: pauses and pushes ask per pair. */
  private bots(): Set<string> {
    const seats = this.current.seats;
    if (this.botCache?.seats !== seats) this.botCache = { seats, ids: new Set(seats.filter((s) => s.bot && !s.removed).map((s) => s.id)) };
    return this.botCache.ids;
  }

  /** Number of connections watching the room. */
  get peerCount(): number {
    return this.peers.size;
  }

  /** The scheduled wire deliveries and timers, for tests and diagnostics. */
  pendingTasks(): ReturnType<PausableScheduler['pending']> {
    return this.scheduler.pending();
  }

  /** Called once the room was closed (the hub forgets it). */
  setOnClosed(fn: () => void): void {
    this.onClosed = fn;
  }

  /** After a restart: schedule again what was in flight and the timers that were running (each with its full time). */
  rescheduleAfterReplay(): void {
    const effects: RoomEffect[] = [];
    for (const f of inFlight(this.current)) {
      effects.push(f.lost
        ? { type: 'wire/in-flight', pairId: f.pairId, from: f.from, id: f.id, lost: true }
        : { type: 'wire/in-flight', pairId: f.pairId, from: f.from, id: f.id });
    }
    for (const t of runningTimers(this.current)) {
      effects.push({ type: 'tcp', pairId: t.pairId, effect: { type: 'timer-start', side: t.side, timer: t.timer } });
    }
    this.runEffects(effects);
  }

  // -------------------------------------------------------------------------------------
  // Entering the room
  // -------------------------------------------------------------------------------------

  /** `hello`: the teacher (or practice host) presents the room key. */
  hello(peer: Peer, key: string): CommandResult {
    if (!sameHash(hashSecret(key), this.current.keyHash)) return err(ERROR_CODES.badKey, 'that key does not open this room');
    this.attach(peer, { role: 'teacher' });
    const view = viewFor(this.current, { role: 'teacher' }, this.presence());
    this.lastSent.set(peer, JSON.stringify(view));
    peer.send({ type: 'welcome', v: PROTOCOL_VERSION, you: { role: 'teacher' }, seq: this.current.seq, view });
    return OK;
  }

  /** `join`: a new seat with this nickname; the welcome carries its token (only its hash is logged). */
  join(peer: Peer, nickname: string): CommandResult {
    const token = newSecret();
    const seatId = nextSeatId(this.current);
    const decision = decideJoin(this.current, { type: 'join', nickname, tokenHash: hashSecret(token) }, this.decideContext, seatId);
    if (!decision.ok) return decision;
    const [joined, ...pairing] = decision.events;
    const r = this.commit(joined!.event, joined!.actor);
    if (!r.ok) return r;
    this.attach(peer, { role: 'student', seatId });
    this.welcomeStudent(peer, seatId, token);
    // The seat exists; a pairing that cannot be made now leaves the players to pair by hand.
    const paired = this.commitAll(pairing);
    if (!paired.ok) this.config.warn(`room ${this.code}: could not pair ${seatId} at once: ${paired.code}`);
    this.broadcast();
    return OK;
  }

  /** `resume`: a seat's token on a new connection; an older connection of the seat is closed. */
  resume(peer: Peer, token: string): CommandResult {
    const seat = seatByTokenHash(this.current, hashSecret(token));
    if (!seat) return err(ERROR_CODES.badToken, 'that seat token is not valid in this room');
    if (seat.removed) return err(ERROR_CODES.seatRemoved, 'this seat was removed by the teacher');
    const old = this.seatPeers.get(seat.id);
    if (old && old !== peer) {
      this.peers.delete(old);
      old.room = null;
      old.close(CLOSE_CODES['seat/replaced'], 'seat/replaced');
    }
    this.attach(peer, { role: 'student', seatId: seat.id });
    this.welcomeStudent(peer, seat.id, undefined);
    this.broadcast('all');
    return OK;
  }

  /** A connection went away. */
  detach(peer: Peer): void {
    if (!this.peers.delete(peer)) return;
    peer.room = null;
    const v = peer.viewer;
    if (v?.role === 'student' && this.seatPeers.get(v.seatId) === peer) {
      this.seatPeers.delete(v.seatId);
      this.syncPauses();
      this.broadcast('all');
    }
  }

  private attach(peer: Peer, viewer: Viewer): void {
    peer.viewer = viewer;
    peer.room = this;
    this.peers.add(peer);
    if (viewer.role === 'student') {
      this.seatPeers.set(viewer.seatId, peer);
      this.syncPauses();
    }
  }

  private welcomeStudent(peer: Peer, seatId: string, token: string | undefined): void {
    const view = viewFor(this.current, { role: 'student', seatId }, this.presence());
    if (!view) return;
    this.lastSent.set(peer, JSON.stringify(view));
    peer.send({
      type: 'welcome', v: PROTOCOL_VERSION,
      you: token === undefined ? { role: 'student', seatId } : { role: 'student', seatId, token },
      seq: this.current.seq, view,
    });
  }

  // -------------------------------------------------------------------------------------
  // Commands
  // -------------------------------------------------------------------------------------

  /** Handle a message from a connection that has joined this room: decide → apply → append → answer → effects. */
  command(peer: Peer, msg: RoomCommand): CommandResult {
    const viewer = peer.viewer;
    if (!viewer) return err(ERROR_CODES.notJoined, 'send hello, join or resume first');
    const decision = decide(this.current, viewer, msg, this.decideContext);
    if (!decision.ok) return decision;
    const r = this.commitAll(decision.events, (verdict) => {
      // Logged; now the sender hears the verdict, before anyone sees the new state.
      peer.send({ type: 'move/result', verdict });
    });
    if (!r.ok) return r;
    if (msg.type === 'seat/remove') this.kickSeat(msg.seatId);
    if (msg.type === 'room/close') this.closeRoom();
    return OK;
  }

  /**
   * Commit decided events in order, stopping at the first refusal; then (if any was
   * committed) push views once and run their effects. `onVerdict` hears each move's
   * verdict as soon as its event is logged.
   */
  private commitAll(decided: readonly Decided[], onVerdict?: (v: MoveVerdict) => void): CommandResult {
    const effects: RoomEffect[] = [];
    let failure: CommandResult | null = null;
    let any = false;
    for (const { event, actor } of decided) {
      const r = this.commit(event, actor);
      if (!r.ok) { failure = r; break; }
      any = true;
      if (r.verdict) onVerdict?.(r.verdict);
      effects.push(...r.effects);
    }
    if (any) {
      this.broadcast();
      this.runEffects(effects);
    }
    return failure ?? OK;
  }

  /**
   * The one way the room changes: reduce, then append to the log (committed when it
   * returns), then adopt the new room. Nothing is answered or pushed here.
   */
  private commit(ev: RoomEvent, actor: Actor): Commit {
    const r = applyEvent(this.current, ev);
    if (!r.ok) return r;
    try {
      this.store.appendEvent(this.current.code, { seq: r.room.seq, at: this.config.clock.now(), actor, event: ev });
    } catch (e) {
      this.config.warn(`room ${this.current.code}: could not append ${ev.type}: ${e instanceof Error ? e.message : String(e)}`);
      return { ok: false, code: ERROR_CODES.internal, message: 'the server could not record that; try again' };
    }
    const before = this.current;
    this.current = r.room;
    this.lastActivityAt = this.config.clock.now();
    this.speed.noteStateChanges(this.current);
    this.markDirty(ev, before);
    return r.verdict ? { ok: true, effects: r.effects, verdict: r.verdict } : { ok: true, effects: r.effects };
  }

  /** An event the server itself causes (a delivery, a loss, a timer): commit, push, run effects. */
  private serverEvent(ev: RoomEvent): void {
    // Runs from a timer: nothing thrown here may reach the event loop and end the process.
    try {
      const r = this.commit(ev, 'server');
      if (!r.ok) {
        this.config.warn(`room ${this.current.code}: ${ev.type} refused: ${r.code} ${r.message}`);
        // A segment that could not arrive yet (one sent before it is still on the wire) tries
        // again later rather than being stranded; one that is gone (its pair was dissolved,
        // it was dropped) is not retried.
        if (ev.type === 'wire/delivered' && inFlight(this.current).some((f) => f.pairId === ev.pairId && f.from === ev.from && f.id === ev.id)) {
          this.scheduler.schedule(ev.pairId, wireKey(ev.from, ev.id), this.config.latencyMs, () => this.serverEvent(ev));
          this.syncPauses();
        }
        return;
      }
      this.broadcast();
      this.runEffects(r.effects);
    } catch (e) {
      this.config.warn(`room ${this.current.code}: ${ev.type} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  // -------------------------------------------------------------------------------------
  // Effects and pauses
  // -------------------------------------------------------------------------------------

  private runEffects(effects: readonly RoomEffect[]): void {
    for (const fx of effects) {
      switch (fx.type) {
        case 'wire/in-flight': {
          const { pairId, from, id } = fx;
          const ev: RoomEvent = fx.lost
            ? { type: 'wire/dropped', pairId, from, id, by: 'server' }
            : { type: 'wire/delivered', pairId, from, id };
          this.scheduler.schedule(pairId, wireKey(from, id), this.config.latencyMs, () => this.serverEvent(ev));
          break;
        }
        case 'wire/cancel':
          this.scheduler.cancel(fx.pairId, wireKey(fx.from, fx.id));
          break;
        case 'tcp': {
          const { side, timer } = fx.effect;
          const key = `timer:${side}:${timer}`;
          if (fx.effect.type === 'timer-start') {
            const ms = timer === 'time-wait' ? this.config.timeWaitMs : this.config.rtxMs;
            this.scheduler.schedule(fx.pairId, key, ms, () => this.serverEvent({ type: 'timer/fired', pairId: fx.pairId, side, timer }));
          } else {
            this.scheduler.cancel(fx.pairId, key);
          }
          break;
        }
        case 'pair/cancel-timers':
          this.scheduler.cancelGroup(fx.pairId);
          break;
        default: {
          const never: never = fx;
          this.config.warn(`unknown effect ${JSON.stringify(never)}`);
        }
      }
    }
    this.driveBots();
    this.syncPauses();
  }

  // -------------------------------------------------------------------------------------
  // Bots
  // -------------------------------------------------------------------------------------

  /**
   * After every change: each bot that has a correct move to make (the oracle, from what its
   * endpoint knows) gets it scheduled after a human-like pause; one with nothing to send has
   * nothing scheduled. The move itself goes through decide and commit like a player's. Its
   * task lives in the pair's scheduler group, so it waits while the round is paused or the
   * human partner is away, and it is cancelled with the pair's timers.
   */
  private driveBots(): void {
    const room = this.current;
    const bots = this.bots();
    if (bots.size === 0) return;
    const opensTogether = SCENARIOS[room.round.scenario].firstMover === 'both';
    for (const pair of room.pairs) {
      const game = pair.game;
      for (const side of ['client', 'server'] as const) {
        if (!bots.has(pair.seats[side])) continue;
        const key = `bot:${side}`;
        const memo = `${pair.id}:${side}`;
        const first = game && !game.finished && room.round.status !== 'ended' ? oracleMoves(game, room.round.scenario, side)[0] : undefined;
        if (!game || first?.kind !== 'send') {
          this.scheduler.cancel(pair.id, key);
          this.botPlans.delete(memo);
          continue;
        }
        let plan = String(game.stateSeq[side]);
        let delay = this.botThink();
        const peer = peerOf(side);
        const sentBy = (s: Side) => game.history.some((e) => e.kind === 'sent' && e.segment.segment.from === s);
        if (opensTogether && !sentBy(side)) {
          // Simultaneous open or close: the two segments must cross on the wire. Once the
          // partner's has left, the bot's goes at once, before any delivery can run (a
          // microtask runs before the next timer callback), however slow the machine is. Until
          // then a bot paired with a bot opens after its pause, and one paired with a person
          // waits for them (and goes first after a long pause, so nobody waits for ever).
          if (sentBy(peer)) {
            if (this.botPlans.get(memo) === `${plan}:crossing`) continue;
            this.botPlans.set(memo, `${plan}:crossing`);
            this.scheduler.cancel(pair.id, key);
            queueMicrotask(() => this.botMove(pair.id, side));
            continue;
          }
          if (!bots.has(pair.seats[peer])) delay = 4 * this.config.botThinkMs;
          plan += ':opening';
        }
        if (this.botPlans.get(memo) === plan && this.scheduler.has(pair.id, key)) continue;
        this.botPlans.set(memo, plan);
        this.scheduler.schedule(pair.id, key, delay, () => this.botMove(pair.id, side));
      }
    }
  }

  private botThink(): number {
    return Math.round(this.config.botThinkMs * (0.7 + 0.6 * this.config.random()));
  }

  /** A bot's turn: the oracle's first move for the state it is in now, as that seat's move. */
  private botMove(pairId: string, side: Side): void {
    // Runs from a timer: nothing thrown here may reach the event loop.
    try {
      this.botPlans.delete(`${pairId}:${side}`);
      const room = this.current;
      const pair = room.pairs.find((p) => p.id === pairId);
      const game = pair?.game;
      // (A crossing move runs outside the scheduler: it must not play into a paused pair.)
      if (!pair || !game || this.blocked(pairId)) return;
      const first = oracleMoves(game, room.round.scenario, side)[0];
      if (first?.kind !== 'send') return;
      const { flags, seq, ack, len } = first.segment;
      const decision = decide(room, { role: 'student', seatId: pair.seats[side] }, { type: 'move', stateSeq: game.stateSeq[side], segment: { flags: [...flags], seq, ack, len } }, this.decideContext);
      const r = decision.ok ? this.commitAll(decision.events) : decision;
      if (!r.ok) this.config.warn(`room ${this.code}: the bot of ${pairId} (${side}) could not move: ${r.code} ${r.message}`);
    } catch (e) {
      this.config.warn(`room ${this.code}: the bot of ${pairId} (${side}) failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Whether a pair's clocks must wait: the round is not running, or one of its players is away. */
  private blocked(pairId: string): boolean {
    if (this.current.round.status !== 'running') return true;
    const pair = this.current.pairs.find((p) => p.id === pairId);
    if (!pair) return true;
    return !this.isPresent(pair.seats.client) || !this.isPresent(pair.seats.server);
  }

  /** Pause or resume every pair's clocks to match the round and who is connected. */
  private syncPauses(): void {
    const groups = new Set([...this.current.pairs.map((p) => p.id), ...this.scheduler.pending().map((t) => t.group)]);
    for (const pairId of groups) {
      const blocked = this.blocked(pairId);
      if (blocked) this.scheduler.pause(pairId);
      else this.scheduler.resume(pairId);
      this.speed.set(pairId, !blocked);
    }
  }

  // -------------------------------------------------------------------------------------
  // Views
  // -------------------------------------------------------------------------------------

  /**
   * Which views an event can change. A pair's event (a move, a delivery, a timer…) changes
   * only its two students' views, and the teacher's; anything else may change everyone's.
   * Scores feed every student's leaderboard, but that is refreshed at most once a second
   * (scheduleBoard), so a move does not rebuild the whole class's views.
   */
  private markDirty(ev: RoomEvent, before: Room): void {
    this.teacherDirty = true;
    if (this.current.seats !== before.seats) this.scheduleBoard();
    if (this.dirty === 'all') return;
    const pairId = PAIR_EVENTS.has(ev.type) ? (ev as { pairId: string }).pairId : null;
    const pair = pairId ? this.current.pairs.find((p) => p.id === pairId) : undefined;
    if (!pair) { this.dirty = 'all'; return; }
    this.dirty.add(pair.seats.client);
    this.dirty.add(pair.seats.server);
  }

  private scheduleBoard(): void {
    if (this.boardTimer !== null) return;
    this.boardTimer = this.config.clock.setTimeout(() => {
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
  private broadcast(scope?: 'all'): void {
    if (scope === 'all') { this.dirty = 'all'; this.teacherDirty = true; }
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      try {
        this.flush();
      } catch (e) {
        this.config.warn(`room ${this.current.code}: could not push views: ${e instanceof Error ? e.message : String(e)}`);
      }
    });
  }

  private flush(): void {
    const dirty = this.dirty;
    this.dirty = new Set();
    if (this.peers.size === 0) return;
    const presence = this.presence();
    const seq = this.current.seq;
    // Students see the leaderboard snapshot (at most BOARD_EVERY_MS old); everything else is current.
    this.board ??= viewShared(this.current);
    const shared: ViewShared = { ...this.board, room: this.current };
    const now = this.config.clock.now();
    let teacherNow = false;
    if (this.teacherDirty) {
      if (now - this.teacherPushedAt >= TEACHER_EVERY_MS) {
        teacherNow = true;
        this.teacherDirty = false;
        this.teacherPushedAt = now;
      } else if (this.teacherTimer === null) {
        this.teacherTimer = this.config.clock.setTimeout(() => {
          this.teacherTimer = null;
          this.broadcast();
        }, TEACHER_EVERY_MS - (now - this.teacherPushedAt));
      }
    }
    let teacherJson: string | null = null;
    for (const peer of this.peers) {
      if (!peer.viewer) continue;
      let json: string;
      if (peer.viewer.role === 'teacher') {
        if (!teacherNow) continue;
        teacherJson ??= JSON.stringify(viewFor(this.current, { role: 'teacher' }, presence));
        json = teacherJson;
      } else {
        if (dirty !== 'all' && !dirty.has(peer.viewer.seatId)) continue;
        const view = viewFor(this.current, peer.viewer, presence, shared);
        if (!view) continue;
        json = JSON.stringify(view);
      }
      this.sendView(peer, json, seq);
    }
  }

  /** Send a view (already JSON) unless it is the one this connection was last sent. */
  private sendView(peer: Peer, json: string, seq: number): void {
    if (this.lastSent.get(peer) === json) return;
    this.lastSent.set(peer, json);
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
    const presence = this.presence();
    let view;
    if (viewer.role === 'teacher') {
      if (!this.teacherDirty) return;
      view = viewFor(this.current, viewer, presence);
    } else {
      if (this.boardTimer !== null) this.board = viewShared(this.current);
      this.board ??= viewShared(this.current);
      view = viewFor(this.current, viewer, presence, { ...this.board, room: this.current });
    }
    if (view) this.sendView(peer, JSON.stringify(view), this.current.seq);
  }

  private kickSeat(seatId: string): void {
    const peer = this.seatPeers.get(seatId);
    if (!peer) return;
    this.seatPeers.delete(seatId);
    this.peers.delete(peer);
    peer.room = null;
    peer.close(CLOSE_CODES['seat/removed'], 'seat/removed');
    this.syncPauses();
    this.broadcast('all');
  }

  /** Close the room on the server's behalf (it sat idle too long): logged, then everyone is told. */
  closeByServer(): boolean {
    const r = this.commit({ type: 'room/closed', by: 'server' }, 'server');
    if (!r.ok) return false;
    this.closeRoom();
    return true;
  }

  /** The room's data is being deleted: close every connection (room/closed) and stop, logging nothing. */
  dropForDeletion(): void {
    this.shutdown(CLOSE_CODES['room/closed'], 'room/closed');
    this.onClosed?.();
  }

  private closeRoom(): void {
    this.store.markClosed(this.current.code);
    this.shutdown(CLOSE_CODES['room/closed'], 'room/closed');
    this.onClosed?.();
  }

  /** Stop every timer and close every connection with this code (server shutdown, room closed). */
  shutdown(code: number, reason: string): void {
    this.scheduler.clear();
    if (this.boardTimer !== null) this.config.clock.clearTimeout(this.boardTimer);
    if (this.teacherTimer !== null) this.config.clock.clearTimeout(this.teacherTimer);
    this.boardTimer = this.teacherTimer = null;
    for (const peer of [...this.peers]) {
      peer.room = null;
      peer.close(code, reason);
    }
    this.peers.clear();
    this.seatPeers.clear();
  }
}

const wireKey = (from: Side, id: number): string => `wire:${from}:${id}`;
