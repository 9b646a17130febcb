/**
 * From a captured frame to a TCP segment: the link layer (Ethernet with 802.1Q/802.1ad tags,
 * Linux cooked v1 and v2, raw IP, BSD loopback), IPv4 or IPv6 (skipping extension headers),
 * then the TCP header and its options. Anything else is a reason to skip the frame.
 */
import { viewOf } from './frames.ts';

/** Link types read (LINKTYPE_ values, https://www.tcpdump.org/linktypes.html). */
export const LINK_TYPES = {
  null: 0,
  ethernet: 1,
  /** DLT_RAW as most systems number it; some old pcap files carry the DLT value, not LINKTYPE_RAW. */
  rawDlt12: 12,
  /** DLT_RAW on OpenBSD. */
  rawDlt14: 14,
  raw: 101,
  loop: 108,
  linuxSll: 113,
  ipv4: 228,
  ipv6: 229,
  linuxSll2: 276,
} as const;
const READ_LINK_TYPES: readonly number[] = Object.values(LINK_TYPES);

/** True when frames of this link type can be decoded. */
export const isReadableLinkType = (linkType: number): boolean => READ_LINK_TYPES.includes(linkType);

/** Every TCP header flag, by the name Wireshark shows. */
export type TcpFlagName = 'FIN' | 'SYN' | 'RST' | 'PSH' | 'ACK' | 'URG' | 'ECE' | 'CWR' | 'AE';

/** A TCP option, by kind; `name` is what notes call it. */
export interface TcpOption {
  kind: number;
  name: string;
  /** MSS (kind 2), window scale shift (kind 3). */
  value?: number;
}

/** One TCP segment decoded from a frame. */
export interface TcpPacket {
  /** Wireshark's frame number (1-based, in file order). */
  frame: number;
  interfaceId: number;
  time: { sec: number; nsec: number } | null;
  ipVersion: 4 | 6;
  srcAddr: string;
  dstAddr: string;
  srcPort: number;
  dstPort: number;
  /** Absolute sequence and acknowledgment numbers, as on the wire. */
  seq: number;
  ack: number;
  flags: TcpFlagName[];
  /** The window field as sent (not scaled). */
  window: number;
  urgentPointer: number;
  /** Payload bytes, from the IP lengths (so the payload itself need not have been captured). */
  payloadLength: number;
  options: TcpOption[];
}

/** Why a frame is not a TCP segment we read. */
export type SkipReason = 'unsupported-link' | 'not-ip' | 'not-tcp' | 'fragment' | 'truncated' | 'malformed';

/** A frame decoded to its TCP segment, or skipped (and why). */
export type Decoded = { ok: true; packet: TcpPacket } | { ok: false; skip: SkipReason };

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
/** 802.1Q, 802.1ad, and the older pre-standard 0x9100 used for QinQ. */
const VLAN_TPIDS: readonly number[] = [0x8100, 0x88a8, 0x9100];
/** Address family values for IPv6 in BSD loopback headers: Linux, NetBSD/OpenBSD, FreeBSD, macOS. */
const AF_INET6: readonly number[] = [10, 24, 28, 30];
const AF_INET = 2;

const skip = (why: SkipReason): Decoded => ({ ok: false, skip: why });

interface FrameIn { frame: number; interfaceId: number; time: { sec: number; nsec: number } | null; origLen: number; data: Uint8Array }

