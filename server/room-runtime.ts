/**
 * One live room, around the loop every change goes through: decide → apply → append →
 * (committed) → answer, push, run effects. The parts around it have their own modules: the
 * connections and their views (view-pusher.ts), the wire and TCP timers with the pauses and
 * the speed clock (room-timers.ts), and the bots (bot-driver.ts).
 *
 * The room keeps two states. `current` has every event applied, the ones whose log rows the
 * journal is still writing included, so commands arriving in the same turn are decided in
 * order against it. `committed` has only the events whose rows are in the log: it is what
 * views show, and nothing about an event is answered, pushed or scheduled before its row is
 * committed. A failed write rolls `current` back to `committed`. Randomness (tokens, ISNs,
 * pairings) and time are the server's and go into the events, so a replay needs none.
 */
import { CLOSE_CODES, ERROR_CODES, type ErrorCode } from '../shared/protocol.ts';
import { applyEvent, inFlight, nextSeatId, runningTimers, seatByTokenHash } from '../shared/game/room.ts';
import { decide, decideJoin, type Decided, type DecideContext, type RoomCommand } from '../shared/game/decide.ts';
import type { Actor, MoveVerdict, Room, RoomEffect, RoomEvent } from '../shared/game/model.ts';
import type { EventStore } from './store.ts';
import type { Timings } from '../shared/game/timings.ts';
import type { Journal } from './journal.ts';
import type { Clock, PausableScheduler } from './scheduler.ts';
import { hashSecret, newSecret, sameHash } from './secrets.ts';
import { ViewPusher, type Peer } from './view-pusher.ts';
import { RoomTimers } from './room-timers.ts';
import { BotDriver } from './bot-driver.ts';

export type { RoomCommand, Peer };
export { BOARD_EVERY_MS, TEACHER_EVERY_MS } from './view-pusher.ts';

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

/** The outcome of a command, for the dispatcher: an error to send back, or nothing. */
export type CommandResult = { ok: true } | { ok: false; code: ErrorCode; message: string };

/** An event applied to `current`, its row queued: what to do once it is committed. */
type Applied = { ok: true; event: RoomEvent; effects: RoomEffect[]; verdict?: MoveVerdict; committed: Promise<boolean> };

const OK: CommandResult = { ok: true };

/** Events that change one pair's game and nothing else of the room: its pair id (else null). */
const PAIR_ONLY = new Set<RoomEvent['type']>(['move', 'wire/delivered', 'wire/dropped', 'timer/fired', 'hint/given', 'pair/restarted']);
const pairOnly = (ev: RoomEvent): string | null => (PAIR_ONLY.has(ev.type) ? (ev as { pairId: string }).pairId : null);
const NOT_RECORDED = 'the server could not record that; try again';
const err = (code: ErrorCode, message: string): CommandResult => ({ ok: false, code, message });

/** A live room. */
export class RoomRuntime {
  private current: Room;
  private committedRoom: Room;
  private readonly pusher: ViewPusher;
  private readonly timers: RoomTimers;
  private readonly botDriver: BotDriver;
  private readonly decideContext: DecideContext;
  private onClosed: (() => void) | null = null;
  private closing = false;
  /** When the last event was applied (or the room was rebuilt): idle rooms are closed. */
  lastActivityAt: number;

  constructor(room: Room, private readonly store: EventStore, private readonly journal: Journal, private readonly config: RuntimeConfig) {
    this.current = this.committedRoom = room;
    this.lastActivityAt = config.clock.now();
    this.pusher = new ViewPusher({ room: () => this.committedRoom, bots: () => this.bots(), clock: config.clock, warn: config.warn });
    this.timers = new RoomTimers({
      room: () => this.committedRoom,
      isPresent: (seatId) => this.pusher.isPresent(seatId),
      fire: (ev) => this.serverEvent(ev),
      clock: config.clock, timings: () => this.timings(), warn: config.warn,
    });
    this.botDriver = new BotDriver({
      room: () => this.current,
      bots: () => this.bots(),
      timers: this.timers,
      play: (seatId, msg) => this.botPlays(seatId, msg),
      random: config.random,
      botThinkMs: config.botThinkMs,
      warn: (m) => config.warn(`room ${this.code}: ${m}`),
    });
    this.decideContext = {
      random: config.random,
      maxSeats: config.maxSeats,
      elapsedMs: (pairId, side) => this.timers.speed.elapsedFor(pairId, side),
      secretHash: () => hashSecret(newSecret()),
      // The server's defaults; a room that has its own timings is judged by them (decide.ts).
      timings: { latencyMs: config.latencyMs, rtxMs: config.rtxMs, timeWaitMs: config.timeWaitMs },
    };
  }

