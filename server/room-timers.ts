/**
 * A room's effects and timers: segments on the wire (delivered or lost after the wire
 * latency), the TCP timers the machine asks for (retransmission, TIME_WAIT), and the pauses
 * that hold a pair's clocks while the round is not running or one of its players is away.
 * The speed-bonus clock pauses with them. What a timer does when it fires is the room's
 * business: it is handed the event to commit.
 */
import type { Room, RoomEffect, RoomEvent } from '../shared/game/model.ts';
import type { Side } from '../shared/tcp/types.ts';
import type { Timings } from '../shared/game/timings.ts';
import { PausableScheduler, type Clock } from './scheduler.ts';
import { SpeedClock } from './speed-clock.ts';

export interface TimerDeps {
  /** The room as committed: pauses and timers follow what is logged. */
  room(): Room;
  /** Whether a seat is here (connected, or a bot). */
  isPresent(seatId: string): boolean;
  /** A delivery, a loss or a timer is due: the room commits it. */
  fire(ev: RoomEvent): void;
  clock: Clock;
  /** The room's timings now (the teacher may change them between rounds). */
  timings(): Timings;
  warn(message: string): void;
}

/** The scheduler key of a segment on the wire. */
export const wireKey = (from: Side, id: number): string => `wire:${from}:${id}`;

export class RoomTimers {
  readonly scheduler: PausableScheduler;
  readonly speed: SpeedClock;

  constructor(private readonly deps: TimerDeps) {
    this.scheduler = new PausableScheduler(deps.clock);
    this.speed = new SpeedClock(() => deps.clock.now());
  }

  /** Run committed events' effects: schedule or cancel deliveries and timers. */
  run(effects: readonly RoomEffect[]): void {
    const { latencyMs, timeWaitMs, rtxMs } = this.deps.timings();
    for (const fx of effects) {
      switch (fx.type) {
        case 'wire/in-flight': {
          const { pairId, from, id } = fx;
          const ev: RoomEvent = fx.lost
            ? { type: 'wire/dropped', pairId, from, id, by: 'server' }
            : { type: 'wire/delivered', pairId, from, id };
          this.scheduler.schedule(pairId, wireKey(from, id), latencyMs, () => this.deps.fire(ev));
          break;
        }
        case 'wire/cancel':
          this.scheduler.cancel(fx.pairId, wireKey(fx.from, fx.id));
          break;
        case 'tcp': {
          const { side, timer } = fx.effect;
          const key = `timer:${side}:${timer}`;
          if (fx.effect.type === 'timer-start') {
            const ms = timer === 'time-wait' ? timeWaitMs : rtxMs;
            this.scheduler.schedule(fx.pairId, key, ms, () => this.deps.fire({ type: 'timer/fired', pairId: fx.pairId, side, timer }));
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
          this.deps.warn(`unknown effect ${JSON.stringify(never)}`);
        }
      }
    }
  }

  /** A delivery that could not happen yet (one sent before it is still on the wire) tries again after the latency. */
  retryDelivery(ev: Extract<RoomEvent, { type: 'wire/delivered' }>): void {
    this.scheduler.schedule(ev.pairId, wireKey(ev.from, ev.id), this.deps.timings().latencyMs, () => this.deps.fire(ev));
  }

  /** Whether a pair's clocks must wait: the round is not running, or one of its players is away. */
  blocked(pairId: string): boolean {
    const room = this.deps.room();
    if (room.round.status !== 'running') return true;
    const pair = room.pairs.find((p) => p.id === pairId);
    if (!pair) return true;
    return !this.deps.isPresent(pair.seats.client) || !this.deps.isPresent(pair.seats.server);
  }

  /** Pause or resume the clocks of these pairs (default: every pair, and every group with a task) to match the round and who is connected. */
  syncPauses(only?: ReadonlySet<string>): void {
    const groups = only ?? new Set([...this.deps.room().pairs.map((p) => p.id), ...this.scheduler.pending().map((t) => t.group)]);
    for (const pairId of groups) {
      const blocked = this.blocked(pairId);
      if (blocked) this.scheduler.pause(pairId);
      else this.scheduler.resume(pairId);
      this.speed.set(pairId, !blocked);
    }
  }

  /** Stop everything (the room is closing). */
  clear(): void {
    this.scheduler.clear();
  }
}
