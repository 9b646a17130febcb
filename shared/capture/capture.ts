/**
 * Import a Wireshark capture and judge it: the entry points for the command line and the
 * browser. Pure and synchronous: bytes in, streams and traces out; nothing here throws.
 */
import { CAPTURE_ERRORS, MAX_CAPTURE_BYTES, captureError, type CaptureError } from './errors.ts';
import { MAGIC, captureFormat, leadingWord, type CaptureInterface, type FileResult } from './frames.ts';
import { decodeFrame, isReadableLinkType, type SkipReason, type TcpPacket } from './packets.ts';
import { readPcap } from './pcap.ts';
import { readPcapng } from './pcapng.ts';
import { groupStreams, type StreamSummary } from './streams.ts';
import { convertStream, type StreamTrace } from './to-trace.ts';

// Everything a caller needs, from one module.
export { CAPTURE_ERRORS, CAPTURE_ERROR_CODE_VALUES, MAX_CAPTURE_BYTES, type CaptureError, type CaptureErrorCode } from './errors.ts';
export { captureFormat, hasCaptureMagic, type CaptureInterface } from './frames.ts';
export { LINK_TYPES, type TcpFlagName, type TcpOption, type TcpPacket } from './packets.ts';
export type { StreamSummary } from './streams.ts';
export type { IgnoredNote, SegmentKind, StreamSegment, StreamTrace } from './to-trace.ts';

/** Frames that are not TCP segments the reader decodes, counted by why. */
export interface SkippedCounts {
  /** On an interface whose link type is not read (see LINK_TYPES). */
  unsupportedLink: number;
  /** Not IPv4 or IPv6 (ARP, LLC, …). */
  notIp: number;
  /** IP, but not TCP (UDP, ICMP, …). */
  notTcp: number;
  /** IP fragments: not reassembled. */
  fragments: number;
  /** Cut by the snap length before the end of the TCP header's fixed part. */
  truncated: number;
  /** Headers whose lengths contradict each other. */
  malformed: number;
}

/** A capture read: its streams, its TCP packets and what was skipped. */
export interface Capture {
  format: 'pcap' | 'pcapng';
  byteOrder: 'little-endian' | 'big-endian';
  interfaces: CaptureInterface[];
  /** Packet records in the file. */
  frames: number;
  /** Wireshark's tcp.stream order. */
  streams: StreamSummary[];
  /** Every decoded TCP segment, in file order, with its stream number. */
  packets: (TcpPacket & { stream: number })[];
  /** For each stream, the indexes of its packets in `packets`. */
  packetsByStream: number[][];
  skipped: SkippedCounts;
  /** pcapng blocks skipped because they carry no packets (statistics, name resolution, …). */
  otherBlocks: number;
}

/** What readCapture answers: the capture, or a code and a message. */
export type ReadCaptureResult = { ok: true; capture: Capture } | CaptureError;
/** What streamTrace answers: the converted stream, or a code and a message. */
export type StreamTraceResult = StreamTrace | CaptureError;

const SKIP_FIELD: Record<SkipReason, keyof SkippedCounts> = {
  'unsupported-link': 'unsupportedLink',
  'not-ip': 'notIp',
  'not-tcp': 'notTcp',
  'fragment': 'fragments',
  'truncated': 'truncated',
  'malformed': 'malformed',
};

/** Reads a pcap or pcapng file (detected by its magic number) into its TCP streams; never throws. */
export function readCapture(bytes: Uint8Array): ReadCaptureResult {
  try {
    return read(bytes);
  } catch (e) {
    return captureError(CAPTURE_ERRORS.internal, `the capture reader failed unexpectedly (${e instanceof Error ? e.message : String(e)}): please report this file`);
  }
}

