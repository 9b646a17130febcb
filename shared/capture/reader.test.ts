/**
 * The reader on real captures (testdata/, made by make-captures.sh): every format, link type
 * and byte order, held to what Wireshark made of the same files (testdata/wireshark.json:
 * stream numbers, relative numbers, windows, analysis flags); and on small built files for
 * what no real capture here shows (IPv6 extension headers, fragments, other blocks).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCapture, streamTrace, type Capture, type StreamSegment } from './capture.ts';
import { block, concat, epb, ethernet, idb, ipv4, ipv6, options, pcap, shb, spb, tcp, words } from './test-builders.ts';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');
const bytesOf = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(dir, name)));
const files = readdirSync(dir).filter((f) => /\.pcap(ng)?$/.test(f)).sort();

/** Reads a capture that must be readable. */
function read(bytes: Uint8Array): Capture {
  const r = readCapture(bytes);
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.capture;
}
const load = (name: string): Capture => read(bytesOf(name));

interface WiresharkRow { frame: number; stream: number; relSeq: number; relAck: number | null; len: number; flags: number; windowSize: number; kind: string }
const wireshark = JSON.parse(readFileSync(path.join(dir, 'wireshark.json'), 'utf8')) as Record<string, WiresharkRow[]>;

/** The segments of every stream, by frame number. */
function segmentsByFrame(c: Capture): Map<number, StreamSegment> {
  const out = new Map<number, StreamSegment>();
  for (const s of c.streams) {
    const t = streamTrace(c, s.stream);
    if (t.ok) for (const seg of t.segments) out.set(seg.frame, seg);
  }
  return out;
}

/** What identifies a segment, whatever the file it was read from. */
const essence = (c: Capture) => c.packets.map((p) => [p.srcAddr, p.srcPort, p.dstAddr, p.dstPort, p.seq, p.ack, p.flags.join('+'), p.payloadLength, p.window, p.stream].join(' '));

