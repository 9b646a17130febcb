/**
 * TCP packets grouped into connections the way Wireshark numbers `tcp.stream`: from 0, in the
 * order of each connection's first packet, keyed by the two addresses and ports. A SYN (without
 * ACK) on a known address pair starts a new stream when the old one is over (a RST, or a FIN
 * from each end) or when it opens with a different sequence number than that end used before
 * (the port was reused); a repeated SYN with the same number is a retransmission.
 */
import { seqAdd, seqLt } from '../tcp/seq.ts';
import type { TcpPacket } from './packets.ts';

/** One end of a connection, as Wireshark writes it: `127.0.0.1:9000`, `[::1]:9000`. */
export function endpointText(addr: string, port: number, ipVersion: 4 | 6): string {
  return ipVersion === 6 ? `[${addr}]:${port}` : `${addr}:${port}`;
}

/** A connection found in the capture. */
export interface StreamSummary {
  /** Wireshark's tcp.stream number. */
  stream: number;
  /** The end that sent the first SYN without ACK; for a stream that starts mid-connection, the sender of its first packet. */
  client: string;
  /** The other end. */
  server: string;
  ipVersion: 4 | 6;
  /** TCP packets in the stream. */
  packets: number;
  firstFrame: number;
  lastFrame: number;
  /** 'syn' when the stream begins with the client's SYN; 'mid-connection' when the capture began after it. */
  start: 'syn' | 'mid-connection';
  /** Seconds from the stream's first packet to its last; null when the file has no timestamps. */
  duration: number | null;
  /** True when a RST was seen, or a FIN from each end. */
  finished: boolean;
}

interface Building {
  summary: StreamSummary;
  indexes: number[];
  /** First sequence number seen from each address:port, as Wireshark's base_seq. */
  baseSeq: Map<string, number>;
  fins: Set<string>;
  rst: boolean;
}

/** Groups packets (in file order) into streams; returns each stream's summary and the indexes of its packets. */
export function groupStreams(packets: readonly TcpPacket[]): { streams: StreamSummary[]; indexes: number[][] } {
  const current = new Map<string, Building>();
  const all: Building[] = [];
  packets.forEach((p, i) => {
    const src = endpointText(p.srcAddr, p.srcPort, p.ipVersion);
    const dst = endpointText(p.dstAddr, p.dstPort, p.ipVersion);
    const key = src < dst ? `${src} ${dst}` : `${dst} ${src}`;
    const syn = p.flags.includes('SYN') && !p.flags.includes('ACK');
    let s = current.get(key);
    if (s && syn) {
      const base = s.baseSeq.get(src);
      const over = s.rst || s.fins.size === 2;
      if (over || (base !== undefined && base !== p.seq)) s = undefined;
    }
    if (!s) {
      s = {
        summary: {
          stream: all.length, client: src, server: dst, ipVersion: p.ipVersion, packets: 0,
          firstFrame: p.frame, lastFrame: p.frame, start: syn ? 'syn' : 'mid-connection', duration: null, finished: false,
        },
        indexes: [], baseSeq: new Map(), fins: new Set(), rst: false,
      };
      // Without the opening SYN, a SYN+ACK still says who the client is.
      if (!syn && p.flags.includes('SYN')) { s.summary.client = dst; s.summary.server = src; }
      current.set(key, s);
      all.push(s);
    }
    s.indexes.push(i);
    s.summary.packets++;
    s.summary.lastFrame = p.frame;
    if (!s.baseSeq.has(src)) s.baseSeq.set(src, p.seq);
    if (p.flags.includes('FIN')) s.fins.add(src);
    if (p.flags.includes('RST')) s.rst = true;
    s.summary.finished = s.rst || s.fins.size === 2;
  });
  for (const s of all) {
    const first = packets[s.indexes[0] as number]?.time ?? null;
    const last = packets[s.indexes[s.indexes.length - 1] as number]?.time ?? null;
    s.summary.duration = first && last ? secondsBetween(first, last) : null;
  }
  return { streams: all.map((s) => s.summary), indexes: all.map((s) => s.indexes) };
}

/** b − a in seconds. */
export function secondsBetween(a: { sec: number; nsec: number }, b: { sec: number; nsec: number }): number {
  return (b.sec - a.sec) + (b.nsec - a.nsec) / 1e9;
}

/** Sequence space a captured segment occupies: payload, plus one each for SYN and FIN. */
export function occupiedLength(p: { flags: readonly string[]; payloadLength: number }): number {
  return p.payloadLength + (p.flags.includes('SYN') ? 1 : 0) + (p.flags.includes('FIN') ? 1 : 0);
}

/** The later of two sequence numbers (mod 2^32). */
export const seqMax = (a: number, b: number): number => (seqLt(a, b) ? b : a);
/** The sequence number just after a captured segment. */
export const seqEnd = (p: { seq: number; flags: readonly string[]; payloadLength: number }): number => seqAdd(p.seq, occupiedLength(p));
