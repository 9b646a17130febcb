/**
 * Real server processes for the tests of start, exit, health and backup. A server is `node --import tsx server/main.ts` — what `npx tsx server/main.ts`
 * runs, without the tsx wrapper process in between, so a signal or a resource limit sent
 * to the pid reaches the server itself — with DATA_DIR, PORT=0 and HOST=127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
  PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, WIRE_LATENCY_MS: '200', TIME_WAIT_MS: '300', RTX_MS: '60000', ...env,
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

/** Stop a server child with a signal and wait for its exit. */
export async function stop(child: Child, signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
  child.proc.kill(signal);
  return child.exited;
}

/** The non-empty lines of a process's output. */
export const lines = (text: string): string[] => text.split('\n').filter((l) => l.trim() !== '');