describe('readCapture on the real captures', () => {
  it('finds them all (the folder is not empty)', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(Object.keys(wireshark).sort()).toEqual(files);
  });

  it.each(files)('%s: the same TCP segments, streams, relative numbers, windows and analysis as Wireshark', (name) => {
    const c = load(name);
    const rows = wireshark[name] as WiresharkRow[];
    expect(c.packets.map((p) => [p.frame, p.stream, p.payloadLength])).toEqual(rows.map((r) => [r.frame, r.stream, r.len]));
    const segs = segmentsByFrame(c);
    for (const r of rows) {
      const s = segs.get(r.frame);
      expect(s, `frame ${r.frame}`).toBeDefined();
      const got = { frame: s?.frame, relSeq: s?.relSeq, relAck: s?.relAck, windowSize: s?.windowSize, kind: s?.kind };
      expect(got).toEqual({ frame: r.frame, relSeq: r.relSeq, relAck: r.relAck, windowSize: r.windowSize, kind: r.kind });
    }
  });

  it('formats, byte orders and link types', () => {
    const table = Object.fromEntries(files.map((f) => {
      const c = load(f);
      return [f, `${c.format} ${c.byteOrder} ${c.interfaces.map((i) => i.linkType).join(',')}`];
    }));
    expect(table).toEqual({
      'abort.pcap': 'pcap little-endian 276',
      'half-close-be.pcapng': 'pcapng big-endian 1',
      'half-close.pcapng': 'pcapng little-endian 1',
      'interleaved.pcap': 'pcap little-endian 1',
      'interleaved.pcapng': 'pcapng little-endian 1',
      'ipv6-loop.pcap': 'pcap little-endian 108',
      'ipv6-qinq.pcap': 'pcap little-endian 1',
      'ipv6-rawip6.pcap': 'pcap little-endian 229',
      'ipv6.pcap': 'pcap little-endian 1',
      'keepalive.pcap': 'pcap little-endian 1',
      'normal-close-be.pcap': 'pcap big-endian 1',
      'normal-close-null.pcap': 'pcap little-endian 0',
      'normal-close-rawip.pcap': 'pcap little-endian 101',
      'normal-close-rawip4.pcap': 'pcap little-endian 228',
      'normal-close-spb.pcapng': 'pcapng little-endian 1',
      'normal-close-vlan.pcap': 'pcap little-endian 1',
      'normal-close.pcap': 'pcap little-endian 1',
      'normal-close.pcapng': 'pcapng little-endian 1',
      'refused-be.pcap': 'pcap big-endian 1',
      'refused.pcap': 'pcap little-endian 1',
      'retransmit.pcap': 'pcap little-endian 1',
      'server-closes-first.pcap': 'pcap little-endian 113',
      'several-interfaces.pcapng': 'pcapng little-endian 1,113,276',
      'two-sections.pcapng': 'pcapng little-endian 1,1',
    });
  });

  it('every variant of a capture holds the same segments: pcap/pcapng, both byte orders, raw IP, null, VLAN, simple packet blocks', () => {
    const normal = essence(load('normal-close.pcap'));
    for (const f of ['normal-close.pcapng', 'normal-close-be.pcap', 'normal-close-null.pcap', 'normal-close-rawip.pcap', 'normal-close-rawip4.pcap', 'normal-close-vlan.pcap', 'normal-close-spb.pcapng']) {
      expect(essence(load(f)), f).toEqual(normal);
    }
    const v6 = essence(load('ipv6.pcap'));
    for (const f of ['ipv6-loop.pcap', 'ipv6-qinq.pcap', 'ipv6-rawip6.pcap']) expect(essence(load(f)), f).toEqual(v6);
    expect(essence(load('half-close-be.pcapng'))).toEqual(essence(load('half-close.pcapng')));
    expect(essence(load('refused-be.pcap'))).toEqual(essence(load('refused.pcap')));
    expect(essence(load('interleaved.pcapng'))).toEqual(essence(load('interleaved.pcap')));
  });

  it('timestamps: microseconds and nanoseconds, pcap and pcapng, both byte orders; none in simple packet blocks', () => {
    const times = (f: string) => load(f).packets.map((p) => p.time);
    const micro = times('normal-close.pcap');
    expect(micro.every((t) => t !== null && t.sec > 1_600_000_000 && t.nsec % 1000 === 0)).toBe(true);
    expect(times('normal-close.pcapng')).toEqual(micro);
    expect(times('normal-close-be.pcap')).toEqual(micro);
    expect(times('normal-close-spb.pcapng').every((t) => t === null)).toBe(true);
    // dumpcap writes nanosecond timestamps (if_tsresol 9), tcpdump --time-stamp-precision=nano too.
    const nano = [...times('half-close.pcapng'), ...times('refused.pcap')];
    expect(nano.some((t) => t !== null && t.nsec % 1000 !== 0)).toBe(true);
    expect(times('half-close-be.pcapng')).toEqual(times('half-close.pcapng'));
    expect(times('refused-be.pcap')).toEqual(times('refused.pcap'));
    const first = load('normal-close.pcap').streams[0];
    expect(first?.duration).toBeGreaterThan(0);
    expect(load('normal-close-spb.pcapng').streams[0]?.duration).toBeNull();
  });

  it('several interfaces in one pcapng: Ethernet, Linux cooked v1 and v2, a stream on each', () => {
    const c = load('several-interfaces.pcapng');
    expect(c.interfaces.map((i) => i.linkType)).toEqual([1, 113, 276]);
    expect(c.streams.map((s) => new Set(c.packets.filter((p) => p.stream === s.stream).map((p) => p.interfaceId)).size)).toEqual([1, 1, 1]);
    expect(new Set(c.packets.map((p) => p.interfaceId))).toEqual(new Set([0, 1, 2]));
    expect(c.streams).toHaveLength(3);
  });

  it('two sections in one pcapng, the second big-endian: interfaces numbered across them', () => {
    const c = load('two-sections.pcapng');
    expect(c.interfaces).toHaveLength(2);
    expect(c.streams).toHaveLength(2);
    expect(new Set(c.packets.filter((p) => p.stream === 1).map((p) => p.interfaceId))).toEqual(new Set([1]));
    expect(c.frames).toBe(25);
  });

  it('skips and counts blocks that carry no packet (dumpcap\'s interface statistics)', () => {
    expect(load('half-close.pcapng').otherBlocks).toBe(1);
    expect(load('normal-close.pcapng').otherBlocks).toBe(0);
    expect(load('half-close.pcapng').interfaces[0]?.name).toBe('lo');
  });

  it('stream numbering on the interleaved file: in order of first packet, by address pair', () => {
    const c = load('interleaved.pcap');
    expect(c.streams.map((s) => [s.stream, s.packets, s.start, s.finished, s.server])).toEqual([
      [0, 10, 'syn', true, '127.0.0.1:9000'],
      [1, 11, 'syn', true, '127.0.0.1:9000'],
    ]);
    expect(c.streams[0]?.client).not.toBe(c.streams[1]?.client);
    expect(c.packets.map((p) => p.stream)).toEqual(wireshark['interleaved.pcap']?.map((r) => r.stream));
  });

  it('IPv6 addresses as Wireshark writes them', () => {
    const c = load('ipv6.pcap');
    expect(c.streams[0]?.server).toBe('[::1]:9000');
    expect(c.streams[0]?.ipVersion).toBe(6);
  });

  it('relative numbers start at 0 for each ISN, the ack relative to the peer; absolute ones stay', () => {
    const c = load('normal-close.pcap');
    const t = streamTrace(c, 0);
    if (!t.ok) throw new Error(t.message);
    const [syn, synAck, ack] = t.segments;
    expect([syn?.relSeq, syn?.relAck, synAck?.relSeq, synAck?.relAck, ack?.relSeq, ack?.relAck]).toEqual([0, null, 0, 1, 1, 1]);
    expect(syn?.seq).toBe(t.isn.client);
    expect(synAck?.seq).toBe(t.isn.server);
    expect(t.trace.steps[0]).toMatchObject({ send: { seq: t.isn.client } });
  });
});