  /** The timings the room plays with: its own (logged), or the server's defaults for a room logged without them. */
  timings(): Timings {
    return this.committedRoom.timings ?? { latencyMs: this.config.latencyMs, rtxMs: this.config.rtxMs, timeWaitMs: this.config.timeWaitMs };
  }

  /** The room as its log has it now. */
  get room(): Room {
    return this.committedRoom;
  }

  get code(): string {
    return this.current.code;
  }

  /** Seat ids with a live connection, and the bots (always there). */
  presence(): Set<string> {
    return this.pusher.presence();
  }

  private botCache: { seats: Room['seats']; ids: Set<string> } | null = null;
  /** The bot seats (not removed), recomputed only when the seats change: pauses and pushes ask per pair. */
  private bots(): Set<string> {
    const seats = this.committedRoom.seats;
    if (this.botCache?.seats !== seats) this.botCache = { seats, ids: new Set(seats.filter((s) => s.bot && !s.removed).map((s) => s.id)) };
    return this.botCache.ids;
  }

  /** Number of connections watching the room. */
  get peerCount(): number {
    return this.pusher.size;
  }

  /** The scheduled wire deliveries and timers, for tests and diagnostics. */
  pendingTasks(): ReturnType<PausableScheduler['pending']> {
    return this.timers.scheduler.pending();
  }

  /** Called once the room was closed (the hub forgets it). */
  setOnClosed(fn: () => void): void {
    this.onClosed = fn;
  }

  /** After a restart: schedule again what was in flight and the timers that were running (each with its full time). */
  rescheduleAfterReplay(): void {
    const effects: RoomEffect[] = [];
    for (const f of inFlight(this.committedRoom)) {
      effects.push(f.lost
        ? { type: 'wire/in-flight', pairId: f.pairId, from: f.from, id: f.id, lost: true }
        : { type: 'wire/in-flight', pairId: f.pairId, from: f.from, id: f.id });
    }
    for (const t of runningTimers(this.committedRoom)) {
      effects.push({ type: 'tcp', pairId: t.pairId, effect: { type: 'timer-start', side: t.side, timer: t.timer } });
    }
    this.runEffects(effects);
  }

  // -------------------------------------------------------------------------------------
  // Entering the room
  // -------------------------------------------------------------------------------------

  /** `hello`: the teacher (or practice host) presents the room key; `lastSeq`, the view it still holds. */
  hello(peer: Peer, key: string, lastSeq?: number): CommandResult {
    if (!sameHash(hashSecret(key), this.current.keyHash)) return err(ERROR_CODES.badKey, 'that key does not open this room');
    this.attach(peer, { role: 'teacher' });
    this.pusher.welcome(peer, { role: 'teacher' }, lastSeq);
    return OK;
  }

  /** `join`: a new seat with this nickname; the welcome carries its token (only its hash is logged) once the seat is logged. */
  async join(peer: Peer, nickname: string): Promise<CommandResult> {
    const token = newSecret();
    const seatId = nextSeatId(this.current);
    const decision = decideJoin(this.current, { type: 'join', nickname, tokenHash: hashSecret(token) }, this.decideContext, seatId);
    if (!decision.ok) return decision;
    const [joined, ...pairing] = decision.events;
    const r = this.apply(joined!.event, joined!.actor);
    if (!r.ok) return r;
    peer.admitted?.();
    // The pairing is decided now too, against the room with the seat in it, so that it shares the commit.
    const paired = this.applyAll(pairing);
    if (!(await r.committed)) return err(ERROR_CODES.internal, NOT_RECORDED);
    if (!peer.isOpen() || this.closing) return OK;
    this.attach(peer, { role: 'student', seatId });
    this.pusher.welcome(peer, { role: 'student', seatId, token });
    // The seat exists; a pairing that cannot be made now leaves the players to pair by hand.
    const pairedResult = await this.settle(paired);
    if (!pairedResult.ok) this.config.warn(`room ${this.code}: could not pair ${seatId} at once: ${pairedResult.code}`);
    this.pusher.broadcast();
    return OK;
  }