/** Decodes one frame of a given link type down to its TCP segment, or says why it is skipped. */
export function decodeFrame(linkType: number, f: FrameIn): Decoded {
  const d = f.data;
  const v = viewOf(d);
  let off: number;
  let ethertype: number | 'by-version';
  switch (linkType) {
    case LINK_TYPES.ethernet:
      if (d.length < 14) return skip('truncated');
      off = 14;
      ethertype = v.getUint16(12);
      break;
    case LINK_TYPES.linuxSll:
      if (d.length < 16) return skip('truncated');
      off = 16;
      ethertype = v.getUint16(14);
      break;
    case LINK_TYPES.linuxSll2:
      if (d.length < 20) return skip('truncated');
      off = 20;
      ethertype = v.getUint16(0);
      break;
    case LINK_TYPES.raw:
    case LINK_TYPES.rawDlt12:
    case LINK_TYPES.rawDlt14:
      off = 0;
      ethertype = 'by-version';
      break;
    case LINK_TYPES.ipv4:
      off = 0;
      ethertype = ETHERTYPE_IPV4;
      break;
    case LINK_TYPES.ipv6:
      off = 0;
      ethertype = ETHERTYPE_IPV6;
      break;
    case LINK_TYPES.null:
    case LINK_TYPES.loop: {
      if (d.length < 4) return skip('truncated');
      // NULL's family is in the capturing host's byte order, LOOP's in network order. A
      // family is small, so a value with high bits set was written the other way round.
      let family = linkType === LINK_TYPES.loop ? v.getUint32(0) : v.getUint32(0, true);
      if (family > 0xffff) family = v.getUint32(0, linkType !== LINK_TYPES.loop);
      off = 4;
      if (family === AF_INET) ethertype = ETHERTYPE_IPV4;
      else if (AF_INET6.includes(family)) ethertype = ETHERTYPE_IPV6;
      else return skip('not-ip');
      break;
    }
    default:
      return skip('unsupported-link');
  }
  // VLAN tags (Ethernet and cooked captures alike): each is TPID-then-TCI, the next type after it.
  while (typeof ethertype === 'number' && VLAN_TPIDS.includes(ethertype)) {
    if (d.length < off + 4) return skip('truncated');
    ethertype = v.getUint16(off + 2);
    off += 4;
  }
  if (ethertype === 'by-version') {
    if (d.length <= off) return skip('truncated');
    const version = (d[off] as number) >> 4;
    ethertype = version === 4 ? ETHERTYPE_IPV4 : version === 6 ? ETHERTYPE_IPV6 : -1;
  }
  // What the link layer said the packet's length is, for IP lengths of 0 (segmentation offload).
  const linkPayload = f.origLen - off;
  if (ethertype === ETHERTYPE_IPV4) return decodeIpv4(f, d, off, linkPayload);
  if (ethertype === ETHERTYPE_IPV6) return decodeIpv6(f, d, off, linkPayload);
  return skip('not-ip');
}

function decodeIpv4(f: FrameIn, d: Uint8Array, off: number, linkPayload: number): Decoded {
  if (d.length < off + 20) return skip('truncated');
  const v = viewOf(d);
  if ((d[off] as number) >> 4 !== 4) return skip('malformed');
  const ihl = ((d[off] as number) & 0x0f) * 4;
  if (ihl < 20) return skip('malformed');
  let total = v.getUint16(off + 2);
  // 0 is what a capture taken before TCP segmentation offload shows for a large segment.
  if (total === 0) total = linkPayload;
  if (total < ihl) return skip('malformed');
  const fragment = v.getUint16(off + 6);
  // More fragments, or an offset: a piece of a datagram. They are not reassembled.
  if ((fragment & 0x2000) !== 0 || (fragment & 0x1fff) !== 0) return skip('fragment');
  if (d[off + 9] !== 6) return skip('not-tcp');
  if (d.length < off + ihl) return skip('truncated');
  const src = Array.from(d.subarray(off + 12, off + 16)).join('.');
  const dst = Array.from(d.subarray(off + 16, off + 20)).join('.');
  return decodeTcp(f, d, off + ihl, total - ihl, 4, src, dst);
}

/** IPv6 extension headers that may precede TCP (RFC 8200 4.1), skipped by their length. */
const EXT_HOP_BY_HOP = 0;
const EXT_ROUTING = 43;
const EXT_FRAGMENT = 44;
const EXT_AUTH = 51;
const EXT_DEST_OPTS = 60;

