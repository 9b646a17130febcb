/**
 * A small driver for rooms in tests, the bot and the benchmark: it applies events and keeps
 * the accepted ones as a log, and builds moves the way a level-1 client does (numbers from
 * the view's hints, stateSeq from the view). Pure: no clock, no randomness.
 */
import type { Timings } from './timings.ts';
import type { Flag, Side } from '../tcp/types.ts';
import type { Actor, Level, MoveVerdict, Room, RoomEffect, RoomEvent, ScenarioId } from './model.ts';
import { applyEvent, createRoom, oldestInFlight, pairOfSeat, type ApplyResult } from './room.ts';
import { viewFor } from './view-for.ts';
import { autoFromHints } from './views.ts';

/**
 * A stand-in for the server's token hash (64 hex digits), distinct for every seat id: the id's
 * UTF-16 code units, four hex digits each, padded on the left. (Padding the id itself on the
 * right made s1 and s10 the same hash, and the room refused the second join.)
 */
function fakeTokenHash(seatId: string): string {
  return Array.from({ length: seatId.length }, (_, i) => seatId.charCodeAt(i).toString(16).padStart(4, '0')).join('').padStart(64, '0');
}

export class RoomSim {
  room: Room;
  /** Every accepted event, room/created first: what the server's log would hold. */
  readonly log: RoomEvent[];
  /** Effects of the last accepted event. */
  effects: RoomEffect[] = [];

  constructor(kind: 'class' | 'practice' = 'class', code = 'K7QM2X', timings?: Timings) {
    const created: RoomEvent & { type: 'room/created' } = { type: 'room/created', code, kind, keyHash: 'k'.repeat(64), at: 1_767_225_600_000 };
    if (timings) created.timings = { ...timings };
    this.room = createRoom(created);
    this.log = [created];
  }

  /** Apply an event; keep it in the log when accepted. */
  apply(ev: RoomEvent): ApplyResult {
    const r = applyEvent(this.room, ev);
    if (r.ok) {
      this.room = r.room;
      this.log.push(ev);
      this.effects = r.effects;
    }
    return r;
  }

  /** Apply an event that must be accepted; throws with the refusal otherwise. */
  must(ev: RoomEvent): { effects: RoomEffect[]; verdict?: MoveVerdict } {
    const r = this.apply(ev);
    if (!r.ok) throw new Error(`${ev.type} refused: ${r.code}: ${r.message}`);
    return r.verdict ? { effects: r.effects, verdict: r.verdict } : { effects: r.effects };
  }

  join(seatId: string, nickname: string): void {
    this.must({ type: 'seat/joined', seatId, nickname, tokenHash: fakeTokenHash(seatId) });
  }

  pair(pairId: string, client: string, server: string, by: Actor = 'teacher', isn?: Record<Side, number>): void {
    this.must(isn ? { type: 'pair/formed', pairId, client, server, by, isn } : { type: 'pair/formed', pairId, client, server, by });
  }

  start(scenario: ScenarioId, level: Level = 1, isns?: Record<string, Record<Side, number>>, by: Actor = 'teacher'): void {
    const all = isns ?? Object.fromEntries(this.room.pairs.map((p, i) => [p.id, { client: 100 * (i + 1), server: 1000 * (i + 1) }]));
    this.must({ type: 'round/started', scenario, level, speedBonus: false, isns: all, by });
  }

  /** The move event a level-1 client would send for this seat: numbers from the hints, stateSeq from the view. */
  moveEvent(seatId: string, flags: Flag[], len = 0, overrides: Partial<{ seq: number; ack: number; stateSeq: number }> = {}): RoomEvent & { type: 'move' } {
    const view = viewFor(this.room, { role: 'student', seatId }, []);
    const game = view?.pair?.game;
    const ps = pairOfSeat(this.room, seatId);
    if (!view || !view.pair || !game || !ps) throw new Error(`seat ${seatId} has no game`);
    const auto = (game.hints && autoFromHints(game.hints, flags)) ?? { seq: 0, ack: 0 };
    return {
      type: 'move',
      pairId: view.pair.pairId,
      seatId,
      stateSeq: overrides.stateSeq ?? game.stateSeq,
      segment: { from: ps.side, flags, seq: overrides.seq ?? auto.seq, ack: overrides.ack ?? auto.ack, len },
    };
  }

  /** Play a card as a level-1 client would; returns the result (accepted, with a verdict, or refused). */
  play(seatId: string, flags: Flag[], len = 0, overrides: Partial<{ seq: number; ack: number; stateSeq: number }> = {}): ApplyResult {
    return this.apply(this.moveEvent(seatId, flags, len, overrides));
  }

  /** Deliver the oldest segment in flight in a pair (either direction). */
  deliver(pairId: string): ApplyResult {
    const head = oldestInFlight(this.room, pairId);
    if (!head) throw new Error(`nothing in flight in ${pairId}`);
    return this.apply({ type: 'wire/delivered', pairId, from: head.from, id: head.id });
  }

  /** Deliver everything in flight in a pair, oldest first. */
  deliverAll(pairId: string): void {
    while (oldestInFlight(this.room, pairId)) {
      const r = this.deliver(pairId);
      if (!r.ok) throw new Error(`delivery refused: ${r.code}`);
    }
  }

  state(pairId: string): Record<Side, string> {
    const g = this.room.pairs.find((p) => p.id === pairId)?.game;
    if (!g) throw new Error(`no game in ${pairId}`);
    return { client: g.connection.client.state, server: g.connection.server.state };
  }

  seat(seatId: string) {
    const s = this.room.seats.find((x) => x.id === seatId);
    if (!s) throw new Error(`no seat ${seatId}`);
    return s;
  }
}
