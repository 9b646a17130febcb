/**
 * `npm run backup -- DEST` as a real process against a store a running server process has
 * open: the copy holds what is still only in the server's -wal, is one file complete by
 * itself, and restores (a server started on a directory holding only the copy has the
 * rooms); the server carries on meanwhile. A damaged store is not "backed up".
 */
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DB_FILE } from './store.ts';
import { openRoom, student, type TestClient } from './test-client.ts';
import { garbleMiddleOfRoomB, killChildren, lines, seedPagedStore, spawnChild, startServerChild, stop } from './test-process.ts';

const dirs: string[] = [];
const clients: TestClient[] = [];
const freshDir = (): string => {
  const d = mkdtempSync(path.join(tmpdir(), 'synack-backup-'));
  dirs.push(d);
  return d;
};
afterEach(async () => { await Promise.all(clients.splice(0).map((c) => c.close())); });
afterAll(() => {
  killChildren();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** `npm run --silent backup -- ...args` with DATA_DIR; its exit code and output. */
async function backup(dataDir: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnChild('npm', ['run', '--silent', 'backup', '--', ...args], { DATA_DIR: dataDir });
  const { code } = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

describe('npm run backup', () => {
  it('copies a running server\'s store, -wal included, into one file that restores', async () => {
    const dataDir = freshDir();
    const srv = await startServerChild(dataDir);
    try {
      const rooms = [await openRoom(srv.url), await openRoom(srv.url), await openRoom(srv.url)];
      for (const [i, r] of rooms.entries()) clients.push((await student(srv.wsUrl, r.code, `Ada${i}`)).c);
      // What the server wrote is still in its -wal: a copy of the database file alone would miss it.
      expect(statSync(path.join(dataDir, `${DB_FILE}-wal`)).size).toBeGreaterThan(0);
      const logged = await Promise.all(rooms.map(async (r) => {
        const res = await fetch(`${srv.url}/api/rooms/${r.code}/log`, { headers: { authorization: `Bearer ${r.key}` } });
        return ((await res.json()) as { events: unknown[] }).events.length;
      }));
      const total = logged.reduce((a, b) => a + b, 0);

      const out = freshDir();
      const dest = path.join(out, 'class.sqlite');
      const r = await backup(dataDir, dest);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(lines(r.stdout)).toEqual([`backed up 3 room(s) and ${total} logged event(s) from ${path.join(dataDir, DB_FILE)} to ${dest}`]);
      // One file, nothing beside it, complete by itself.
      expect(readdirSync(out)).toEqual(['class.sqlite']);
      const copy = new Database(dest, { readonly: true });
      try {
        expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
        expect(copy.pragma('quick_check', { simple: true })).toBe('ok');
        const counts = copy.prepare('SELECT room_code AS code, count(*) AS n FROM events GROUP BY room_code').all() as { code: string; n: number }[];
        expect(Object.fromEntries(counts.map((c) => [c.code, c.n]))).toEqual(Object.fromEntries(rooms.map((x, i) => [x.code, logged[i]])));
      } finally {
        copy.close();
      }

      // The server was not disturbed: it still writes and is healthy.
      expect((await openRoom(srv.url)).code).toMatch(/^[2-9A-Z]{6}$/);
      expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);

      // Restore as the README says: a DATA_DIR holding only the copy, named synack.sqlite.
      const restored = freshDir();
      copyFileSync(dest, path.join(restored, DB_FILE));
      const again = await startServerChild(restored);
      try {
        expect(again.stdout()).toContain('recovered 3 open room(s)');
        for (const x of rooms) expect(await (await fetch(`${again.url}/api/rooms/${x.code}`)).json()).toMatchObject({ code: x.code, open: true });
      } finally {
        await stop(again);
      }
    } finally {
      await stop(srv);
    }
  }, 60_000);

  it('puts synack.sqlite into a directory; says how to call it; fails in one line without a database', async () => {
    const dataDir = freshDir();
    seedPagedStore(dataDir);
    const out = freshDir();
    const r = await backup(dataDir, out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`to ${path.join(out, DB_FILE)}`);
    expect(existsSync(path.join(out, DB_FILE))).toBe(true);

    const usage = await backup(dataDir);
    expect(usage.code).toBe(2);
    expect(lines(usage.stderr)).toEqual([expect.stringMatching(/^usage: npm run --silent backup -- DEST/)]);

    const empty = freshDir();
    const none = await backup(empty, path.join(out, 'x.sqlite'));
    expect(none.code).toBe(1);
    expect(lines(none.stderr)).toEqual([`backup failed: there is no database at ${path.join(empty, DB_FILE)} (DATA_DIR=${empty})`]);
  }, 30_000);

  it('refuses to call a damaged store a backup, and leaves DEST alone', async () => {
    const dataDir = freshDir();
    seedPagedStore(dataDir);
    garbleMiddleOfRoomB(dataDir);
    const out = freshDir();
    mkdirSync(path.join(out, 'keep'));
    const r = await backup(dataDir, path.join(out, 'keep'));
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toEqual([expect.stringMatching(/^backup failed: the copy fails quick_check \(.+\): .+ is damaged; keep your older backups$/)]);
    expect(readdirSync(path.join(out, 'keep'))).toEqual([]);
  }, 30_000);
});
