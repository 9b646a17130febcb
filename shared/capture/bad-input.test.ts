/**
 * Every kind of bad input gets a code from CAPTURE_ERRORS and a sentence, never a throw:
 * truncated files, wrong magic, lengths that point past the end or break the snap length,
 * zero-length blocks, 8 MiB of garbage, a capture with no TCP in it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replayTrace } from '../tcp/trace.ts';
import { CAPTURE_ERROR_CODE_VALUES, CAPTURE_ERRORS, MAX_CAPTURE_BYTES, captureFormat, readCapture, streamTrace } from './capture.ts';
import { block, concat, epb, ethernet, idb, ipv4, pcap, shb, tcp, words } from './test-builders.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');
const bytesOf = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(dir, name)));

/** A seeded xorshift32, so the garbage is the same on every run. */
function garbage(n: number, seed = 0x2545f491): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}

const refused = (bytes: Uint8Array, code: string, message?: RegExp) => {
  const r = readCapture(bytes);
  expect(r).toMatchObject({ ok: false, code });
  if (!r.ok) {
    expect(r.message.length).toBeGreaterThan(10);
    expect(r.message).not.toMatch(/\n/);
    if (message) expect(r.message).toMatch(message);
  }
};

const synFrame = ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, tcp({ sport: 1, dport: 2, seq: 3, flags: ['SYN'] })));

