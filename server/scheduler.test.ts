import { describe, expect, it } from 'vitest';
import { PausableScheduler, type Clock } from './scheduler.ts';

/** A manual clock: time moves only when the test says so. */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void; order: number }>();
  return {
    now: () => now,
    setTimeout: (fn, ms) => { const id = nextId++; timers.set(id, { at: now + ms, fn, order: id }); return id; },
    clearTimeout: (h) => { timers.delete(h as number); },
    advance(ms) {
      const end = now + ms;
      for (let guard = 0; guard < 10_000; guard++) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at || a[1].order - b[1].order)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
  };
}

describe('pausable scheduler', () => {
  it('runs tasks when due, replaces a task with the same key, and cancels', () => {
    const clock = manualClock();
    const s = new PausableScheduler(clock);
    const ran: string[] = [];
    s.schedule('p1', 'a', 100, () => ran.push('a'));
    s.schedule('p1', 'b', 50, () => ran.push('b'));
    s.schedule('p1', 'b', 150, () => ran.push('b2'));
    s.schedule('p2', 'c', 10, () => ran.push('c'));
    s.cancel('p2', 'c');
    clock.advance(120);
    expect(ran).toEqual(['a']);
    clock.advance(100);
    expect(ran).toEqual(['a', 'b2']);
  });

  it('keeps the remaining time of a paused group and does not touch other groups', () => {
    const clock = manualClock();
    const s = new PausableScheduler(clock);
    const ran: string[] = [];
    s.schedule('p1', 'x', 100, () => ran.push('x'));
    s.schedule('p2', 'y', 100, () => ran.push('y'));
    clock.advance(60);
    s.pause('p1');
    expect(s.pending('p1')).toEqual([{ group: 'p1', key: 'x', remaining: 40, paused: true }]);
    clock.advance(1000);
    expect(ran).toEqual(['y']);
    s.schedule('p1', 'z', 10, () => ran.push('z')); // scheduled while paused: waits too
    s.resume('p1');
    clock.advance(39);
    expect(ran).toEqual(['y', 'z']);
    clock.advance(1);
    expect(ran).toEqual(['y', 'z', 'x']);
  });

  it('keeps sending order for equal remainders after a resume, and cancelGroup empties a group', () => {
    const clock = manualClock();
    const s = new PausableScheduler(clock);
    const ran: string[] = [];
    s.pause('p1');
    for (const k of ['1', '2', '3']) s.schedule('p1', k, 100, () => ran.push(k));
    s.resume('p1');
    clock.advance(100);
    expect(ran).toEqual(['1', '2', '3']);
    s.schedule('p1', 'q', 5, () => ran.push('q'));
    s.cancelGroup('p1');
    clock.advance(10);
    expect(ran).toEqual(['1', '2', '3']);
  });
});