  /** `resume`: a seat's token on a new connection (holding the view at `lastSeq`); an older connection of the seat is closed. */
  resume(peer: Peer, token: string, lastSeq: number): CommandResult {
    const seat = seatByTokenHash(this.committedRoom, hashSecret(token));
    if (!seat) return err(ERROR_CODES.badToken, 'that seat token is not valid in this room');
    if (seat.removed) return err(ERROR_CODES.seatRemoved, 'this seat was removed by the teacher');
    const old = this.pusher.peerOf(seat.id);
    if (old && old !== peer) this.pusher.closeSeat(seat.id, CLOSE_CODES['seat/replaced'], 'seat/replaced');
    this.attach(peer, { role: 'student', seatId: seat.id });
    this.pusher.welcome(peer, { role: 'student', seatId: seat.id }, lastSeq);
    this.pusher.broadcast('all');
    return OK;
  }

  /** A connection went away. */
  detach(peer: Peer): void {
    if (this.pusher.detach(peer)) this.timers.syncPauses();
  }

  private attach(peer: Peer, viewer: Peer['viewer'] & object): void {
    peer.room = this;
    this.pusher.attach(peer, viewer);
    if (viewer.role === 'student') this.timers.syncPauses();
  }

  /** Bring one connection's view up to date at once (before its pong). */
  flushFor(peer: Peer): void {
    this.pusher.flushFor(peer);
  }

  // -------------------------------------------------------------------------------------
  // Commands: decide → apply → append → (committed) → answer, push, effects
  // -------------------------------------------------------------------------------------

  /** Handle a message from a connection that has joined this room. */
  command(peer: Peer, msg: RoomCommand): CommandResult | Promise<CommandResult> {
    const viewer = peer.viewer;
    if (!viewer) return err(ERROR_CODES.notJoined, 'send hello, join or resume first');
    const decision = decide(this.current, viewer, msg, this.decideContext);
    if (!decision.ok) return decision;
    return this.settle(this.applyAll(decision.events), (verdict) => {
      // Logged; now the sender hears the verdict, before anyone sees the new state.
      peer.send({ type: 'move/result', verdict });
    }).then((r) => {
      if (r.ok && msg.type === 'seat/remove') this.kickSeat(msg.seatId);
      if (r.ok && msg.type === 'room/close') this.closeRoom();
      return r;
    });
  }

  /** A bot's move, as its seat's command; the refusal's code and message, or null. */
  private async botPlays(seatId: string, msg: RoomCommand): Promise<string | null> {
    const decision = decide(this.current, { role: 'student', seatId }, msg, this.decideContext);
    const r = decision.ok ? await this.settle(this.applyAll(decision.events)) : decision;
    return r.ok ? null : `${r.code} ${r.message}`;
  }

  /** Apply decided events in order, stopping at the first refusal. */
  private applyAll(decided: readonly Decided[]): { applied: Applied[]; refusal: CommandResult | null } {
    const applied: Applied[] = [];
    for (const { event, actor } of decided) {
      const r = this.apply(event, actor);
      if (!r.ok) return { applied, refusal: r };
      applied.push(r);
    }
    return { applied, refusal: null };
  }

  /**
   * Once applied events are committed: answer each move's verdict (`onVerdict`), push views
   * once and run their effects; the command's result (a refusal after some events were
   * applied is still answered, after them). Not committed: the internal error.
   */
  private async settle(
    { applied, refusal }: { applied: Applied[]; refusal: CommandResult | null },
    onVerdict?: (v: MoveVerdict) => void,
  ): Promise<CommandResult> {
    const last = applied.at(-1);
    if (!last) return refusal ?? OK;
    if (!(await last.committed)) return err(ERROR_CODES.internal, NOT_RECORDED);
    // Written while the server was shutting down: logged, but nobody is left to tell and no timer may start.
    if (this.closing) return refusal ?? OK;
    const effects: RoomEffect[] = [];
    // The pairs whose clocks may need pausing or resuming: those of pair events, or all.
    let pairs: Set<string> | undefined = new Set();
    for (const a of applied) {
      if (a.verdict) onVerdict?.(a.verdict);
      effects.push(...a.effects);
      const pairId = pairOnly(a.event);
      if (pairId === null) pairs = undefined;
      else pairs?.add(pairId);
    }
    this.runEffects(effects, pairs);
    return refusal ?? OK;
  }

