/**
 * Seeded fuzzing of the reader and the converter: the real captures in testdata/, mutated
 * (bytes flipped, files cut, length fields spliced with boundary values, ranges inserted,
 * deleted, repeated or zeroed), must each get a clean answer: a capture whose streams convert
 * to schema-valid traces that replay, or a code from CAPTURE_ERRORS (never capture/internal),
 * each within a bounded time. Seeds that once failed are kept below as named tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTrace, replayTrace } from '../tcp/trace.ts';
import { CAPTURE_ERROR_CODE_VALUES, CAPTURE_ERRORS, readCapture, streamTrace } from './capture.ts';
import { seededRandom as prng } from '../seeded-random.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');
const bases = readdirSync(dir).filter((f) => /\.pcap(ng)?$/.test(f)).sort().map((name) => ({ name, bytes: new Uint8Array(readFileSync(path.join(dir, name))) }));


/** Offsets of the length fields in a file: pcap record lengths, pcapng block and captured lengths. */
function lengthFields(b: Uint8Array): number[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: number[] = [];
  if (b.length < 24) return out;
  if (v.getUint32(0) === 0x0a0d0d0a) {
    let le = true;
    for (let off = 0; off + 12 <= b.length;) {
      if (v.getUint32(off, true) === 0x0a0d0d0a) le = v.getUint32(off + 8, true) === 0x1a2b3c4d;
      const len = v.getUint32(off + 4, le);
      if (len < 12) break; // an already mutated file: stop walking
      out.push(off + 4, off + len - 4);
      if (v.getUint32(off, le) === 6) out.push(off + 20, off + 24);
      if (v.getUint32(off, le) === 1) out.push(off + 12);
      off += len;
    }
  } else {
    const le = v.getUint32(0, true) === 0xa1b2c3d4 || v.getUint32(0, true) === 0xa1b23c4d;
    out.push(16, 20);
    for (let off = 24; off + 16 <= b.length; off += 16 + v.getUint32(off + 8, le)) out.push(off + 8, off + 12);
  }
  return out.filter((o) => o + 4 <= b.length);
}

/** The records (pcap) or blocks (pcapng) of an unmutated file, as [start, end) byte ranges, and where each packet's bytes start. */
function records(b: Uint8Array): { start: number; end: number; data: number }[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: { start: number; end: number; data: number }[] = [];
  if (b.length < 24) return out;
  if (v.getUint32(0) === 0x0a0d0d0a) {
    let le = true;
    for (let off = 0; off + 12 <= b.length;) {
      if (v.getUint32(off, true) === 0x0a0d0d0a) le = v.getUint32(off + 8, true) === 0x1a2b3c4d;
      const len = v.getUint32(off + 4, le);
      if (len < 12) break;
      const type = v.getUint32(off, le);
      if (type === 6) out.push({ start: off, end: off + len, data: off + 28 });
      if (type === 3) out.push({ start: off, end: off + len, data: off + 12 });
      off += len;
    }
  } else {
    const le = v.getUint32(0, true) === 0xa1b2c3d4 || v.getUint32(0, true) === 0xa1b23c4d;
    for (let off = 24; off + 16 <= b.length;) {
      const end = off + 16 + v.getUint32(off + 8, le);
      out.push({ start: off, end, data: off + 16 });
      off = end;
    }
  }
  return out.filter((r) => r.end <= b.length);
}

const INTERESTING = [0, 1, 4, 8, 11, 12, 13, 16, 20, 0x7f, 0xff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffff0, 0xffffffff];

/** One mutation of a file, chosen by the PRNG; returns the new bytes and what was done. */
function mutate(src: Uint8Array, rnd: () => number): { bytes: Uint8Array; what: string } {
  const pick = (n: number) => Math.floor(rnd() * n);
  const b = src.slice();
  const kind = pick(9);
  switch (kind) {
    case 0: { // flip a few bytes
      const n = 1 + pick(8);
      for (let i = 0; i < n; i++) {
        const at = pick(b.length);
        b[at] = (b[at] ?? 0) ^ (1 + pick(255));
      }
      return { bytes: b, what: `flip ${n}` };
    }
    case 1: { // cut
      const at = pick(b.length);
      return { bytes: b.subarray(0, at), what: `cut at ${at}` };
    }
    case 2: { // splice a length field
      const fields = lengthFields(src);
      const at = fields[pick(fields.length)] ?? 0;
      const v = new DataView(b.buffer);
      const old = v.getUint32(at, true);
      const value = rnd() < 0.5 ? (INTERESTING[pick(INTERESTING.length)] as number) : (old + [-8, -4, -1, 1, 4, 8][pick(6)]!) >>> 0;
      const le = rnd() < 0.5;
      v.setUint32(at, value, le);
      return { bytes: b, what: `length at ${at} = ${value}${le ? '' : ' (BE)'}` };
    }
    case 3: { // insert random bytes
      const at = pick(b.length);
      const n = 1 + pick(64);
      const ins = Uint8Array.from({ length: n }, () => pick(256));
      const out = new Uint8Array(b.length + n);
      out.set(b.subarray(0, at));
      out.set(ins, at);
      out.set(b.subarray(at), at + n);
      return { bytes: out, what: `insert ${n} at ${at}` };
    }
    case 4: { // delete a range
      const at = pick(b.length);
      const n = 1 + pick(64);
      const end = Math.min(b.length, at + n);
      const out = new Uint8Array(b.length - (end - at));
      out.set(b.subarray(0, at));
      out.set(b.subarray(end), at);
      return { bytes: out, what: `delete ${end - at} at ${at}` };
    }
    case 5: { // repeat a range (a duplicated record or block, often)
      const at = pick(b.length);
      const n = 1 + pick(200);
      const chunk = b.slice(at, at + n);
      const out = new Uint8Array(b.length + chunk.length);
      out.set(b.subarray(0, at + chunk.length));
      out.set(chunk, at + chunk.length);
      out.set(b.subarray(at + chunk.length), at + 2 * chunk.length);
      return { bytes: out, what: `repeat ${chunk.length} at ${at}` };
    }
    case 7: { // change a few bytes of one packet's headers, keeping the file's structure
      const recs = records(src);
      const r = recs[pick(recs.length)];
      if (!r) return { bytes: b, what: 'nothing' };
      const n = 1 + pick(3);
      for (let i = 0; i < n; i++) {
        const at = r.data + pick(Math.max(1, Math.min(80, r.end - r.data - 4)));
        if (at < b.length) b[at] = pick(256);
      }
      return { bytes: b, what: `${n} header bytes of the packet at ${r.start}` };
    }
    case 8: { // swap two neighbouring packets (the converter sees them out of order)
      const recs = records(src);
      const i = pick(Math.max(1, recs.length - 1));
      const a = recs[i];
      const c = recs[i + 1];
      if (!a || !c || a.end !== c.start) return { bytes: b, what: 'nothing' };
      b.set(src.subarray(c.start, c.end), a.start);
      b.set(src.subarray(a.start, a.end), a.start + (c.end - c.start));
      return { bytes: b, what: `swap the packets at ${a.start} and ${c.start}` };
    }
    default: { // zero a range
      const at = pick(b.length);
      const n = 1 + pick(32);
      b.fill(0, at, at + n);
      return { bytes: b, what: `zero ${n} at ${at}` };
    }
  }
}

