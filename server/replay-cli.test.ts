/**
 * The replay command as people and CI run it: a real child process on real files, checking
 * the output lines and exit status that ../shared/protocol/trace-format.md promises.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CAPTURE_BYTES } from '../shared/capture/capture.ts';
import { conversation } from '../shared/capture/test-builders.ts';

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
const file = (name: string, content: string | Uint8Array): string => {
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

const captures = path.join(repoRoot, 'shared', 'capture', 'testdata');
const capture = (name: string) => path.join(captures, name);
const jsonLines = (stdout: string) => stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
/** The one line on stderr, which must be the only one. */
const oneLine = (r: Ran) => {
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  return r.stderr;
};

describe('npm run replay on captures (pcap, pcapng)', () => {
  it.each([
    ['normal-close.pcap', 'TIME_WAIT', 'CLOSED'],
    ['normal-close.pcapng', 'TIME_WAIT', 'CLOSED'],
    ['normal-close-be.pcap', 'TIME_WAIT', 'CLOSED'],
    ['normal-close-null.pcap', 'TIME_WAIT', 'CLOSED'],
    ['normal-close-rawip.pcap', 'TIME_WAIT', 'CLOSED'],
    ['normal-close-vlan.pcap', 'TIME_WAIT', 'CLOSED'],
    ['server-closes-first.pcap', 'CLOSED', 'TIME_WAIT'],
    ['half-close.pcapng', 'TIME_WAIT', 'CLOSED'],
    ['half-close-be.pcapng', 'TIME_WAIT', 'CLOSED'],
    ['refused.pcap', 'CLOSED', 'CLOSED'],
    ['abort.pcap', 'CLOSED', 'CLOSED'],
    ['retransmit.pcap', 'TIME_WAIT', 'CLOSED'],
    ['ipv6.pcap', 'TIME_WAIT', 'CLOSED'],
    ['ipv6-loop.pcap', 'TIME_WAIT', 'CLOSED'],
    ['interleaved.pcap', 'TIME_WAIT', 'CLOSED'],
    ['keepalive.pcap', 'TIME_WAIT', 'CLOSED'],
  ])('%s: exit 0, every step legal, ending client %s, server %s', async (name, client, server) => {
    const r = await replay(capture(name));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.every((l) => l.ok === true)).toBe(true);
    expect(lines.at(-1)).toMatchObject({ client, server });
  });

  it('--stream N judges another connection; --list lists them, one JSON line each', async () => {
    const [second, list] = await Promise.all([replay(capture('interleaved.pcap'), '--stream', '1'), replay('--list', capture('several-interfaces.pcapng'))]);
    expect(second.code).toBe(0);
    expect(jsonLines(second.stdout)).toHaveLength(11);
    expect(list.code).toBe(0);
    const streams = jsonLines(list.stdout);
    expect(streams.map((s) => [s.stream, s.packets, s.start, s.legal, `${s.final.client}/${s.final.server}`])).toEqual([
      [0, 11, 'syn', true, 'TIME_WAIT/CLOSED'],
      [1, 11, 'syn', true, 'CLOSED/TIME_WAIT'],
      [2, 6, 'syn', true, 'CLOSED/CLOSED'],
    ]);
    expect(streams[0]).toMatchObject({ server: '127.0.0.1:9000', frames: [expect.any(Number), expect.any(Number)] });
    expect(streams[0].ignored).toContain('the timestamps option ignored (on 11 segments)');
  });

  it('--trace prints the converted trace, which replays to the very same lines', async () => {
    const [t, direct] = await Promise.all([replay(capture('retransmit.pcap'), '--trace'), replay(capture('retransmit.pcap'))]);
    expect(t.code).toBe(0);
    const trace = JSON.parse(t.stdout);
    expect(trace.steps.some((s: { drop?: string }) => s.drop === 'client')).toBe(true);
    const again = await replay(file('retransmit.json', t.stdout));
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(direct.stdout);
  });

  it('captures are recognised by their magic number, not their name', async () => {
    const disguised = file('capture.json', readFileSync(capture('refused.pcap')));
    const trace = file('trace.pcap', JSON.stringify({ name: 't', steps: [{ send: syn }] }));
    const [a, b] = await Promise.all([replay(disguised), replay(trace)]);
    expect(a.code).toBe(0);
    expect(jsonLines(a.stdout).at(-1)).toMatchObject({ client: 'CLOSED', server: 'CLOSED' });
    expect(b.code).toBe(0);
    expect(jsonLines(b.stdout)).toEqual([{ step: 0, ok: true, client: 'SYN_SENT', server: 'SYN_RECEIVED' }]);
  });

  it('an illegal capture (an ACK one short of the SYN) exits 1 with the reason', async () => {
    const bad = file('off-by-one.pcap', conversation([
      { from: 'c', flags: ['SYN'], seq: 1000 },
      { from: 's', flags: ['SYN', 'ACK'], seq: 5000, ack: 1001 },
      { from: 'c', flags: ['ACK'], seq: 1001, ack: 5000 },
    ]));
    const r = await replay(bad);
    expect(r.code).toBe(1);
    expect(jsonLines(r.stdout)[2]).toMatchObject({ ok: false, reason: 'segment/ack-off-by-one' });
  });

  it('unreadable captures exit 2 with one line naming the code: truncated, no TCP, too large, bad block', async () => {
    const whole = readFileSync(capture('normal-close.pcapng'));
    const big = new Uint8Array(MAX_CAPTURE_BYTES + 10);
    big.set([0xd4, 0xc3, 0xb2, 0xa1]);
    const zeroBlock = new Uint8Array(whole.subarray(0, 200));
    const shbLength = zeroBlock[4] as number;
    zeroBlock.fill(0, shbLength + 4, shbLength + 8);
    const cases = [
      [file('cut.pcapng', whole.subarray(0, whole.length - 7)), 'capture/truncated'],
      [file('empty.pcap', readFileSync(capture('normal-close.pcap')).subarray(0, 24)), 'capture/no-tcp'],
      [file('big.pcap', big), 'capture/too-large'],
      [file('zero-block.pcapng', zeroBlock), 'capture/bad-block'],
    ] as const;
    const runs = await Promise.all(cases.map(([f]) => replay(f)));
    runs.forEach((r, i) => {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(oneLine(r)).toContain(cases[i]?.[1]);
    });
    expect(runs[2]?.stderr).toContain(`the capture is ${MAX_CAPTURE_BYTES + 10} bytes`);
  });

  it('a stream that does not exist, or starts mid-connection: exit 2 with the code; --list still shows it', async () => {
    const mid = file('mid.pcap', conversation([{ from: 'c', flags: ['ACK'], seq: 7, ack: 9 }]));
    const [none, midJudged, midListed] = await Promise.all([replay(capture('normal-close.pcap'), '--stream', '3'), replay(mid), replay(mid, '--list')]);
    expect(none.code).toBe(2);
    expect(oneLine(none)).toMatch(/capture\/no-stream: there is no stream 3/);
    expect(midJudged.code).toBe(2);
    expect(oneLine(midJudged)).toMatch(/capture\/mid-connection/);
    expect(midListed.code).toBe(0);
    expect(jsonLines(midListed.stdout)).toEqual([expect.objectContaining({ stream: 0, start: 'mid-connection', code: 'capture/mid-connection' })]);
  });

  it('bad command lines exit 2 with one line: unknown option, a bad stream number, capture options on a trace', async () => {
    const trace = file('plain.json', JSON.stringify({ name: 't', steps: [] }));
    copyFileSync(capture('refused.pcap'), path.join(dir, 'r.pcap'));
    const runs = await Promise.all([
      replay(capture('refused.pcap'), '--verbose'),
      replay(capture('refused.pcap'), '--stream', 'x'),
      replay(trace, '--list'),
      replay(path.join(dir, 'r.pcap'), '--list', '--trace'),
    ]);
    for (const r of runs) expect(r.code).toBe(2);
    expect(runs[0]?.stderr).toMatch(/unknown option --verbose/);
    expect(runs[1]?.stderr).toMatch(/--stream needs a stream number/);
    expect(oneLine(runs[2] as Ran)).toMatch(/--list applies only to .pcap\/.pcapng captures/);
    expect(runs[3]?.stderr).toMatch(/do not go together/);
  });
});
