/**
 * Starting and stopping a real server process (`node --import tsx server/main.ts`):
 * SIGTERM leaves the database file complete by itself.
 */
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DB_FILE } from './store.ts';
import { openRoom, student, type TestClient } from './test-client.ts';
import { killChildren, startServerChild, stop } from './test-process.ts';

const dirs: string[] = [];
const clients: TestClient[] = [];
const freshDir = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'synack-start-'));
  dirs.push(d);
  return d;
};
afterEach(async () => { await Promise.all(clients.splice(0).map((c) => c.close())); });
afterAll(() => {
  killChildren();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('a clean stop', () => {
  it('SIGTERM checkpoints the -wal into the database file, even with another process reading it', async () => {
    const dir = freshDir();
    const db = path.join(dir, DB_FILE);
    const srv = await startServerChild(dir);
    const rooms = [await openRoom(srv.url), await openRoom(srv.url), await openRoom(srv.url)];
    for (const [i, r] of rooms.entries()) {
      const s = await student(srv.wsUrl, r.code, `Ada${i}`);
      clients.push(s.c);
    }
    // Another process has the file open (an operator's sqlite3 shell, a backup): SQLite then
    // leaves the -wal as it is when the server's connection closes, unless told to checkpoint.
    const reader = new Database(db, { readonly: true });
    try {
      expect((reader.prepare('SELECT count(*) AS n FROM rooms').get() as { n: number }).n).toBe(3);
      expect(statSync(`${db}-wal`).size).toBeGreaterThan(0);
      const how = await stop(srv, 'SIGTERM');
      expect(how.code).toBe(0);
      expect(srv.stderr()).toBe('');
      expect(statSync(`${db}-wal`).size).toBe(0);
    } finally {
      reader.close();
    }
    // The database file alone, copied somewhere else, holds every room and event.
    const elsewhere = path.join(freshDir(), 'copy');
    mkdirSync(elsewhere);
    copyFileSync(db, path.join(elsewhere, DB_FILE));
    const copy = new Database(path.join(elsewhere, DB_FILE), { readonly: true });
    try {
      const codes = (copy.prepare('SELECT code FROM rooms ORDER BY code').all() as { code: string }[]).map((r) => r.code);
      expect(codes).toEqual(rooms.map((r) => r.code).sort());
      const joined = copy.prepare("SELECT count(*) AS n FROM events WHERE type = 'seat/joined'").get() as { n: number };
      expect(joined.n).toBe(3);
    } finally {
      copy.close();
    }
  }, 30_000);
});
