/**
 * One live room: the Room (a fold of the shared reducer over its log), the connections
 * watching it, and the timers that move its wires and TCP timers along.
 *
 * Every change goes through `commit`: build the event, `applyEvent`, append it to the log
 * (committed), and only then answer, push views and run the effects. Randomness (tokens,
 * ISNs, pairings) and time are the server's and go into the events, so a replay needs none.
 */
import {
  CLOSE_CODES, ERROR_CODES, PROTOCOL_VERSION, PRACTICE_PLAYER_MESSAGE_TYPES, checkNickname,
  type ClientMessage, type ErrorCode, type ServerMessage,
} from '../shared/protocol.ts';
import {
  applyEvent, autoPairEvents, inFlight, nextSeatId, oldestInFlight, pairOfSeat, pairSetEvent,
  roundStartEvent, runningTimers, seatActor, seatByTokenHash, unpairedSeats,
} from '../shared/game/room.ts';
import { viewFor, type Viewer } from '../shared/game/view-for.ts';
import type { Actor, MoveVerdict, Room, RoomEffect, RoomEvent } from '../shared/game/model.ts';
import type { Side } from '../shared/tcp/types.ts';
import type { EventStore } from './store.ts';
import { PausableScheduler, type Clock } from './scheduler.ts';
import { hashSecret, newSecret, sameHash } from './secrets.ts';

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
}

/** One WebSocket connection as the runtime sees it. */
export interface Peer {
  readonly id: number;
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
const err = (code: ErrorCode, message: string): CommandResult => ({ ok: false, code, message });

/** Messages a room handles (the ones after hello/join/resume, except ping). */
export type RoomCommand = Exclude<ClientMessage, { type: 'hello' | 'join' | 'resume' | 'ping' }>;

/** A live room. */
export class RoomRuntime {
  private current: Room;
  private readonly peers = new Set<Peer>();
  /** The one live connection of each seat (a newer one replaces it). */
  private readonly seatPeers = new Map<string, Peer>();
  private readonly scheduler: PausableScheduler;
  /** Per pair: active (unblocked) time accumulated, and since when it is running; for elapsedMs. */
  private readonly activeClock = new Map<string, { total: number; since: number | null }>();
  /** Per pair and side: the active time at which that side's state last changed, and its stateSeq then. */
  private readonly sideChanged = new Map<string, { stateSeq: number; activeAt: number }>();
  private onClosed: (() => void) | null = null;
  /** The view JSON each connection was last sent, so an unchanged view is not sent again. */
  private readonly lastSent = new WeakMap<Peer, string>();
  private flushScheduled = false;

  constructor(room: Room, private readonly store: EventStore, private readonly config: RuntimeConfig) {
    this.current = room;
    this.scheduler = new PausableScheduler(config.clock);
  }

  /** The room as it is now. */
  get room(): Room {
    return this.current;
  }

  get code(): string {
    return this.current.code;
  }