function read(bytes: Uint8Array): ReadCaptureResult {
  if (!(bytes instanceof Uint8Array)) return captureError(CAPTURE_ERRORS.badMagic, 'not a capture: expected the bytes of a file');
  if (bytes.length > MAX_CAPTURE_BYTES) {
    return captureError(CAPTURE_ERRORS.tooLarge, `the capture is ${bytes.length} bytes; at most ${MAX_CAPTURE_BYTES} (8 MiB) are read: filter it first (e.g. editcap or tshark -Y tcp.stream==0 -w small.pcap)`);
  }
  if (bytes.length < 4) return captureError(CAPTURE_ERRORS.truncated, `the file has ${bytes.length} bytes: too short to be a capture`);
  const format = captureFormat(bytes);
  let file: FileResult;
  if (format === 'pcap') file = readPcap(bytes);
  else if (format === 'pcapng') file = readPcapng(bytes);
  else {
    const w = leadingWord(bytes);
    const modified = w === MAGIC.pcapModifiedLE || w === MAGIC.pcapModifiedBE;
    return captureError(CAPTURE_ERRORS.badMagic, modified
      ? 'this is a "modified" (Kuznetzov) pcap, which is not read: convert it with editcap -F pcap'
      : 'not a pcap or pcapng file: it does not begin with a known magic number');
  }
  if (!file.ok) return file;

  const skipped: SkippedCounts = { unsupportedLink: 0, notIp: 0, notTcp: 0, fragments: 0, truncated: 0, malformed: 0 };
  const packets: TcpPacket[] = [];
  for (const f of file.frames) {
    const iface = file.interfaces[f.interfaceId] as CaptureInterface;
    const d = decodeFrame(iface.linkType, f);
    if (d.ok) packets.push(d.packet);
    else skipped[SKIP_FIELD[d.skip]]++;
  }
  if (packets.length === 0) return captureError(CAPTURE_ERRORS.noTcp, noTcpMessage(file.frames.length, skipped, file.interfaces));

  const { streams, indexes } = groupStreams(packets);
  const withStream = packets.map((p) => ({ ...p, stream: -1 }));
  indexes.forEach((list, s) => { for (const i of list) (withStream[i] as { stream: number }).stream = s; });
  return {
    ok: true,
    capture: {
      format: file.format,
      byteOrder: file.byteOrder,
      interfaces: file.interfaces,
      frames: file.frames.length,
      streams,
      packets: withStream,
      packetsByStream: indexes,
      skipped,
      otherBlocks: file.otherBlocks,
    },
  };
}

function noTcpMessage(frames: number, skipped: SkippedCounts, interfaces: readonly CaptureInterface[]): string {
  if (frames === 0) return 'the capture holds no packets';
  const parts = ([
    [skipped.unsupportedLink, `on link types this reader does not know (${[...new Set(interfaces.map((i) => i.linkType).filter((t) => !isReadableLinkType(t)))].join(', ')})`],
    [skipped.notIp, 'not IP'],
    [skipped.notTcp, 'IP but not TCP'],
    [skipped.fragments, 'IP fragments'],
    [skipped.truncated, 'cut short by the snap length'],
    [skipped.malformed, 'malformed'],
  ] as [number, string][]).filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
  return `the capture holds no TCP segment: of its ${frames} packet${frames === 1 ? '' : 's'}, ${parts.join(', ')}`;
}

/** Converts stream n of a capture read by readCapture into a trace (format v1) for replayTrace, with each segment's relative numbers and what was ignored. */
export function streamTrace(capture: Capture, n: number): StreamTraceResult {
  try {
    const summary = Number.isInteger(n) ? capture.streams[n] : undefined;
    if (!summary) {
      return captureError(CAPTURE_ERRORS.noStream, `there is no stream ${n}: the capture has ${capture.streams.length} (0–${capture.streams.length - 1})`);
    }
    const packets = (capture.packetsByStream[n] ?? []).map((i) => capture.packets[i] as TcpPacket);
    const first = packets[0];
    if (!first || summary.start !== 'syn') {
      const what = first ? first.flags.join('+') || 'no flags' : 'nothing';
      return captureError(CAPTURE_ERRORS.midConnection, `stream ${n} starts mid-connection: its first segment (frame ${summary.firstFrame}) is ${what}, not the client's SYN, so there is no opening to judge from`);
    }
    return convertStream(summary, packets, `a ${capture.format} capture`);
  } catch (e) {
    return captureError(CAPTURE_ERRORS.internal, `converting stream ${n} failed unexpectedly (${e instanceof Error ? e.message : String(e)}): please report this file`);
  }
}