const KNOWN: readonly string[] = CAPTURE_ERROR_CODE_VALUES.filter((c) => c !== CAPTURE_ERRORS.internal);

/** Reads, converts and replays; returns what went wrong, or null when every answer was clean. */
function check(bytes: Uint8Array): string | null {
  const r = readCapture(bytes);
  if (!r.ok) return KNOWN.includes(r.code) && r.message.length > 0 ? null : `read: ${r.code}: ${r.message}`;
  for (const s of r.capture.streams.slice(0, 50)) {
    const t = streamTrace(r.capture, s.stream);
    if (!t.ok) {
      if (!KNOWN.includes(t.code)) return `stream ${s.stream}: ${t.code}: ${t.message}`;
      continue;
    }
    const parsed = parseTrace(JSON.parse(JSON.stringify(t.trace)));
    if (!parsed.ok) return `stream ${s.stream}: the trace is not valid: ${parsed.error}`;
    const { lines } = replayTrace(parsed.trace);
    if (lines.length !== t.trace.steps.length) return `stream ${s.stream}: replay gave ${lines.length} lines for ${t.trace.steps.length} steps`;
    if (t.segments.some((seg) => seg.step !== null && (seg.step < 0 || seg.step >= t.trace.steps.length))) return `stream ${s.stream}: a segment points outside the trace`;
  }
  return null;
}

/** Mutations per base file per seed round. */
const ROUNDS = 400;

describe('fuzzing the reader and the converter with mutated real captures', () => {
  it('the unmutated captures are all clean (the check can pass)', () => {
    for (const b of bases) expect(check(b.bytes), b.name).toBeNull();
  });

  it('the check can fail: an internal error is not a clean answer', () => {
    expect(KNOWN).not.toContain('capture/internal');
  });

  it(`${ROUNDS} seeded mutations of each of the ${bases.length} captures, some mutated twice: only clean answers, each quickly`, () => {
    const failures: string[] = [];
    const started = performance.now();
    let slowest = 0;
    let ok = 0;
    const codes = new Map<string, number>();
    for (const [fi, base] of bases.entries()) {
      for (let round = 0; round < ROUNDS; round++) {
        const seed = fi * 100_000 + round;
        const rnd = prng(seed);
        let m = mutate(base.bytes, rnd);
        if (rnd() < 0.3) { const again = mutate(m.bytes, rnd); m = { bytes: again.bytes, what: `${m.what}; ${again.what}` }; }
        const t0 = performance.now();
        const problem = check(m.bytes);
        const took = performance.now() - t0;
        slowest = Math.max(slowest, took);
        if (problem) failures.push(`${base.name} seed ${seed} (${m.what}): ${problem}`);
        if (took > 1000) failures.push(`${base.name} seed ${seed} (${m.what}): took ${took.toFixed(0)} ms`);
        const r = readCapture(m.bytes);
        const key = r.ok ? 'ok' : r.code;
        codes.set(key, (codes.get(key) ?? 0) + 1);
        if (r.ok) ok++;
      }
    }
    expect(failures).toEqual([]);
    // The mutations reach both sides: files still read, and each kind of refusal.
    expect(ok).toBeGreaterThan(bases.length * ROUNDS * 0.2);
    for (const code of ['capture/truncated', 'capture/bad-block', 'capture/bad-packet', 'capture/bad-magic']) expect(codes.get(code) ?? 0, code).toBeGreaterThan(0);
    expect(slowest).toBeLessThan(1000);
    expect(performance.now() - started).toBeLessThan(25_000);
  });
});