function decodeIpv6(f: FrameIn, d: Uint8Array, off: number, linkPayload: number): Decoded {
  if (d.length < off + 40) return skip('truncated');
  const v = viewOf(d);
  if ((d[off] as number) >> 4 !== 6) return skip('malformed');
  let payload = v.getUint16(off + 4);
  if (payload === 0) payload = linkPayload - 40; // a jumbogram, or offloaded segmentation
  if (payload < 0) return skip('malformed');
  let next = d[off + 6] as number;
  const src = ipv6Text(d.subarray(off + 8, off + 24));
  const dst = ipv6Text(d.subarray(off + 24, off + 40));
  let p = off + 40;
  let left = payload;
  for (;;) {
    if (next === 6) break;
    if (next !== EXT_HOP_BY_HOP && next !== EXT_ROUTING && next !== EXT_FRAGMENT && next !== EXT_AUTH && next !== EXT_DEST_OPTS) return skip('not-tcp');
    if (d.length < p + 8) return skip('truncated');
    let len: number;
    if (next === EXT_FRAGMENT) {
      const offsetAndM = v.getUint16(p + 2);
      // An atomic fragment (offset 0, no more fragments: RFC 6946) is a whole packet.
      if ((offsetAndM & 0xfff9) !== 0) return skip('fragment');
      len = 8;
    } else if (next === EXT_AUTH) {
      len = ((d[p + 1] as number) + 2) * 4;
    } else {
      len = ((d[p + 1] as number) + 1) * 8;
    }
    if (len > left) return skip('malformed');
    next = d[p] as number;
    p += len;
    left -= len;
  }
  return decodeTcp(f, d, p, left, 6, src, dst);
}

const FLAG_BITS: [number, TcpFlagName][] = [
  [0x01, 'FIN'], [0x02, 'SYN'], [0x04, 'RST'], [0x08, 'PSH'], [0x10, 'ACK'], [0x20, 'URG'], [0x40, 'ECE'], [0x80, 'CWR'],
];

function decodeTcp(f: FrameIn, d: Uint8Array, off: number, segLen: number, ipVersion: 4 | 6, srcAddr: string, dstAddr: string): Decoded {
  if (segLen < 20) return skip('malformed');
  if (d.length < off + 20) return skip('truncated');
  const v = viewOf(d);
  const headerLen = ((d[off + 12] as number) >> 4) * 4;
  if (headerLen < 20 || headerLen > segLen) return skip('malformed');
  const bits = d[off + 13] as number;
  const flags: TcpFlagName[] = FLAG_BITS.filter(([b]) => (bits & b) !== 0).map(([, n]) => n);
  if (((d[off + 12] as number) & 0x01) !== 0) flags.push('AE');
  // Options as far as they were captured (a small snap length may cut them).
  const optEnd = Math.min(off + headerLen, d.length);
  return {
    ok: true,
    packet: {
      frame: f.frame,
      interfaceId: f.interfaceId,
      time: f.time,
      ipVersion,
      srcAddr,
      dstAddr,
      srcPort: v.getUint16(off),
      dstPort: v.getUint16(off + 2),
      seq: v.getUint32(off + 4),
      ack: v.getUint32(off + 8),
      flags,
      window: v.getUint16(off + 14),
      urgentPointer: v.getUint16(off + 18),
      payloadLength: segLen - headerLen,
      options: readTcpOptions(d.subarray(off + 20, optEnd)),
    },
  };
}

const OPTION_NAMES: Record<number, string> = {
  2: 'mss', 3: 'window-scale', 4: 'sack-permitted', 5: 'sack', 8: 'timestamps', 19: 'md5',
  28: 'user-timeout', 29: 'tcp-ao', 30: 'mptcp', 34: 'fast-open',
};

/** TCP options (RFC 9293 3.2): kinds 0 (end) and 1 (no-op) are one byte; the rest are kind, length, value. */
function readTcpOptions(b: Uint8Array): TcpOption[] {
  const out: TcpOption[] = [];
  let i = 0;
  while (i < b.length) {
    const kind = b[i] as number;
    if (kind === 0) break;
    if (kind === 1) { i++; continue; }
    if (i + 1 >= b.length) break;
    const len = b[i + 1] as number;
    if (len < 2 || i + len > b.length) break;
    const opt: TcpOption = { kind, name: OPTION_NAMES[kind] ?? `option-${kind}` };
    if (kind === 2 && len === 4) opt.value = ((b[i + 2] as number) << 8) | (b[i + 3] as number);
    if (kind === 3 && len === 3) opt.value = b[i + 2] as number;
    out.push(opt);
    i += len;
  }
  return out;
}

/** RFC 5952 text for an IPv6 address: lower case, the longest run of zero groups as "::". */
export function ipv6Text(b: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] as number) << 8) | (b[i + 1] as number));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hexes = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hexes.join(':');
  return `${hexes.slice(0, bestStart).join(':')}::${hexes.slice(bestStart + bestLen).join(':')}`;
}
