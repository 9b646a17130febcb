/**
 * Starting and stopping a real server process (`node --import tsx server/main.ts`): a
 * start that cannot happen — damaged data files, a busy port — prints one line saying why
 * and what to do and exits 1, touching nothing; START_DAMAGED starts anyway past damaged
 * pages and lists the rooms it skipped; SIGTERM leaves the database file complete by
 * itself; and an error on the running server is logged, not fatal.
 */
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from './server.ts';
import { DB_FILE } from './store.ts';
import { connect, openRoom, student, type TestClient } from './test-client.ts';
import {
  garble, garbleMiddleOfRoomB, killChildren, lines, runServerToExit, seedPagedStore, startServerChild, stop,
} from './test-process.ts';

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

/** Three rooms opened on a real server, one with a student; then the server stops with `signal`. */
async function seedBySignal(signal: 'SIGKILL' | 'SIGTERM'): Promise<{ dir: string; db: string; codes: string[] }> {
  const dir = freshDir();
  const srv = await startServerChild(dir);
  const rooms = [await openRoom(srv.url), await openRoom(srv.url), await openRoom(srv.url)];
  const s = await student(srv.wsUrl, rooms[0]!.code, 'Ada');
  await s.c.close();
  const how = await stop(srv, signal);
  expect(signal === 'SIGKILL' ? how.signal : how.code).toBe(signal === 'SIGKILL' ? 'SIGKILL' : 0);
  return { dir, db: path.join(dir, DB_FILE), codes: rooms.map((r) => r.code) };
}