  /** Seat ids with a live connection. */
  presence(): Set<string> {
    return new Set(this.seatPeers.keys());
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
  join(peer: Peer, rawNickname: string): CommandResult {
    const nick = checkNickname(rawNickname, this.current.seats.filter((s) => !s.removed).map((s) => s.nickname));
    if (!nick.ok) return err(nick.code, nick.message);
    const token = newSecret();
    const seatId = nextSeatId(this.current);
    const r = this.commit({ type: 'seat/joined', seatId, nickname: nick.nickname, tokenHash: hashSecret(token) }, seatActor(seatId));
    if (!r.ok) return r;
    this.attach(peer, { role: 'student', seatId });
    this.welcomeStudent(peer, seatId, token);
    // A practice room pairs its two players as soon as both are there.
    if (this.current.kind === 'practice' && unpairedSeats(this.current).length >= 2) {
      for (const ev of autoPairEvents(this.current, this.config.random, 'server')) if (!this.commit(ev, 'server').ok) break;
    }
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
    this.broadcast();
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
      this.broadcast();
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

  /** Handle a message from a connection that has joined this room. */
  command(peer: Peer, msg: RoomCommand): CommandResult {
    const viewer = peer.viewer;
    if (!viewer) return err(ERROR_CODES.notJoined, 'send hello, join or resume first');
    if (msg.type === 'move') return this.move(peer, viewer, msg);

    let by: Actor = 'teacher';
    if (viewer.role === 'student') {
      const allowed = this.current.kind === 'practice' && (PRACTICE_PLAYER_MESSAGE_TYPES as readonly string[]).includes(msg.type);
      if (!allowed) return err(ERROR_CODES.notTeacher, `only the teacher may send ${msg.type}`);
      by = seatActor(viewer.seatId);
    }
    const random = this.config.random;
    let result: CommandResult;
    switch (msg.type) {
      case 'pair/auto': {
        const events = autoPairEvents(this.current, random, by)
          // A practice player pairs only themself.
          .filter((ev) => by === 'teacher' || (ev.type === 'pair/formed' && (seatActor(ev.client) === by || seatActor(ev.server) === by)));
        if (events.length === 0) return err(ERROR_CODES.pairNoneFree, 'fewer than two students are waiting for a partner');
        result = this.commitAll(events, by);
        break;
      }
      case 'pair/set':
        result = this.commitAll([pairSetEvent(this.current, msg.client, msg.server, random, by)], by);
        break;
      case 'pair/swap':
        result = this.commitAll([{ type: 'pair/swapped', pairId: msg.pairId, by }], by);
        break;
      case 'pair/dissolve':
        result = this.commitAll([{ type: 'pair/dissolved', pairId: msg.pairId, by }], by);
        break;
      case 'seat/rename':
        result = this.commitAll([{ type: 'seat/renamed', seatId: msg.seatId, nickname: msg.nickname, by }], by);
        break;
      case 'seat/remove': {
        result = this.commitAll([{ type: 'seat/removed', seatId: msg.seatId, by }], by);
        if (result.ok) this.kickSeat(msg.seatId);
        break;
      }
      case 'round/start':
        result = this.commitAll([roundStartEvent(this.current, { scenario: msg.scenario, level: msg.level, speedBonus: msg.speedBonus }, random, by)], by);
        break;
      case 'round/pause':
        result = this.commitAll([{ type: 'round/paused', by }], by);
        break;
      case 'round/resume':
        result = this.commitAll([{ type: 'round/resumed', by }], by);
        break;
      case 'round/end':
        result = this.commitAll([{ type: 'round/ended', by }], by);
        break;
      case 'wire/drop': {
        if (!this.current.pairs.some((p) => p.id === msg.pairId)) return err(ERROR_CODES.pairNotFound, `no pair ${msg.pairId}`);
        const oldest = oldestInFlight(this.current, msg.pairId);
        if (!oldest) return err(ERROR_CODES.wireEmpty, 'nothing is in flight in that pair');
        result = this.commitAll([{ type: 'wire/dropped', pairId: msg.pairId, from: oldest.from, id: oldest.id, by }], by);
        break;
      }
      case 'room/close': {
        result = this.commitAll([{ type: 'room/closed', by }], by);
        if (result.ok) this.closeRoom();
        break;
      }
      default: {
        const never: never = msg;
        return err(ERROR_CODES.unknownType, `unknown message ${(never as { type: string }).type}`);
      }
    }
    return result;
  }

  private move(peer: Peer, viewer: Viewer, msg: RoomCommand & { type: 'move' }): CommandResult {
    if (viewer.role !== 'student') return err(ERROR_CODES.moveNotYourSeat, 'only a player moves, for their own seat');
    const ps = pairOfSeat(this.current, viewer.seatId);
    if (!ps) return err(ERROR_CODES.moveNotPaired, 'you are not in a pair yet');
    const ev: RoomEvent = {
      type: 'move', pairId: ps.pair.id, seatId: viewer.seatId, stateSeq: msg.stateSeq,
      segment: { from: ps.side, flags: [...msg.segment.flags], seq: msg.segment.seq, ack: msg.segment.ack, len: msg.segment.len },
    };
    if (this.current.round.speedBonus) {
      const elapsed = this.elapsedFor(ps.pair.id, ps.side);
      if (elapsed !== null) ev.elapsedMs = elapsed;
    }
    const r = this.commit(ev, seatActor(viewer.seatId));
    if (!r.ok) return r;
    // Logged; now the sender hears the verdict, then everyone sees the new state.
    if (r.verdict) peer.send({ type: 'move/result', verdict: r.verdict });
    this.broadcast();
    this.runEffects(r.effects);
    return OK;
  }

  /** Commit events in order, push views once, then run their effects. Stops at the first refusal. */
  private commitAll(events: RoomEvent[], actor: Actor): CommandResult {
    const effects: RoomEffect[] = [];
    let failure: CommandResult | null = null;
    let any = false;
    for (const ev of events) {
      const r = this.commit(ev, actor);
      if (!r.ok) { failure = r; break; }
      any = true;
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
    this.current = r.room;
    this.noteStateChanges();
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
    this.syncPauses();
  }

  /** Whether a pair's clocks must wait: the round is not running, or one of its players is away. */
  private blocked(pairId: string): boolean {
    if (this.current.round.status !== 'running') return true;
    const pair = this.current.pairs.find((p) => p.id === pairId);
    if (!pair) return true;
    return !this.seatPeers.has(pair.seats.client) || !this.seatPeers.has(pair.seats.server);
  }

  /** Pause or resume every pair's clocks to match the round and who is connected. */
  private syncPauses(): void {
    const now = this.config.clock.now();
    const groups = new Set([...this.current.pairs.map((p) => p.id), ...this.scheduler.pending().map((t) => t.group)]);
    for (const pairId of groups) {
      const clock = this.activeClock.get(pairId) ?? { total: 0, since: null };
      if (this.blocked(pairId)) {
        this.scheduler.pause(pairId);
        if (clock.since !== null) { clock.total += now - clock.since; clock.since = null; }
      } else {
        this.scheduler.resume(pairId);
        if (clock.since === null) clock.since = now;
      }
      this.activeClock.set(pairId, clock);
    }
  }

  private activeNow(pairId: string): number {
    const c = this.activeClock.get(pairId);
    if (!c) return 0;
    return c.total + (c.since === null ? 0 : this.config.clock.now() - c.since);
  }

  /** Remember when each side's state last changed (in active time), for the speed bonus. */
  private noteStateChanges(): void {
    for (const pair of this.current.pairs) {
      if (!pair.game) continue;
      for (const side of ['client', 'server'] as const) {
        const key = `${pair.id}:${side}`;
        const seen = this.sideChanged.get(key);
        const stateSeq = pair.game.stateSeq[side];
        if (!seen || seen.stateSeq !== stateSeq) this.sideChanged.set(key, { stateSeq, activeAt: this.activeNow(pair.id) });
      }
    }
  }

  private elapsedFor(pairId: string, side: Side): number | null {
    const seen = this.sideChanged.get(`${pairId}:${side}`);
    return seen ? Math.max(0, Math.round(this.activeNow(pairId) - seen.activeAt)) : null;
  }

  // -------------------------------------------------------------------------------------
  // Views
  // -------------------------------------------------------------------------------------

  /**
   * Push each connection its view of the room, soon: every change asks for a push, and the
   * push happens once the current burst of work is done (setImmediate), so events that land
   * together cost one view each, not one per event. A connection whose view did not change
   * (a student, when another pair moved) is not sent anything.
   */
  private broadcast(): void {
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
    if (this.peers.size === 0) return;
    const presence = this.presence();
    const seq = this.current.seq;
    let teacherJson: string | null = null;
    for (const peer of this.peers) {
      if (!peer.viewer) continue;
      let json: string;
      if (peer.viewer.role === 'teacher') {
        teacherJson ??= JSON.stringify(viewFor(this.current, { role: 'teacher' }, presence));
        json = teacherJson;
      } else {
        const view = viewFor(this.current, peer.viewer, presence);
        if (!view) continue;
        json = JSON.stringify(view);
      }
      if (this.lastSent.get(peer) === json) continue;
      this.lastSent.set(peer, json);
      peer.sendText(`{"type":"view","seq":${seq},"view":${json}}`);
    }
  }

  private kickSeat(seatId: string): void {
    const peer = this.seatPeers.get(seatId);
    if (!peer) return;
    this.seatPeers.delete(seatId);
    this.peers.delete(peer);
    peer.room = null;
    peer.close(CLOSE_CODES['seat/removed'], 'seat/removed');
    this.syncPauses();
    this.broadcast();
  }

  private closeRoom(): void {
    this.store.markClosed(this.current.code);
    this.shutdown(CLOSE_CODES['room/closed'], 'room/closed');
    this.onClosed?.();
  }

  /** Stop every timer and close every connection with this code (server shutdown, room closed). */
  shutdown(code: number, reason: string): void {
    this.scheduler.clear();
    for (const peer of [...this.peers]) {
      peer.room = null;
      peer.close(code, reason);
    }
    this.peers.clear();
    this.seatPeers.clear();
  }
}

const wireKey = (from: Side, id: number): string => `wire:${from}:${id}`;