describe('readCapture on built files', () => {
  const seg = (sport: number, flags: string[], seq: number) => tcp({ sport, dport: 80, seq, flags });

  it('IPv6 extension headers (hop-by-hop, routing, destination options) are skipped to reach TCP; atomic fragments are whole', () => {
    const data = [
      ipv6(1, 2, [{ next: 0, body: new Uint8Array(4) }, { next: 43, body: new Uint8Array(6) }, { next: 60, body: new Uint8Array(12) }], seg(1, ['SYN'], 7)),
      ipv6(1, 2, [{ next: 44, body: new Uint8Array(6) }], seg(2, ['SYN'], 8)),
    ];
    const c = read(pcap(229, data.map((d) => ({ data: d }))));
    expect(c.packets.map((p) => [p.srcAddr, p.srcPort, p.seq])).toEqual([['::1', 1, 7], ['::1', 2, 8]]);
    expect(c.packets[0]?.dstAddr).toBe('::2');
  });

  it('IP fragments, UDP, ICMP, ARP and unknown link layers are skipped and counted', () => {
    const frames = [
      ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, seg(1, ['SYN'], 1))),
      ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, seg(1, ['SYN'], 1), 0x2000)), // first fragment
      ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, new Uint8Array(8), 0x0003)), // a later fragment
      ethernet(0x86dd, ipv6(1, 2, [{ next: 44, body: Uint8Array.from([0, 8, 0, 0, 0, 1]) }], new Uint8Array(8))), // IPv6 fragment, offset 1
      ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 17, new Uint8Array(8))), // UDP
      ethernet(0x86dd, ipv6(1, 2, [], new Uint8Array(8), 58)), // ICMPv6
      ethernet(0x0806, new Uint8Array(28)), // ARP
      ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, seg(1, ['SYN'], 1)).subarray(0, 30)), // cut inside TCP
      ethernet(0x8100, new Uint8Array(2)), // a VLAN tag cut short
    ];
    const c = read(pcap(1, frames.map((data) => ({ data }))));
    expect(c.packets).toHaveLength(1);
    expect(c.frames).toBe(9);
    expect(c.skipped).toEqual({ unsupportedLink: 0, notIp: 1, notTcp: 2, fragments: 3, truncated: 2, malformed: 0 });
  });

  it('link types 12 and 14 are raw IP too (DLT_RAW values some old files carry)', () => {
    const base = bytesOf('normal-close-rawip.pcap');
    for (const lt of [12, 14]) {
      const b = base.slice();
      new DataView(b.buffer).setUint32(20, lt, true);
      expect(essence(read(b))).toEqual(essence(load('normal-close.pcap')));
    }
  });

  it('an interface of an unknown link type is counted, and named when nothing else is TCP', () => {
    const data = ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, seg(1, ['SYN'], 1)));
    const r = readCapture(pcap(147, [{ data }]));
    expect(r).toMatchObject({ ok: false, code: 'capture/no-tcp' });
    if (!r.ok) expect(r.message).toMatch(/link types this reader does not know \(147\)/);
    const mixed = read(concat(shb(), idb(147), idb(1), epb(0, data), epb(1, data)));
    expect(mixed.skipped.unsupportedLink).toBe(1);
    expect(mixed.packets).toHaveLength(1);
  });

  it('pcapng: unknown, name-resolution, statistics and custom blocks are skipped; simple packet blocks use interface 0', () => {
    const data = ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, seg(1, ['SYN'], 5)));
    const file = concat(shb(), block(4, new Uint8Array(4)), idb(1), block(0x00000bad, new Uint8Array(9)), block(0x40000bad, new Uint8Array(0)), spb(data), block(5, new Uint8Array(20)), epb(0, data));
    const c = read(file);
    expect(c.otherBlocks).toBe(4);
    expect(c.packets.map((p) => p.seq)).toEqual([5, 5]);
    expect(c.packets[0]?.time).toBeNull();
  });

  it('pcapng timestamps follow if_tsresol (powers of 10 and of 2) and if_tsoffset', () => {
    const data = ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, seg(1, ['SYN'], 5)));
    const offset = new Uint8Array(8);
    new DataView(offset.buffer).setBigInt64(0, 100n, true);
    const file = concat(
      shb(),
      idb(1, true, 0, [[9, Uint8Array.of(3)]]), // milliseconds
      idb(1, true, 0, [[9, Uint8Array.of(0x80 | 10)], [14, offset]]), // 1/1024 s, +100 s
      epb(0, data, true, [0, 1500]),
      epb(1, data, true, [0, 3 * 1024 + 512]),
      epb(0, data, true, [1, 0]), // 2^32 ms
    );
    expect(read(file).packets.map((p) => p.time)).toEqual([
      { sec: 1, nsec: 500_000_000 },
      { sec: 103, nsec: 500_000_000 },
      { sec: 4_294_967, nsec: 296_000_000 },
    ]);
  });

  it('pcapng options are read in the section\'s byte order', () => {
    const data = ethernet(0x0800, ipv4('10.0.0.1', '10.0.0.2', 6, seg(1, ['SYN'], 5)));
    const name = new TextEncoder().encode('eth0');
    const be = concat(shb(false), idb(1, false, 96, [[2, name]]), epb(0, data, false, [0, 2_000_000]));
    const c = read(be);
    expect(c.byteOrder).toBe('big-endian');
    expect(c.interfaces).toEqual([{ linkType: 1, snapLen: 96, name: 'eth0' }]);
    expect(c.packets[0]?.time).toEqual({ sec: 2, nsec: 0 });
    expect(options(false, [])).toHaveLength(0);
    expect(words(false, [1, 2])).toEqual(Uint8Array.of(0, 1));
  });

  it('TCP options and every flag are decoded; ECN and URG are listed as ignored by the converter', () => {
    const opts = [2, 4, 0x05, 0xb4, 1, 3, 3, 7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 30, 4, 0, 0];
    const file = pcap(101, [
      { data: ipv4('10.0.0.1', '10.0.0.2', 6, tcp({ sport: 1, dport: 2, seq: 9, flags: ['SYN', 'ECE', 'CWR'], options: opts })) },
      { data: ipv4('10.0.0.2', '10.0.0.1', 6, tcp({ sport: 2, dport: 1, seq: 50, ack: 10, flags: ['SYN', 'ACK', 'ECE'], options: [3, 3, 2] })) },
      { data: ipv4('10.0.0.1', '10.0.0.2', 6, tcp({ sport: 1, dport: 2, seq: 10, ack: 51, flags: ['ACK', 'URG', 'PSH'], payload: 3, win: 8 })) },
    ]);
    const c = read(file);
    expect(c.packets[0]?.flags).toEqual(['SYN', 'ECE', 'CWR']);
    expect(c.packets[0]?.options).toEqual([
      { kind: 2, name: 'mss', value: 1460 }, { kind: 3, name: 'window-scale', value: 7 }, { kind: 4, name: 'sack-permitted' },
      { kind: 8, name: 'timestamps' }, { kind: 30, name: 'mptcp' },
    ]);
    const t = streamTrace(c, 0);
    if (!t.ok) throw new Error(t.message);
    expect(t.ignored.map((n) => n.what)).toEqual(['option/mptcp', 'option/mss', 'option/sack-permitted', 'option/timestamps', 'option/window-scale', 'ecn', 'urgent']);
    expect(t.segments[2]?.windowSize).toBe(8 * 128);
    expect(t.trace.steps[2]).toMatchObject({ send: { flags: ['ACK', 'PSH'], len: 3 } });
  });
});