describe('bad captures get a code and a sentence', () => {
  it('the codes form an as-const table of namespaced strings', () => {
    expect(CAPTURE_ERROR_CODE_VALUES.every((c) => c.startsWith('capture/'))).toBe(true);
    expect(CAPTURE_ERRORS.truncated).toBe('capture/truncated');
    expect(MAX_CAPTURE_BYTES).toBe(8 * 1024 * 1024);
  });

  it('truncated: an empty file, a cut pcap header, a cut record header, a cut packet, a cut pcapng block', () => {
    refused(new Uint8Array(0), 'capture/truncated', /0 bytes/);
    const p = bytesOf('normal-close.pcap');
    refused(p.subarray(0, 3), 'capture/truncated');
    refused(p.subarray(0, 20), 'capture/truncated', /header needs 24 bytes/);
    refused(p.subarray(0, 24 + 10), 'capture/truncated', /inside the header of packet 1/);
    refused(p.subarray(0, p.length - 1), 'capture/truncated', /packet 11 .* cut short/);
    const n = bytesOf('normal-close.pcapng');
    refused(n.subarray(0, 10), 'capture/truncated');
    refused(n.subarray(0, n.length - 5), 'capture/truncated', /block 13/);
    refused(n.subarray(0, n.length - 101), 'capture/truncated');
    // Cut exactly between two blocks, a pcapng file is whole again: nothing tells it was longer.
    expect(readCapture(n.subarray(0, n.length - 100)).ok).toBe(true);
  });

  it('wrong magic: a JSON trace, text, the modified pcap format', () => {
    refused(new TextEncoder().encode('{"name":"x","steps":[]}'), 'capture/bad-magic');
    refused(new TextEncoder().encode('hello, world'), 'capture/bad-magic', /known magic number/);
    refused(concat(words(true, [0xa1b2cd34, 4]), new Uint8Array(40)), 'capture/bad-magic', /Kuznetzov/);
    expect(captureFormat(new TextEncoder().encode('{}  '))).toBeNull();
  });

  it('a pcapng block length that points past the end of the file', () => {
    const n = bytesOf('normal-close.pcapng').slice();
    const v = new DataView(n.buffer);
    const shbLen = v.getUint32(4, true);
    const idbLen = v.getUint32(shbLen + 4, true);
    const epbAt = shbLen + idbLen;
    v.setUint32(epbAt + 4, 0x00100000, true);
    refused(n, 'capture/truncated', /claims 1048576 bytes but only \d+ remain/);
  });

  it('impossible block lengths: zero, below 12, not a multiple of 4, the two copies differ, contents longer than the block', () => {
    const data = synFrame;
    refused(concat(shb(), idb(1), block(6, new Uint8Array(0), true, 0)), 'capture/bad-block', /length of 0 bytes/);
    refused(concat(shb(), idb(1), block(6, new Uint8Array(0), true, 8)), 'capture/bad-block');
    refused(concat(shb(), idb(1), block(6, new Uint8Array(0), true, 14), new Uint8Array(8)), 'capture/bad-block', /multiple of 4/);
    const good = epb(0, data);
    const bad = good.slice();
    new DataView(bad.buffer).setUint32(bad.length - 4, good.length + 4, true);
    refused(concat(shb(), idb(1), bad), 'capture/bad-block', /differs/);
    refused(concat(shb(), idb(1), epb(0, data, true, [0, 0], data.length + 4)), 'capture/bad-block', /claims \d+ captured bytes but the block holds/);
    refused(concat(shb(), block(1, new Uint8Array(4))), 'capture/bad-block', /shorter than its fixed fields/);
    refused(concat(shb(), block(1, concat(words(true, [1, 2], [0, 2], [0, 4], [9, 2], [40, 2]), new Uint8Array(4)))), 'capture/bad-block', /option/);
  });

  it('a packet longer than the snap length, or on an interface the section never described', () => {
    refused(pcap(1, [{ data: synFrame }], { snapLen: 20 }), 'capture/bad-packet', /snap length of 20/);
    refused(concat(shb(), idb(1, true, 20), epb(0, synFrame)), 'capture/bad-packet', /snap length of 20/);
    refused(concat(shb(), idb(1), epb(1, synFrame)), 'capture/bad-packet', /interface 1, but its section describes 1/);
    refused(concat(shb(), block(3, words(true, [4, 4]))), 'capture/bad-packet', /before any interface/);
    // A section header starts afresh: its interfaces are its own.
    refused(concat(shb(), idb(1), shb(), epb(0, synFrame)), 'capture/bad-packet');
  });

  it('headers this reader does not know: pcap version, pcapng byte-order mark and version', () => {
    refused(pcap(1, [{ data: synFrame }], { version: 3 }), 'capture/bad-header', /pcap version 3\.4/);
    const s = shb().slice();
    new DataView(s.buffer).setUint32(8, 0x12345678, true);
    refused(s, 'capture/bad-header', /byte-order magic/);
    const v2 = shb().slice();
    new DataView(v2.buffer).setUint16(12, 2, true);
    refused(v2, 'capture/bad-header', /version 2/);
  });

  it('8 MiB of garbage: not a capture; a byte more: too large', () => {
    const g = garbage(MAX_CAPTURE_BYTES);
    g[0] = 0x7b; // whatever it is, not a magic number
    const t0 = performance.now();
    refused(g, 'capture/bad-magic');
    refused(garbage(MAX_CAPTURE_BYTES + 1), 'capture/too-large', /8 MiB/);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('8 MiB of garbage behind a valid header: a clean answer, quickly', () => {
    for (const head of [pcap(1, []), concat(shb(), idb(1))]) {
      const g = concat(head, garbage(MAX_CAPTURE_BYTES - head.length, 7));
      const t0 = performance.now();
      const r = readCapture(g);
      expect(performance.now() - t0).toBeLessThan(2000);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(CAPTURE_ERROR_CODE_VALUES).toContain(r.code);
    }
  });

  it('8 MiB of small TCP packets is read, and quickly', () => {
    const rec = concat(words(true, [0, 4], [0, 4], [synFrame.length, 4], [synFrame.length, 4]), synFrame);
    const n = Math.floor((MAX_CAPTURE_BYTES - 24) / rec.length);
    const file = new Uint8Array(24 + n * rec.length);
    file.set(pcap(1, []));
    for (let i = 0; i < n; i++) file.set(rec, 24 + i * rec.length);
    const t0 = performance.now();
    const r = readCapture(file);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.capture.packets).toHaveLength(n);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  /** A raw-IP pcap of as many packets from `make` as fit in `bytes`. */
  function flood(bytes: number, make: (i: number) => Uint8Array): Uint8Array {
    const out = new Uint8Array(bytes);
    out.set(pcap(101, []));
    let off = 24;
    for (let i = 0; ; i++) {
      const d = make(i);
      if (off + 16 + d.length > bytes) break;
      out.set(words(true, [0, 4], [i, 4], [d.length, 4], [d.length, 4]), off);
      out.set(d, off + 16);
      off += 16 + d.length;
    }
    return out.subarray(0, off);
  }
  const up = (t: Parameters<typeof tcp>[0]) => ipv4('10.0.0.1', '10.0.0.2', 6, tcp(t));
  const down = (t: Parameters<typeof tcp>[0]) => ipv4('10.0.0.2', '10.0.0.1', 6, tcp(t));
  const handshake = (i: number) => (i === 0 ? up({ sport: 1, dport: 2, seq: 0, flags: ['SYN'] }) : down({ sport: 2, dport: 1, seq: 0, ack: 1, flags: ['SYN', 'ACK'] }));

  it.each([
    ['4 MiB of data one way, never acknowledged', 4 * 1024 * 1024, (i: number) => (i < 2 ? handshake(i) : up({ sport: 1, dport: 2, seq: 1 + (i - 2) * 10, ack: 1, flags: ['ACK'], payload: 10 }))],
    ['1 MiB of data answered by ACKs that acknowledge none of it', 1024 * 1024, (i: number) => (i < 2 ? handshake(i) : i % 2 ? down({ sport: 2, dport: 1, seq: 1, ack: 1, flags: ['ACK'] }) : up({ sport: 1, dport: 2, seq: 1 + i * 10, ack: 1, flags: ['ACK'], payload: 10 }))],
    ['1 MiB of the same 3000 segments sent over and over', 1024 * 1024, (i: number) => (i < 2 ? handshake(i) : up({ sport: 1, dport: 2, seq: 1 + ((i - 2) % 3000) * 10, ack: 1, flags: ['ACK'], payload: 10 }))],
  ])('%s: converted and judged in bounded time', (_what, size, make) => {
    const t0 = performance.now();
    const r = readCapture(flood(size, make));
    if (!r.ok) throw new Error(r.message);
    const t = streamTrace(r.capture, 0);
    if (!t.ok) throw new Error(t.message);
    expect(replayTrace(t.trace).lines).toHaveLength(t.trace.steps.length);
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  it('a capture with no TCP: no packets at all, or only UDP and ARP', () => {
    refused(pcap(1, []), 'capture/no-tcp', /no packets/);
    refused(concat(shb(), idb(1)), 'capture/no-tcp', /no packets/);
    const udp = ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 17, new Uint8Array(12)));
    const arp = ethernet(0x0806, new Uint8Array(28));
    refused(pcap(1, [{ data: udp }, { data: udp }, { data: arp }]), 'capture/no-tcp', /of its 3 packets, 1 not IP, 2 IP but not TCP/);
  });

  it('not bytes at all (from untyped callers): a code, not a throw', () => {
    expect(readCapture('abc' as unknown as Uint8Array)).toMatchObject({ ok: false, code: 'capture/bad-magic' });
    expect(readCapture(null as unknown as Uint8Array)).toMatchObject({ ok: false, code: 'capture/bad-magic' });
  });
});
