/**
 * What this browser remembers about rooms: the seat tokens it joined with (to resume after
 * a reload or a dropped network) and the room keys it holds (to reopen a class or a
 * practice room). Both stay on this device only.
 */
import { storage } from '../lib/storage.ts';

/** `removed`: the teacher removed this seat; the browser says so instead of offering a fresh seat. */
export interface StoredSeat { token: string; seatId: string; nickname: string; lastSeq: number; removed?: boolean }
export interface StoredKey { key: string; kind: 'class' | 'practice'; createdAt: number }

const SEATS = 'synack.seats';
const KEYS = 'synack.keys';

function read<T>(name: string): Record<string, T> {
  try {
    const v = JSON.parse(storage.get(name) ?? '{}') as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, T>) : {};
  } catch {
    return {};
  }
}
const write = <T,>(name: string, value: Record<string, T>) => storage.set(name, JSON.stringify(value));

export const seats = {
  get: (code: string): StoredSeat | undefined => read<StoredSeat>(SEATS)[code],
  all: (): Record<string, StoredSeat> => read<StoredSeat>(SEATS),
  set(code: string, seat: StoredSeat): void { write(SEATS, { ...read<StoredSeat>(SEATS), [code]: seat }); },
  /** Remember the last event seen, for `resume`. */
  seen(code: string, seq: number): void {
    const all = read<StoredSeat>(SEATS);
    const s = all[code];
    if (s && seq > s.lastSeq) write(SEATS, { ...all, [code]: { ...s, lastSeq: seq } });
  },
  forget(code: string): void {
    const all = read<StoredSeat>(SEATS);
    delete all[code];
    write(SEATS, all);
  },
  /** The teacher removed this seat: keep the memory of it (without the token), to say so. */
  markRemoved(code: string): void {
    const all = read<StoredSeat>(SEATS);
    const s = all[code];
    if (s) write(SEATS, { ...all, [code]: { ...s, token: '', removed: true } });
  },
};

export const keys = {
  get: (code: string): StoredKey | undefined => read<StoredKey>(KEYS)[code],
  all: (): Record<string, StoredKey> => read<StoredKey>(KEYS),
  set(code: string, k: StoredKey): void { write(KEYS, { ...read<StoredKey>(KEYS), [code]: k }); },
  forget(code: string): void {
    const all = read<StoredKey>(KEYS);
    delete all[code];
    write(KEYS, all);
  },
};
