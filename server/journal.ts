/**
 * Group commit: the log rows that the rooms append during one turn of the event loop are
 * written in one transaction (one fsync), and only then is each room told its rows are
 * committed, in the order they were appended. A room sends nothing about an event (no
 * answer, no view, no timer) before that, so "logged before acknowledged" holds for every
 * row, while a busy server pays one commit per turn instead of one per event.
 *
 * When the transaction fails, each room's rows are tried again in a transaction of their
 * own, so a room whose rows cannot be written (a seq that collides) does not take the other
 * rooms' rows down with it; the rooms whose rows still fail are told so and roll back.
 */
import type { EventStore, StoredEvent } from './store.ts';

/** How a room hears about its rows: null once committed, else why they were not. */
export type Committed = (failure: Error | null) => void;

interface Pending { code: string; row: StoredEvent; done: Committed }

/** The process's log writer, shared by every room. */
export class Journal {
  private queue: Pending[] = [];
  private scheduled = false;
  /** Transactions and rows written, for the benchmarks. */
  readonly stats = { commits: 0, rows: 0 };

  constructor(private readonly store: EventStore) {}

  /** Rows waiting for the next commit. */
  get pending(): number {
    return this.queue.length;
  }

  /**
   * Queue a row for the next commit (at the end of this turn of the event loop). `done`
   * runs once it is committed or failed, after the rows queued before it.
   */
  append(code: string, row: StoredEvent, done: Committed): void {
    this.queue.push({ code, row, done });
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate: after every frame read in this turn has been handled, so they share the commit.
    setImmediate(() => this.flush());
  }

  /** Commit what is queued now (the server's shutdown, a row that must be written at once). */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const failures = this.write(batch);
    for (const p of batch) {
      try {
        p.done(failures.get(p.code) ?? null);
      } catch {
        // A room's continuation must not stop the others hearing about theirs (rooms catch their own).
      }
    }
  }

  /** Write a batch; the rooms whose rows could not be written, with why. */
  private write(batch: readonly Pending[]): Map<string, Error> {
    const failures = new Map<string, Error>();
    try {
      this.store.appendEvents(batch.map((p) => ({ code: p.code, row: p.row })));
      this.stats.commits++;
      this.stats.rows += batch.length;
      return failures;
    } catch (e) {
      if (new Set(batch.map((p) => p.code)).size === 1) {
        failures.set(batch[0]!.code, asError(e));
        return failures;
      }
    }
    // One room at a time, so one room's bad row fails only that room.
    const byRoom = new Map<string, StoredEvent[]>();
    for (const p of batch) {
      const rows = byRoom.get(p.code) ?? [];
      rows.push(p.row);
      byRoom.set(p.code, rows);
    }
    for (const [code, rows] of byRoom) {
      try {
        this.store.appendEvents(rows.map((row) => ({ code, row })));
        this.stats.commits++;
        this.stats.rows += rows.length;
      } catch (e) {
        failures.set(code, asError(e));
      }
    }
    return failures;
  }
}

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));