  /**
   * The one way the room changes: reduce `current`, and queue the row in the journal. Once the
   * row is committed the event is part of `committed` (and the views); if it cannot be,
   * `current` is rolled back to what is committed.
   */
  private apply(ev: RoomEvent, actor: Actor): Applied | { ok: false; code: ErrorCode; message: string } {
    if (this.closing) return { ok: false, code: ERROR_CODES.roomClosed, message: 'that room is closed' };
    const r = applyEvent(this.current, ev);
    if (!r.ok) return r;
    const after = r.room;
    this.current = after;
    this.lastActivityAt = this.config.clock.now();
    this.timers.speed.noteStateChanges(after, pairOnly(ev) ?? undefined);
    const committed = new Promise<boolean>((resolve) => {
      this.journal.append(this.code, { seq: after.seq, at: this.config.clock.now(), actor, event: ev }, (failure) => {
        if (failure) {
          this.rollBack(ev, failure);
          resolve(false);
          return;
        }
        const before = this.committedRoom;
        this.committedRoom = after;
        this.pusher.committed(ev, before, after);
        resolve(true);
      });
    });
    return r.verdict ? { ok: true, event: ev, effects: r.effects, verdict: r.verdict, committed } : { ok: true, event: ev, effects: r.effects, committed };
  }

  /** A row could not be written: forget what is not in the log (the journal fails the rest of this room's batch too). */
  private rollBack(ev: RoomEvent, failure: Error): void {
    if (this.current === this.committedRoom) return;
    this.config.warn(`room ${this.code}: could not append ${ev.type}: ${failure.message}`);
    this.current = this.committedRoom;
    this.pusher.broadcast('all');
  }

  /** An event the server itself causes (a delivery, a loss, a timer): commit, push, run effects. */
  private serverEvent(ev: RoomEvent): void {
    // Runs from a timer: nothing thrown here may reach the event loop and end the process.
    const failed = (why: string) => {
      this.config.warn(`room ${this.code}: ${ev.type} refused: ${why}`);
      // A segment that could not arrive yet (one sent before it is still on the wire, or its
      // row not written) tries again later rather than being stranded; one that is gone (its
      // pair was dissolved, it was dropped) is not retried.
      if (ev.type === 'wire/delivered' && inFlight(this.current).some((f) => f.pairId === ev.pairId && f.from === ev.from && f.id === ev.id)) {
        this.timers.retryDelivery(ev);
        this.timers.syncPauses();
      }
    };
    try {
      const r = this.apply(ev, 'server');
      if (!r.ok) { failed(`${r.code} ${r.message}`); return; }
      this.settle({ applied: [r], refusal: null }).then((s) => { if (!s.ok) failed(`${s.code} ${s.message}`); }, (e: unknown) => failed(String(e)));
    } catch (e) {
      this.config.warn(`room ${this.code}: ${ev.type} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Run committed effects, drive the bots, and pause or resume the clocks of `pairs` (all by default). */
  private runEffects(effects: readonly RoomEffect[], pairs?: ReadonlySet<string>): void {
    this.timers.run(effects);
    this.botDriver.drive();
    this.timers.syncPauses(pairs);
  }

  // -------------------------------------------------------------------------------------
  // Leaving and closing
  // -------------------------------------------------------------------------------------

  private kickSeat(seatId: string): void {
    if (this.pusher.closeSeat(seatId, CLOSE_CODES['seat/removed'], 'seat/removed')) this.timers.syncPauses();
  }

  /** Close the room on the server's behalf (it sat idle too long): logged, then everyone is told. */
  async closeByServer(): Promise<boolean> {
    const r = this.apply({ type: 'room/closed', by: 'server' }, 'server');
    if (!r.ok || !(await r.committed)) return false;
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
    this.closing = true;
    this.timers.clear();
    this.pusher.shutdown(code, reason);
  }
}
