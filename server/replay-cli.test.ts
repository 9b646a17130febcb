/**
 * The replay command as people and CI run it: a real child process on real files, checking
 * the output lines and exit status that ../shared/protocol/trace-format.md promises.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(repoRoot, 'server', 'replay-cli.ts');

interface Ran { code: number | null; stdout: string; stderr: string }

/** Runs `node --import tsx server/replay-cli.ts ...args` from the repository root. */
function replay(...args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: repoRoot, timeout: 20_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let dir: string;
const file = (name: string, content: string): string => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};

const syn = { from: 'client', flags: ['SYN'], seq: 1000, ack: 0, len: 0 };
const synAck = { from: 'server', flags: ['SYN', 'ACK'], seq: 5000, ack: 1001, len: 0 };

beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), 'replay-cli-')); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

describe('npm run replay (server/replay-cli.ts)', () => {
  it('a legal trace: exit 0, one JSON line per step with step, ok, client, server', async () => {
    const trace = {
      name: 'handshake',
      steps: [
        { send: syn },
        { send: synAck, deliver: false },
        { deliver: 'server' },
        { send: { from: 'client', flags: ['ACK'], seq: 1001, ack: 5001 } },
      ],
    };
    const r = await replay(file('legal.json', JSON.stringify(trace)));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('\n')).toBe(true);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { step: 0, ok: true, client: 'SYN_SENT', server: 'SYN_RECEIVED' },
      { step: 1, ok: true, client: 'SYN_SENT', server: 'SYN_RECEIVED' },
      { step: 2, ok: true, client: 'ESTABLISHED', server: 'SYN_RECEIVED' },
      { step: 3, ok: true, client: 'ESTABLISHED', server: 'ESTABLISHED' },
    ]);
  });

  it('an illegal step: exit 1, reason and message on its line, states unchanged by it, later steps still judged', async () => {
    const trace = {
      name: 'off by one',
      steps: [
        { send: syn },
        { send: synAck },
        { send: { from: 'client', flags: ['ACK'], seq: 1001, ack: 5000 } },
        { send: { from: 'client', flags: ['ACK'], seq: 1001, ack: 5001 } },
      ],
    };
    const r = await replay(file('illegal.json', JSON.stringify(trace)));
    expect(r.code).toBe(1);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatchObject({ step: 2, ok: false, reason: 'segment/ack-off-by-one', client: 'ESTABLISHED', server: 'SYN_RECEIVED' });
    expect(lines[2].message).toMatch(/5001/);
    expect({ client: lines[2].client, server: lines[2].server }).toEqual({ client: lines[1].client, server: lines[1].server });
    expect(lines[3]).toEqual({ step: 3, ok: true, client: 'ESTABLISHED', server: 'ESTABLISHED' });
    for (const l of [lines[0], lines[1], lines[3]]) expect(l).not.toHaveProperty('reason');
  });

  it('a missing file: exit 2, one line on stderr naming it', async () => {
    const missing = path.join(dir, 'nope.json');
    const r = await replay(missing);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('nope.json');
  });

  it('a file that is not JSON: exit 2, one line on stderr', async () => {
    const r = await replay(file('broken.json', '{ "name": "x", "steps": [ '));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not JSON/);
  });

  it('a schema-invalid trace: exit 2, one line on stderr naming what is wrong', async () => {
    const bad = { name: 'bad', steps: [{ send: { ...syn, seq: -1 } }] };
    const r = await replay(file('invalid.json', JSON.stringify(bad)));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/steps\.0\.send\.seq/);
    const twoKinds = await replay(file('two-kinds.json', JSON.stringify({ name: 'x', steps: [{ drop: 'client', timeout: 'server' }] })));
    expect(twoKinds.code).toBe(2);
    expect(twoKinds.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('no file argument: exit 2 with a usage line', async () => {
    const r = await replay();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/usage/);
  });
});
