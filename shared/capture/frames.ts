/** What the two file formats (pcap.ts, pcapng.ts) hand on: interfaces and the raw frames captured on them. */
import type { CaptureError } from './errors.ts';

/** One interface a capture was taken on (pcap has exactly one; pcapng one per interface description block). */
export interface CaptureInterface {
  /** LINKTYPE_ value (https://www.tcpdump.org/linktypes.html): 1 Ethernet, 113 Linux cooked v1, … */
  linkType: number;
  /** Largest number of bytes kept of each packet; 0 means no limit. */
  snapLen: number;
  /** The interface's name when the file gives one (pcapng if_name). */
  name?: string;
}

/** A packet record as the file stores it, before any protocol is decoded. */
export interface RawFrame {
  /** 1-based position among the file's packet records: Wireshark's frame number. */
  frame: number;
  /** Index into the file's interfaces (across all pcapng sections). */
  interfaceId: number;
  /** Seconds and nanoseconds since 1970; null when the record carries no time (pcapng simple packet blocks). */
  time: { sec: number; nsec: number } | null;
  /** Length of the packet on the wire. */
  origLen: number;
  /** The bytes captured (at most the snap length). A view into the file, not a copy. */
  data: Uint8Array;
}

/** A whole file, read. */
export interface FileRead {
  ok: true;
  format: 'pcap' | 'pcapng';
  /** Byte order of the file (of its first section, for pcapng). */
  byteOrder: 'little-endian' | 'big-endian';
  interfaces: CaptureInterface[];
  frames: RawFrame[];
  /** pcapng blocks that carry no packet and that the reader does not need (statistics, name resolution, secrets, custom). */
  otherBlocks: number;
}
/** A file read, or why it could not be. */
export type FileResult = FileRead | CaptureError;

/** The magic numbers, as the first four bytes read big-endian. */
export const MAGIC = {
  pcapMicroLE: 0xd4c3b2a1,
  pcapMicroBE: 0xa1b2c3d4,
  pcapNanoLE: 0x4d3cb2a1,
  pcapNanoBE: 0xa1b23c4d,
  pcapng: 0x0a0d0d0a,
  /** Alexey Kuznetzov's modified pcap (a1b2cd34): not read, but named in the error. */
  pcapModifiedLE: 0x34cdb2a1,
  pcapModifiedBE: 0xa1b2cd34,
} as const;

/** The first four bytes as a big-endian number, or null when there are fewer. */
export function leadingWord(bytes: Uint8Array): number | null {
  if (bytes.length < 4) return null;
  return (((bytes[0] as number) << 24) | ((bytes[1] as number) << 16) | ((bytes[2] as number) << 8) | (bytes[3] as number)) >>> 0;
}

/** Which capture format these bytes start like, by their magic number; null for anything else (a JSON trace, say). */
export function captureFormat(bytes: Uint8Array): 'pcap' | 'pcapng' | null {
  const w = leadingWord(bytes);
  if (w === MAGIC.pcapng) return 'pcapng';
  if (w === MAGIC.pcapMicroBE || w === MAGIC.pcapMicroLE || w === MAGIC.pcapNanoBE || w === MAGIC.pcapNanoLE) return 'pcap';
  return null;
}

/** True when the bytes start with any pcap or pcapng magic number, the unread modified pcap included: a capture, not a trace. */
export function hasCaptureMagic(bytes: Uint8Array): boolean {
  const w = leadingWord(bytes);
  return captureFormat(bytes) !== null || w === MAGIC.pcapModifiedLE || w === MAGIC.pcapModifiedBE;
}

/** A DataView over exactly these bytes. */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