/** A fingerprint of the data files, to show a refused start changed none of them. */
function fingerprint(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`]) {
    const p = path.join(dir, f);
    out[f] = existsSync(p) ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'absent';
  }
  return out;
}

describe('a start that cannot happen', () => {
  it('a busy port: one line naming the port and what to do, exit 1', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runServerToExit(freshDir(), { PORT: String(port) });
      expect(r.listened).toBe(false);
      expect(r.code).toBe(1);
      expect(lines(r.stderr)).toEqual([`port ${port} is already in use (EADDRINUSE): stop the other server or set PORT`]);
      expect(r.stdout).toBe('');
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  }, 30_000);

  // Each case is damage measured to start the old server "normally" with rooms gone (or,
  // for a garbled header, to end it with a stack trace). After a SIGKILL the rooms live
  // in the -wal only; after SIGTERM in the database file only.
  const cases: { name: string; seed: 'SIGKILL' | 'SIGTERM' | 'paged'; damage: (db: string, dir: string) => void; file: string; says: RegExp }[] = [
    {
      name: 'the database header is garbled', seed: 'SIGTERM', file: DB_FILE,
      damage: (db) => garble(db, 0, 16),
      says: /SQLite cannot open it: file is not a database \(SQLITE_NOTADB\)/,
    },
    {
      name: 'the database is truncated to 0 bytes while its -wal holds the rooms', seed: 'SIGKILL', file: DB_FILE,
      damage: (db) => truncateSync(db, 0),
      says: /it is empty \(0 bytes\) while synack\.sqlite-wal holds \d+ bytes, which SQLite would delete on opening it/,
    },
    {
      name: 'a page in the middle of one room\'s log is garbled', seed: 'paged', file: DB_FILE,
      damage: (_db, dir) => { garbleMiddleOfRoomB(dir); },
      says: /quick_check found: .+, or start anyway with START_DAMAGED=1 \(or --start-damaged\)/,
    },
    {
      name: 'the -wal header is garbled', seed: 'SIGKILL', file: `${DB_FILE}-wal`,
      damage: (db) => garble(`${db}-wal`, 0, 32),
      says: /its header is garbled, so SQLite would ignore the \d+ bytes it holds/,
    },
    {
      name: 'a frame of the -wal is garbled', seed: 'SIGKILL', file: `${DB_FILE}-wal`,
      // Inside the second frame's page: the checksums stop there.
      damage: (db) => garble(`${db}-wal`, 32 + (24 + 4096) + 24 + 100, 64),
      says: /it is cut short or garbled: synack\.sqlite-shm records \d+ committed frame\(s\), only \d+ can be read/,
    },
    {
      name: 'the -wal is deleted after a SIGKILL', seed: 'SIGKILL', file: `${DB_FILE}-wal`,
      damage: (db) => rmSync(`${db}-wal`),
      says: /it is missing or empty, but synack\.sqlite-shm records \d+ committed frame\(s\) of it not yet copied into synack\.sqlite/,
    },
  ];

  it.each(cases)('$name: one line naming the file and what to do, exit 1, nothing touched', async ({ seed, damage, file, says }) => {
    let dir: string;
    if (seed === 'paged') {
      dir = freshDir();
      seedPagedStore(dir);
    } else {
      dir = (await seedBySignal(seed)).dir;
    }
    const db = path.join(dir, DB_FILE);
    damage(db, dir);
    const before = fingerprint(dir);
    const r = await runServerToExit(dir);
    expect(r.listened, r.stdout).toBe(false);
    expect(r.code).toBe(1);
    const out = lines(r.stderr);
    expect(out, r.stderr).toHaveLength(1);
    expect(out[0]!.startsWith(`${path.join(dir, file)} is damaged: `), out[0]).toBe(true);
    expect(out[0]).toMatch(says);
    expect(out[0]).toContain('Restore a backup (README, "Backup and restore")');
    expect(r.stdout).toBe('');
    // Refusing changed nothing: the -wal that held the rooms is still there for whoever restores.
    expect(fingerprint(dir)).toEqual(before);
  }, 30_000);

  it('START_DAMAGED=1 does not start a file SQLite cannot open, and says so', async () => {
    const { dir, db } = await seedBySignal('SIGTERM');
    garble(db, 0, 16);
    const r = await runServerToExit(dir, { START_DAMAGED: '1' });
    expect(r.listened).toBe(false);
    expect(r.code).toBe(1);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/is damaged: SQLite cannot open it: .*; START_DAMAGED cannot start a file SQLite cannot open\.$/m);
  }, 30_000);
});

describe('START_DAMAGED', () => {
  it.each<{ how: string; env: Record<string, string>; args: string[] }>([
    { how: 'START_DAMAGED=1', env: { START_DAMAGED: '1' }, args: [] },
    { how: '--start-damaged', env: {}, args: ['--start-damaged'] },
  ])('$how starts past a garbled page: one warning line lists the room skipped; the others work', async ({ env, args }) => {
    const dir = freshDir();
    seedPagedStore(dir);
    garbleMiddleOfRoomB(dir);
    const srv = await startServerChild(dir, env, args);
    try {
      const warnings = lines(srv.stderr());
      expect(warnings, srv.stderr()).toHaveLength(1);
      expect(warnings[0]).toMatch(new RegExp(
        `^${path.join(dir, DB_FILE).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged \\(quick_check: .+\\); started anyway because START_DAMAGED is set; `
        + '1 room\\(s\\) could not be rebuilt from the log and answer room/damaged: BBBBBB \\(database disk image is malformed \\(SQLITE_CORRUPT\\)\\)$',
      ));
      expect(srv.stdout()).toContain('recovered 2 open room(s) from 82 logged event(s)');
      for (const code of ['AAAAAA', 'CCCCCC']) expect(await (await fetch(`${srv.url}/api/rooms/${code}`)).json()).toEqual({ code, kind: 'class', open: true });
      const b = await fetch(`${srv.url}/api/rooms/BBBBBB`);
      expect(b.status).toBe(500);
      expect(await b.json()).toMatchObject({ type: 'error', code: 'room/damaged' });
    } finally {
      await stop(srv);
    }
  }, 30_000);
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

describe('an error on the running server', () => {
  it('is logged and does not end the process', async () => {
    const warnings: string[] = [];
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const srv = await startServer({ port: 0, host: '127.0.0.1', dataDir: freshDir(), warn: (m) => { warnings.push(m); } });
    try {
      // A real one (EMFILE on accept, say) cannot be made on demand; the 'error' event is what
      // it would be. An 'error' with no listener throws, which in the server ends the process.
      const e = Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' });
      expect(() => srv.http.emit('error', e)).not.toThrow();
      expect(warnings).toEqual(['HTTP server error: accept EMFILE']);
      expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);
      const c = await connect(srv.wsUrl);
      clients.push(c);
      c.send({ type: 'ping', t: 1 });
      await c.waitFor((m) => m.type === 'pong');
    } finally {
      logged.mockRestore();
      await srv.close();
    }
  });
});
