import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openSqliteStore, type EventStore } from './store.ts';

const dirs: string[] = [];
const stores: EventStore[] = [];
function fresh(): { dir: string; store: EventStore } {
  const dir = mkdtempSync(path.join(tmpdir(), 'synack-store-'));
  dirs.push(dir);
  const store = openSqliteStore(path.join(dir, 'nested', 'data'));
  stores.push(store);
  return { dir, store };
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('sqlite store', () => {
  it('creates the data directory, a room and its first event, and refuses a taken code', () => {
    const { store } = fresh();
    const created = { type: 'room/created', code: 'ABCDEF', kind: 'class', keyHash: 'h1', at: 5 } as const;
    expect(store.createRoom({ code: 'ABCDEF', kind: 'class', keyHash: 'h1', createdAt: 5, closed: false }, { seq: 1, at: 5, actor: 'teacher', event: created })).toBe(true);
    expect(store.createRoom({ code: 'ABCDEF', kind: 'practice', keyHash: 'h2', createdAt: 6, closed: false }, { seq: 1, at: 6, actor: 'teacher', event: created })).toBe(false);
    expect(store.room('ABCDEF')).toEqual({ code: 'ABCDEF', kind: 'class', keyHash: 'h1', createdAt: 5, closed: false });
    expect(store.eventsOf('ABCDEF')).toEqual([{ seq: 1, at: 5, actor: 'teacher', event: created }]);
  });

  it('appends in order, refuses a reused seq, lists by key hash and keeps closed rooms out of openRooms', () => {
    const { store } = fresh();
    for (const [code, hash] of [['AAAAAA', 'k1'], ['BBBBBB', 'k2'], ['CCCCCC', 'k1']] as const) {
      store.createRoom({ code, kind: 'class', keyHash: hash, createdAt: 1, closed: false },
        { seq: 1, at: 1, actor: 'teacher', event: { type: 'room/created', code, kind: 'class', keyHash: hash, at: 1 } });
    }
    store.appendEvent('AAAAAA', { seq: 2, at: 2, actor: 'seat:s1', event: { type: 'seat/joined', seatId: 's1', nickname: 'Ann', tokenHash: 't' } });
    store.appendEvent('AAAAAA', { seq: 3, at: 3, actor: 'server', event: { type: 'round/paused', by: 'teacher' } });
    expect(() => store.appendEvent('AAAAAA', { seq: 3, at: 3, actor: 'server', event: { type: 'round/resumed', by: 'teacher' } })).toThrow();
    expect(store.eventsOf('AAAAAA').map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(store.eventsOf('AAAAAA', 2).map((e) => e.event.type)).toEqual(['round/paused']);
    expect(store.roomsByKeyHash(['k1']).map((r) => r.code).sort()).toEqual(['AAAAAA', 'CCCCCC']);
    expect(store.roomsByKeyHash([])).toEqual([]);
    store.markClosed('BBBBBB');
    expect(store.openRooms().map((r) => r.code)).toEqual(['AAAAAA', 'CCCCCC']);
  });

  it('keeps what was appended across a reopen', () => {
    const { dir, store } = fresh();
    store.createRoom({ code: 'DDDDDD', kind: 'practice', keyHash: 'k', createdAt: 1, closed: false },
      { seq: 1, at: 1, actor: 'teacher', event: { type: 'room/created', code: 'DDDDDD', kind: 'practice', keyHash: 'k', at: 1 } });
    store.close();
    const again = openSqliteStore(path.join(dir, 'nested', 'data'));
    stores.push(again);
    expect(again.eventsOf('DDDDDD')).toHaveLength(1);
    expect(again.openRooms()).toHaveLength(1);
  });
});
