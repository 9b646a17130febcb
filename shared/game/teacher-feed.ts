/**
 * The teacher's feed: a full view once (the welcome), then `teacher/update` messages that
 * carry only what changed since the last one — whole entries of the pairs and seats that
 * changed, the order of pair or seat ids when it changed (a pair or seat added or removed),
 * and the whole value of each other top-level field that changed.
 *
 * `TeacherFeed` (one per teacher connection, on the server) computes the updates;
 * `applyTeacherUpdate` (in every teacher client) folds them into the view it holds. For any
 * views v0, v1, …, vk, applying the updates of v1 … vk in turn to v0 gives a view equal to vk.
 *
 * Pure and zod-free (the browser imports it): only types come from the schemas.
 */
import type { TeacherUpdate } from '../protocol.ts';
import type { TeacherPair, TeacherSeat, TeacherView } from './views.ts';

/** The top-level fields an update replaces whole when they changed (`set`). */
export const TEACHER_SET_FIELDS = ['room', 'round', 'unpaired', 'leaderboard', 'pairLeaderboard', 'mistakes', 'commonMistakes'] as const;
export type TeacherSetField = (typeof TEACHER_SET_FIELDS)[number];

/**
 * JSON of view parts, kept per object: `viewFor` gives an unchanged pair or seat the same
 * object as last time (view-for.ts), so each is serialised once, to compare and to send,
 * however many pushes and teacher connections see it. Views are never changed in place.
 */
const jsonCache = new WeakMap<object, string>();
function jsonOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  let s = jsonCache.get(value);
  if (s === undefined) {
    s = JSON.stringify(value);
    jsonCache.set(value, s);
  }
  return s;
}

/** Equal as JSON, by identity first (the usual case: an unchanged part is the same object). */
const same = (a: unknown, b: unknown): boolean => a === b || jsonOf(a) === jsonOf(b);

const sameOrder = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((id, i) => id === b[i]);

/** The entries of `next` that are new or differ from `prev`'s entry of the same id, and the id order when it changed. */
function changedEntries<T extends object>(prev: readonly T[] | null, next: readonly T[], id: (e: T) => string): { changed: T[]; order: string[] | null } {
  const before = new Map<string, T>();
  for (const e of prev ?? []) before.set(id(e), e);
  const changed: T[] = [];
  for (const e of next) {
    const old = before.get(id(e));
    if (old === undefined || !same(old, e)) changed.push(e);
  }
  const order = next.map(id);
  return { changed, order: prev && sameOrder(prev.map(id), order) ? null : order };
}

const pairIdOf = (p: TeacherPair) => p.pairId;
const seatIdOf = (s: TeacherSeat) => s.seatId;

/** One teacher connection's feed: what it was last sent, and the update that brings it to a new view. */
export class TeacherFeed {
  private last: TeacherView | null = null;

  /** Record the view the connection was sent whole (its welcome). */
  snapshot(view: TeacherView): void {
    this.last = view;
  }

  /**
   * The update from the last view sent to `view`, or null when nothing changed; `view` is then
   * the last one sent. Before any snapshot, every part counts as changed (the update alone
   * gives the whole view).
   */
  update(view: TeacherView, seq: number): TeacherUpdate | null {
    const prev = this.last;
    this.last = view;
    const u: TeacherUpdate = { type: 'teacher/update', seq };
    let empty = true;
    const pairs = changedEntries(prev?.pairs ?? null, view.pairs, pairIdOf);
    if (pairs.changed.length > 0) { u.pairs = pairs.changed; empty = false; }
    if (pairs.order) { u.pairOrder = pairs.order; empty = false; }
    const seats = changedEntries(prev?.seats ?? null, view.seats, seatIdOf);
    if (seats.changed.length > 0) { u.seats = seats.changed; empty = false; }
    if (seats.order) { u.seatOrder = seats.order; empty = false; }
    let set: Partial<Pick<TeacherView, TeacherSetField>> | null = null;
    for (const f of TEACHER_SET_FIELDS) {
      if (prev && same(prev[f], view[f])) continue;
      set ??= {};
      (set as Record<TeacherSetField, unknown>)[f] = view[f];
    }
    if (set) { u.set = set; empty = false; }
    return empty ? null : u;
  }

  /**
   * `update` as the text to send, or null. The same text as JSON.stringify of the update, but
   * each pair and seat entry is serialised once for all pushes and connections (see jsonOf).
   */
  updateText(view: TeacherView, seq: number): string | null {
    const u = this.update(view, seq);
    return u ? teacherUpdateText(u) : null;
  }
}

/** JSON text of an update, reusing the entries' cached JSON (equal to JSON.stringify(u)). */
export function teacherUpdateText(u: TeacherUpdate): string {
  let s = `{"type":"teacher/update","seq":${JSON.stringify(u.seq)}`;
  if (u.pairs) s += `,"pairs":[${u.pairs.map(jsonOf).join(',')}]`;
  if (u.pairOrder) s += `,"pairOrder":${JSON.stringify(u.pairOrder)}`;
  if (u.seats) s += `,"seats":[${u.seats.map(jsonOf).join(',')}]`;
  if (u.seatOrder) s += `,"seatOrder":${JSON.stringify(u.seatOrder)}`;
  if (u.set) {
    const parts: string[] = [];
    for (const f of TEACHER_SET_FIELDS) {
      const v = u.set[f];
      if (v !== undefined) parts.push(`${JSON.stringify(f)}:${jsonOf(v)}`);
    }
    s += `,"set":{${parts.join(',')}}`;
  }
  return `${s}}`;
}

/** Entries of `current` with the changed ones replaced (or added), in `order` when given. */
function mergeEntries<T>(current: readonly T[], changed: readonly T[] | undefined, order: readonly string[] | undefined, id: (e: T) => string): T[] {
  if (!changed && !order) return current as T[];
  const byId = new Map<string, T>();
  for (const e of current) byId.set(id(e), e);
  for (const e of changed ?? []) byId.set(id(e), e);
  const out: T[] = [];
  for (const key of order ?? current.map(id)) {
    const e = byId.get(key);
    // An id with no entry cannot come from TeacherFeed; it is left out rather than invented.
    if (e !== undefined) out.push(e);
  }
  return out;
}

/** The view a teacher client holds after an update: a new object; unchanged parts are shared, nothing is changed in place. */
export function applyTeacherUpdate(view: TeacherView, u: TeacherUpdate): TeacherView {
  const next: TeacherView = {
    ...view,
    pairs: mergeEntries(view.pairs, u.pairs, u.pairOrder, pairIdOf),
    seats: mergeEntries(view.seats, u.seats, u.seatOrder, seatIdOf),
  };
  if (u.set) {
    for (const f of TEACHER_SET_FIELDS) {
      const v = u.set[f];
      if (v !== undefined) (next as Record<TeacherSetField, unknown>)[f] = v;
    }
  }
  return next;
}
