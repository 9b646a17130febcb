/**
 * The speed bonus's clock: per pair, the active time (the round running and both players
 * connected), and per side, the active time at which that side's state last changed. A
 * move's `elapsedMs` is the active time since then: pauses and absences do not count.
 */
import type { Room } from '../shared/game/model.ts';
import type { Side } from '../shared/tcp/types.ts';

export class SpeedClock {
  /** Per pair: active time accumulated, and since when it is running. */
  private readonly active = new Map<string, { total: number; since: number | null }>();
  /** Per pair and side: the active time at which that side's state last changed, and its stateSeq then. */
  private readonly changed = new Map<string, { stateSeq: number; activeAt: number }>();

  constructor(private readonly now: () => number) {}

  /** The pair's clock runs (true) or waits (false). */
  set(pairId: string, running: boolean): void {
    const now = this.now();
    const c = this.active.get(pairId) ?? { total: 0, since: null };
    if (!running && c.since !== null) { c.total += now - c.since; c.since = null; }
    if (running && c.since === null) c.since = now;
    this.active.set(pairId, c);
  }

  private activeNow(pairId: string): number {
    const c = this.active.get(pairId);
    if (!c) return 0;
    return c.total + (c.since === null ? 0 : this.now() - c.since);
  }

  /** After each event: remember when each side's state last changed (of one pair, when only it changed). */
  noteStateChanges(room: Room, pairId?: string): void {
    for (const pair of room.pairs) {
      if (!pair.game || (pairId !== undefined && pair.id !== pairId)) continue;
      for (const side of ['client', 'server'] as const) {
        const key = `${pair.id}:${side}`;
        const seen = this.changed.get(key);
        const stateSeq = pair.game.stateSeq[side];
        if (!seen || seen.stateSeq !== stateSeq) this.changed.set(key, { stateSeq, activeAt: this.activeNow(pair.id) });
      }
    }
  }

  /** How long this side has had to think, in active ms, or null before its game started. */
  elapsedFor(pairId: string, side: Side): number | null {
    const seen = this.changed.get(`${pairId}:${side}`);
    return seen ? Math.max(0, Math.round(this.activeNow(pairId) - seen.activeAt)) : null;
  }
}
