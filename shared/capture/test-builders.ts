/**
 * Builders of capture files and packets for the tests: a few bytes at a time, so a test can
 * say exactly what is in its file (an IPv6 fragment, a block with a bad length). Pure, like
 * the rest of shared/; not used by the game itself.
 */

/** Concatenates byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

/** Big-endian (network order) bytes of unsigned numbers of the given widths. */
function be(...fields: [number, 1 | 2 | 4][]): Uint8Array {
  const out = new Uint8Array(fields.reduce((n, [, w]) => n + w, 0));
  const v = new DataView(out.buffer);
  let off = 0;
  for (const [x, w] of fields) {
    if (w === 1) v.setUint8(off, x);
    else if (w === 2) v.setUint16(off, x);
    else v.setUint32(off, x >>> 0);
    off += w;
  }
  return out;
}

/** Bytes of 32-bit (or 16-bit) fields in the given byte order. */
export function words(littleEndian: boolean, ...fields: [number, 2 | 4][]): Uint8Array {
  const out = new Uint8Array(fields.reduce((n, [, w]) => n + w, 0));
  const v = new DataView(out.buffer);
  let off = 0;
  for (const [x, w] of fields) {
    if (w === 2) v.setUint16(off, x, littleEndian);
    else v.setUint32(off, x >>> 0, littleEndian);
    off += w;
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Packets
// ---------------------------------------------------------------------------------------

/** A TCP segment to build. */
export interface TcpSpec {
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  /** Any of FIN SYN RST PSH ACK URG ECE CWR. */
  flags: string[];
  /** The window field. */
  win?: number;
  payload?: number;
  /** Raw option bytes (padded to 4 by the builder). */
  options?: number[];
}

const FLAG_BITS: Record<string, number> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128 };

/** A TCP header (no checksum) followed by `payload` zero bytes. */
export function tcp(t: TcpSpec): Uint8Array {
  const opts = [...(t.options ?? [])];
  while (opts.length % 4) opts.push(0);
  const doff = 5 + opts.length / 4;
  const bits = t.flags.reduce((b, f) => b | (FLAG_BITS[f] ?? 0), 0);
  return concat(
    be([t.sport, 2], [t.dport, 2], [t.seq, 4], [t.ack ?? 0, 4], [doff << 4, 1], [bits, 1], [t.win ?? 1000, 2], [0, 2], [0, 2]),
    Uint8Array.from(opts),
    new Uint8Array(t.payload ?? 0),
  );
}

/** An IPv4 header around a payload. `fragment` is the flags+offset field (0x2000 = more fragments). */
export function ipv4(src: string, dst: string, protocol: number, payload: Uint8Array, fragment = 0): Uint8Array {
  const addr = (a: string) => Uint8Array.from(a.split('.').map(Number));
  return concat(be([0x45, 1], [0, 1], [20 + payload.length, 2], [0, 2], [fragment, 2], [64, 1], [protocol, 1], [0, 2]), addr(src), addr(dst), payload);
}

/** An IPv6 header (addresses ::1 style, given as 16 bytes' last value) with optional extension headers before the payload. */
export function ipv6(srcLast: number, dstLast: number, chain: { next: number; body: Uint8Array }[], payload: Uint8Array, nextHeader = 6): Uint8Array {
  // Each extension header: next header, length, body (padded so that the header is a multiple of 8).
  const exts: Uint8Array[] = [];
  const types = [...chain.map((c) => c.next), nextHeader];
  chain.forEach((c, i) => {
    const next = types[i + 1] as number;
    if (c.next === 44) exts.push(concat(be([next, 1], [0, 1]), c.body));
    else {
      const body = new Uint8Array(Math.ceil((c.body.length + 2) / 8) * 8 - 2);
      body.set(c.body);
      exts.push(concat(be([next, 1], [(body.length + 2) / 8 - 1, 1]), body));
    }
  });
  const rest = concat(...exts, payload);
  const addr = (last: number) => { const a = new Uint8Array(16); a[15] = last; return a; };
  return concat(be([0x60000000, 4], [rest.length, 2], [types[0] as number, 1], [64, 1]), addr(srcLast), addr(dstLast), rest);
}

/** An Ethernet frame (zero addresses, as on Linux loopback), with optional VLAN tags (TPID, VID). */
export function ethernet(ethertype: number, payload: Uint8Array, tags: [number, number][] = []): Uint8Array {
  return concat(new Uint8Array(12), ...tags.map(([tpid, vid]) => be([tpid, 2], [vid, 2])), be([ethertype, 2]), payload);
}

// ---------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------

/** One pcap record: the packet and, where a test needs them, its header fields. */
export interface PcapRecord { data: Uint8Array; sec?: number; frac?: number; origLen?: number; inclLen?: number }

/** A classic pcap file. */
export function pcap(linkType: number, records: PcapRecord[], o: { littleEndian?: boolean; nano?: boolean; snapLen?: number; version?: number } = {}): Uint8Array {
  const le = o.littleEndian ?? true;
  const header = words(le, [o.nano ? 0xa1b23c4d : 0xa1b2c3d4, 4], [o.version ?? 2, 2], [4, 2], [0, 4], [0, 4], [o.snapLen ?? 65535, 4], [linkType, 4]);
  return concat(header, ...records.map((r, i) => concat(
    words(le, [r.sec ?? 1_700_000_000, 4], [r.frac ?? i, 4], [r.inclLen ?? r.data.length, 4], [r.origLen ?? r.data.length, 4]),
    r.data,
  )));
}

/** One pcapng block: type, total length, body padded to 4 bytes, total length. */
export function block(type: number, body: Uint8Array, le = true, lengthOverride?: number): Uint8Array {
  const padded = concat(body, new Uint8Array((4 - (body.length % 4)) % 4));
  const n = lengthOverride ?? padded.length + 12;
  return concat(words(le, [type, 4], [n, 4]), padded, words(le, [n, 4]));
}

/** pcapng options: code, length, value padded to 4, then opt_endofopt. */
export function options(le: boolean, opts: [number, Uint8Array][]): Uint8Array {
  if (!opts.length) return new Uint8Array(0);
  return concat(...opts.map(([code, v]) => concat(words(le, [code, 2], [v.length, 2]), v, new Uint8Array((4 - (v.length % 4)) % 4))), words(le, [0, 2], [0, 2]));
}

/** A section header block. */
export function shb(le = true): Uint8Array {
  return block(0x0a0d0d0a, concat(words(le, [0x1a2b3c4d, 4], [1, 2], [0, 2], [0xffffffff, 4], [0xffffffff, 4])), le);
}

/** An interface description block. */
export function idb(linkType: number, le = true, snapLen = 0, opts: [number, Uint8Array][] = []): Uint8Array {
  return block(1, concat(words(le, [linkType, 2], [0, 2], [snapLen, 4]), options(le, opts)), le);
}

/** An enhanced packet block. */
export function epb(interfaceId: number, data: Uint8Array, le = true, ts: [number, number] = [0, 0], capLen?: number): Uint8Array {
  return block(6, concat(words(le, [interfaceId, 4], [ts[0], 4], [ts[1], 4], [capLen ?? data.length, 4], [data.length, 4]), data), le);
}

/** A simple packet block. */
export function spb(data: Uint8Array, le = true): Uint8Array {
  return block(3, concat(words(le, [data.length, 4]), data), le);
}

// ---------------------------------------------------------------------------------------
// Conversations: a stream described segment by segment, as a pcap of raw IPv4 packets
// ---------------------------------------------------------------------------------------

/** One segment of a built conversation. */
export interface Exchange {
  /** c: client (10.0.0.1:40000) to server (10.0.0.2:80); s: the other way. */
  from: 'c' | 's';
  flags: string[];
  seq: number;
  ack?: number;
  len?: number;
  /** The window field. */
  win?: number;
  options?: number[];
  /** Another client port, for a second connection in the same file. */
  port?: number;
}

/** A raw-IP pcap (link type 101) holding these segments in this order. */
export function conversation(segments: Exchange[]): Uint8Array {
  return pcap(101, segments.map((x, i) => {
    const cport = x.port ?? 40000;
    const c = x.from === 'c';
    const spec: TcpSpec = { sport: c ? cport : 80, dport: c ? 80 : cport, seq: x.seq, flags: x.flags };
    if (x.ack !== undefined) spec.ack = x.ack;
    if (x.len !== undefined) spec.payload = x.len;
    if (x.win !== undefined) spec.win = x.win;
    if (x.options !== undefined) spec.options = x.options;
    return { data: ipv4(c ? '10.0.0.1' : '10.0.0.2', c ? '10.0.0.2' : '10.0.0.1', 6, tcp(spec)), frac: i * 1000 };
  }));
}
