/**
 * The bots of a room. After every change each bot that has a correct move to make (the
 * oracle, from what its own endpoint knows) gets it scheduled after a human-like pause; one
 * with nothing to send has nothing scheduled. The move itself is the seat's command, decided
 * and committed like a player's. Its task lives in the pair's scheduler group, so it waits
 * while the round is paused or the human partner is away, and it is cancelled with the
 * pair's timers.
 */
import type { Room } from '../shared/game/model.ts';
import type { RoomCommand } from '../shared/game/decide.ts';
import { oracleMoves } from '../shared/game/oracle.ts';
import { SCENARIOS } from '../shared/game/scenarios.ts';
import { peerOf } from '../shared/tcp/machine.ts';
import type { Side } from '../shared/tcp/types.ts';
import type { RoomTimers } from './room-timers.ts';

export interface BotDeps {
  /** The room as committed. */
  room(): Room;
  /** The bot seats (not removed). */
  bots(): ReadonlySet<string>;
  timers: RoomTimers;
  /** Play a seat's command (decide → commit); resolves with why it was refused, or null. */
  play(seatId: string, msg: RoomCommand): Promise<string | null> | string | null;
  random(): number;
  botThinkMs: number;
  warn(message: string): void;
}

export class BotDriver {
  /** Per bot (pair:side): the state its scheduled move was planned for, so an unrelated event does not postpone it. */
  private readonly plans = new Map<string, string>();

  constructor(private readonly deps: BotDeps) {}

  /** After every committed change: schedule (or cancel) each bot's next move. */
  drive(): void {
    const { room: roomOf, bots: botsOf, timers } = this.deps;
    const bots = botsOf();
    if (bots.size === 0) return;
    const room = roomOf();
    const scheduler = timers.scheduler;
    const opensTogether = SCENARIOS[room.round.scenario].firstMover === 'both';
    for (const pair of room.pairs) {
      const game = pair.game;
      for (const side of ['client', 'server'] as const) {
        if (!bots.has(pair.seats[side])) continue;
        const key = `bot:${side}`;
        const memo = `${pair.id}:${side}`;
        const first = game && !game.finished && room.round.status !== 'ended' ? oracleMoves(game, room.round.scenario, side)[0] : undefined;
        if (!game || first?.kind !== 'send') {
          scheduler.cancel(pair.id, key);
          this.plans.delete(memo);
          continue;
        }
        let plan = String(game.stateSeq[side]);
        let delay = this.think();
        const peer = peerOf(side);
        const sentBy = (s: Side) => game.history.some((e) => e.kind === 'sent' && e.segment.segment.from === s);
        if (opensTogether && !sentBy(side)) {
          // Simultaneous open or close: the two segments must cross on the wire. Once the
          // partner's has left, the bot's goes at once, before any delivery can run (a
          // microtask runs before the next timer callback), however slow the machine is. Until
          // then a bot paired with a bot opens after its pause, and one paired with a person
          // waits for them (and goes first after a long pause, so nobody waits for ever).
          if (sentBy(peer)) {
            if (this.plans.get(memo) === `${plan}:crossing`) continue;
            this.plans.set(memo, `${plan}:crossing`);
            scheduler.cancel(pair.id, key);
            queueMicrotask(() => this.move(pair.id, side));
            continue;
          }
          if (!bots.has(pair.seats[peer])) delay = 4 * this.deps.botThinkMs;
          plan += ':opening';
        }
        if (this.plans.get(memo) === plan && scheduler.has(pair.id, key)) continue;
        this.plans.set(memo, plan);
        scheduler.schedule(pair.id, key, delay, () => this.move(pair.id, side));
      }
    }
  }

  private think(): number {
    return Math.round(this.deps.botThinkMs * (0.7 + 0.6 * this.deps.random()));
  }

  /** A bot's turn: the oracle's first move for the state it is in now, as that seat's move. */
  private move(pairId: string, side: Side): void {
    const { warn } = this.deps;
    const said = (why: string | null) => { if (why !== null) warn(`the bot of ${pairId} (${side}) could not move: ${why}`); };
    // Runs from a timer: nothing thrown here may reach the event loop.
    try {
      this.plans.delete(`${pairId}:${side}`);
      const room = this.deps.room();
      const pair = room.pairs.find((p) => p.id === pairId);
      const game = pair?.game;
      // (A crossing move runs outside the scheduler: it must not play into a paused pair.)
      if (!pair || !game || this.deps.timers.blocked(pairId)) return;
      const first = oracleMoves(game, room.round.scenario, side)[0];
      if (first?.kind !== 'send') return;
      const { flags, seq, ack, len } = first.segment;
      const r = this.deps.play(pair.seats[side], { type: 'move', stateSeq: game.stateSeq[side], segment: { flags: [...flags], seq, ack, len } });
      if (r instanceof Promise) r.then(said, (e: unknown) => said(String(e)));
      else said(r);
    } catch (e) {
      warn(`the bot of ${pairId} (${side}) failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
