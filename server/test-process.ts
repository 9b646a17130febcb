/**
 * Real server processes and real damaged files for the tests of start, exit, health and
 * backup. A server is `node --import tsx server/main.ts` — what `npx tsx server/main.ts`
 * runs, without the tsx wrapper process in between, so a signal or a resource limit sent
 * to the pid reaches the server itself — with DATA_DIR, PORT=0 and HOST=127.0.0.1.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashSecret } from './secrets.ts';
import { DB_FILE, openSqliteStore } from './store.ts';

/** The repository root (the tests' working directory for child processes). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Exit { code: number | null; signal: NodeJS.Signals | null }

/** A child process with its output collected. */
export interface Child {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<Exit>;
}

/** A server process that is listening. */
export interface ServerChild extends Child {
  port: number;
  url: string;
  wsUrl: string;
}

const children = new Set<ChildProcess>();

/** Kill (SIGKILL) every child still running; for afterAll. */
export function killChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.clear();
}

/** Run `command args` from the repository root with extra environment, collecting its output. */
export function spawnChild(command: string, args: string[], env: Record<string, string> = {}): Child {
  const proc = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  // 'close', not 'exit': it comes once the output pipes are drained too.
  const exited = new Promise<Exit>((res) => proc.once('close', (code, signal) => {
    children.delete(proc);
    res({ code, signal });
  }));
  return { proc, stdout: () => out, stderr: () => err, exited };
}

const serverEnv = (dataDir: string, env: Record<string, string>) => ({
  PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, WIRE_LATENCY_MS: '200', TIME_WAIT_MS: '121000', RTX_MS: '60000', ...env,
});

/** Spawn the server on `dataDir`; resolves once it prints its listening line, rejects if it exits first. */
export function startServerChild(dataDir: string, env: Record<string, string> = {}, args: string[] = []): Promise<ServerChild> {
  const child = spawnChild(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], serverEnv(dataDir, env));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in time: ${child.stdout()} ${child.stderr()}`)), 20_000);
    child.proc.stdout!.on('data', () => {
      const m = /listening on \S+ \(port (\d+)\)/.exec(child.stdout());
      if (!m) return;
      clearTimeout(timer);
      const port = Number(m[1]);
      resolve({ ...child, port, url: `http://127.0.0.1:${port}`, wsUrl: `ws://127.0.0.1:${port}/ws` });
    });
    void child.exited.then((x) => { clearTimeout(timer); reject(new Error(`the server exited (${x.code ?? x.signal}): ${child.stderr()}`)); });
  });
}

/**
 * Spawn the server on `dataDir` and wait for it to exit by itself. If it starts listening
 * instead, it is stopped (SIGTERM) and `listened` is true: the caller's test fails with
 * what it printed.
 */
export async function runServerToExit(dataDir: string, env: Record<string, string> = {}, args: string[] = []): Promise<Exit & { stdout: string; stderr: string; listened: boolean }> {
  const child = spawnChild(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], serverEnv(dataDir, env));
  let listened = false;
  child.proc.stdout!.on('data', () => {
    if (!listened && /listening on/.test(child.stdout())) { listened = true; child.proc.kill('SIGTERM'); }
  });
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), 20_000);
  const x = await child.exited;
  clearTimeout(timer);
  return { ...x, stdout: child.stdout(), stderr: child.stderr(), listened };
}

/** Stop a server child with a signal and wait for its exit. */
export async function stop(child: Child, signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
  child.proc.kill(signal);
  return child.exited;
}

/** The non-empty lines of a process's output. */
export const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');

/** Overwrite `length` bytes of `file` at `offset` with 0xA5. */
export function garble(file: string, offset: number, length: number): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(length, 0xa5), 0, length, offset);
  } finally {
    closeSync(fd);
  }
}

/** The key of a seeded room. */
export const seededKey = (code: string): string => `key-of-${code}`;
/** The seat token of a seeded room's seat `s<i>`. */
export const seededToken = (code: string, i: number): string => `token-of-${code}-${i}`;

/**
 * A store whose logs span many pages: rooms AAAAAA and CCCCCC with 40 joined seats each,
 * and BBBBBB between them with 150, written in key order so each room's rows sit on their
 * own leaf pages. Keys and tokens are `seededKey` and `seededToken`. Closed cleanly: the
 * database file alone holds everything.
 */
export function seedPagedStore(dataDir: string): { codes: string[] } {
  const store = openSqliteStore(dataDir);
  const plan: [string, number, string][] = [['AAAAAA', 40, 'Ann'], ['BBBBBB', 150, 'Bea'], ['CCCCCC', 40, 'Cy']];
  // Recent times: a room idle past ROOM_IDLE_CLOSE_HOURS would be closed at start, not rebuilt.
  const t0 = Date.now() - 60_000;
  for (const [code, seats, name] of plan) {
    const keyHash = hashSecret(seededKey(code));
    store.createRoom({ code, kind: 'class', keyHash, createdAt: t0, closed: false }, { seq: 1, at: t0, actor: 'teacher', event: { type: 'room/created', code, kind: 'class', keyHash, at: t0 } });
    for (let i = 1; i <= seats; i++) {
      const nickname = `${name}${String(i).padStart(3, '0')}`;
      store.appendEvent(code, { seq: i + 1, at: t0 + i, actor: `seat:s${i}`, event: { type: 'seat/joined', seatId: `s${i}`, nickname, tokenHash: hashSecret(seededToken(code, i)) } });
    }
  }
  store.close();
  return { codes: plan.map((p) => p[0]) };
}

/**
 * Garble the leaf page of the events table that holds BBBBBB's 75th seat (Bea075), in
 * the middle of its rows: that room's log can no longer be read, the other rooms' can.
 * Returns the page number.
 */
export function garbleMiddleOfRoomB(dataDir: string): number {
  const file = path.join(dataDir, DB_FILE);
  // Not read-only: closing as the last connection then removes the -wal and -shm it opened.
  const db = new Database(file);
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const leaves = new Set((db.prepare("SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf'").all() as { pageno: number }[]).map((r) => r.pageno));
  db.close();
  const bytes = readFileSync(file);
  const marker = Buffer.from('"nickname":"Bea075"');
  for (let at = bytes.indexOf(marker); at !== -1; at = bytes.indexOf(marker, at + 1)) {
    const page = Math.floor(at / pageSize) + 1;
    if (leaves.has(page)) {
      garble(file, (page - 1) * pageSize, pageSize);
      return page;
    }
  }
  throw new Error('the seeded row Bea075 is on no leaf page of events');
}
