/**
 * Pausable timers, grouped by pair. A pair's wire deliveries and TCP timers wait while the
 * round is paused or one of its players is away, keeping their remaining time, and resume
 * after. The clock is injected so tests can drive time (or just use short delays).
 */

/** The time source and timer primitive the server uses; tests may pass a fake. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

interface Task {
  group: string;
  key: string;
  run: () => void;
  /** Remaining time while paused; while running, the time it is due. */
  remaining: number;
  dueAt: number;
  handle: unknown;
}

/** Timers keyed by (group, key); a group can be paused and resumed as a whole. */
export class PausableScheduler {
  private readonly tasks = new Map<string, Task>();
  private readonly paused = new Set<string>();

  constructor(private readonly clock: Clock) {}

  /** Schedule `run` after `ms` (replacing a task with the same group and key). Waits if the group is paused. */
  schedule(group: string, key: string, ms: number, run: () => void): void {
    this.cancel(group, key);
    const id = `${group}\u0000${key}`;
    const task: Task = { group, key, run, remaining: Math.max(0, ms), dueAt: 0, handle: null };
    this.tasks.set(id, task);
    if (!this.paused.has(group)) this.arm(id, task);
  }

  /** Whether a task with this group and key is waiting to run. */
  has(group: string, key: string): boolean {
    return this.tasks.has(`${group}\u0000${key}`);
  }

  /** Cancel one task; true if there was one. */
  cancel(group: string, key: string): boolean {
    const id = `${group}\u0000${key}`;
    const task = this.tasks.get(id);
    if (!task) return false;
    if (task.handle !== null) this.clock.clearTimeout(task.handle);
    this.tasks.delete(id);
    return true;
  }

  /** Cancel every task of a group. */
  cancelGroup(group: string): void {
    for (const t of [...this.tasks.values()]) if (t.group === group) this.cancel(t.group, t.key);
  }

  /** Stop a group's clocks, keeping each task's remaining time. Idempotent. */
  pause(group: string): void {
    if (this.paused.has(group)) return;
    this.paused.add(group);
    const now = this.clock.now();
    for (const t of this.tasks.values()) {
      if (t.group !== group || t.handle === null) continue;
      this.clock.clearTimeout(t.handle);
      t.handle = null;
      t.remaining = Math.max(0, t.dueAt - now);
    }
  }

  /** Restart a paused group's clocks with their remaining time. Idempotent. */
  resume(group: string): void {
    if (!this.paused.delete(group)) return;
    // Arm soonest first (a stable sort keeps scheduling order for equal remainders), so
    // segments in flight in one direction still arrive in the order they were sent.
    const waiting = [...this.tasks].filter(([, t]) => t.group === group && t.handle === null);
    waiting.sort((a, b) => a[1].remaining - b[1].remaining);
    for (const [id, t] of waiting) this.arm(id, t);
  }

  /** The tasks of a group, for tests and diagnostics: key, remaining ms, paused? */
  pending(group?: string): { group: string; key: string; remaining: number; paused: boolean }[] {
    const now = this.clock.now();
    return [...this.tasks.values()]
      .filter((t) => group === undefined || t.group === group)
      .map((t) => ({
        group: t.group, key: t.key, paused: t.handle === null,
        remaining: t.handle === null ? t.remaining : Math.max(0, t.dueAt - now),
      }));
  }

  /** Cancel everything (shutdown). */
  clear(): void {
    for (const t of this.tasks.values()) if (t.handle !== null) this.clock.clearTimeout(t.handle);
    this.tasks.clear();
    this.paused.clear();
  }

  private arm(id: string, task: Task): void {
    task.dueAt = this.clock.now() + task.remaining;
    task.handle = this.clock.setTimeout(() => {
      if (this.tasks.get(id) !== task) return;
      this.tasks.delete(id);
      task.run();
    }, task.remaining);
  }
}
