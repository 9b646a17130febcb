/**
 * The pcapng file format (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng-03.html):
 * a sequence of blocks, each `type, total length, body, total length`. Read here: section
 * header blocks (either byte order; a file may hold several sections), interface description
 * blocks (link type, snap length, if_tsresol, if_tsoffset, if_name), enhanced, simple and
 * obsolete packet blocks. Every other block type is skipped and counted.
 */
import { CAPTURE_ERRORS, captureError, type CaptureError } from './errors.ts';
import { MAGIC, leadingWord, viewOf, type CaptureInterface, type FileResult, type RawFrame } from './frames.ts';

const BLOCK = {
  sectionHeader: 0x0a0d0d0a,
  interfaceDescription: 0x00000001,
  obsoletePacket: 0x00000002,
  simplePacket: 0x00000003,
  enhancedPacket: 0x00000006,
} as const;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const OPT_END = 0;
const IF_NAME = 2;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

/** How an interface's timestamps are turned into seconds and nanoseconds. */
interface Clock {
  /** Timestamp units per second: 10^n or 2^n. */
  unitsPerSecond: bigint;
  /** Seconds added to every timestamp (if_tsoffset). */
  offset: bigint;
}

interface SectionInterface extends CaptureInterface {
  globalId: number;
  clock: Clock;
}

/** Reads a pcapng file into its interfaces and frames, or says what is wrong with it. */
export function readPcapng(bytes: Uint8Array): FileResult {
  if (leadingWord(bytes) !== MAGIC.pcapng) return captureError(CAPTURE_ERRORS.badMagic, 'not a pcapng file: it does not begin with a section header block (0a0d0d0a)');
  const v = viewOf(bytes);
  const interfaces: CaptureInterface[] = [];
  const frames: RawFrame[] = [];
  let otherBlocks = 0;
  let firstOrder: boolean | null = null;
  let le = true;
  let section: SectionInterface[] = [];
  let off = 0;
  let blockNo = 0;

  while (off < bytes.length) {
    blockNo++;
    const where = `block ${blockNo} (byte ${off})`;
    if (bytes.length - off < 8) return captureError(CAPTURE_ERRORS.truncated, `the file ends inside the header of ${where}: it was cut short`);
    const rawType = v.getUint32(off, true);
    if (rawType === BLOCK.sectionHeader) {
      // The byte order of a section is that of its byte-order magic, which follows the length.
      if (bytes.length - off < 12) return captureError(CAPTURE_ERRORS.truncated, `the file ends inside the section header ${where}: it was cut short`);
      const bom = v.getUint32(off + 8, true);
      if (bom === BYTE_ORDER_MAGIC) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else return captureError(CAPTURE_ERRORS.badHeader, `the section header ${where} has the byte-order magic ${hex(bom)}, not 1a2b3c4d in either byte order`);
      if (firstOrder === null) firstOrder = le;
    }
    const type = v.getUint32(off, le);
    const length = v.getUint32(off + 4, le);
    if (length < 12 || length % 4 !== 0) {
      return captureError(CAPTURE_ERRORS.badBlock, `${where} has a length of ${length} bytes; a block is at least 12 bytes and a multiple of 4`);
    }
    if (length > bytes.length - off) {
      return captureError(CAPTURE_ERRORS.truncated, `${where} claims ${length} bytes but only ${bytes.length - off} remain: the file was cut short or the length is corrupt`);
    }
    if (v.getUint32(off + length - 4, le) !== length) {
      return captureError(CAPTURE_ERRORS.badBlock, `${where}: the length at its end (${v.getUint32(off + length - 4, le)}) differs from the one at its start (${length})`);
    }
    const body = bytes.subarray(off + 8, off + length - 4);
    const bv = viewOf(body);

    switch (type) {
      case BLOCK.sectionHeader: {
        if (body.length < 16) return captureError(CAPTURE_ERRORS.badBlock, `the section header ${where} is shorter than its fixed fields`);
        const major = bv.getUint16(4, le);
        if (major !== 1) return captureError(CAPTURE_ERRORS.badHeader, `the section header ${where} is pcapng version ${major}.${bv.getUint16(6, le)}; this reader knows 1.0`);
        section = [];
        break;
      }
      case BLOCK.interfaceDescription: {
        if (body.length < 8) return captureError(CAPTURE_ERRORS.badBlock, `the interface description ${where} is shorter than its fixed fields`);
        const opts = readOptions(body.subarray(8), le, where);
        if (!Array.isArray(opts)) return opts;
        const iface: SectionInterface = {
          linkType: bv.getUint16(0, le),
          snapLen: bv.getUint32(4, le),
          globalId: interfaces.length,
          clock: { unitsPerSecond: 1_000_000n, offset: 0n },
        };
        for (const o of opts) {
          if (o.code === IF_NAME) iface.name = utf8(o.value);
          else if (o.code === IF_TSRESOL && o.value.length >= 1) {
            const r = o.value[0] as number;
            iface.clock.unitsPerSecond = r & 0x80 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r);
          } else if (o.code === IF_TSOFFSET && o.value.length >= 8) {
            iface.clock.offset = viewOf(o.value).getBigInt64(0, le);
          }
        }
        section.push(iface);
        const pub: CaptureInterface = { linkType: iface.linkType, snapLen: iface.snapLen };
        if (iface.name !== undefined) pub.name = iface.name;
        interfaces.push(pub);
        break;
      }
      case BLOCK.enhancedPacket:
      case BLOCK.obsoletePacket: {
        const enhanced = type === BLOCK.enhancedPacket;
        const kind = enhanced ? 'enhanced packet' : 'packet';
        if (body.length < 20) return captureError(CAPTURE_ERRORS.badBlock, `the ${kind} ${where} is shorter than its fixed fields`);
        const ifId = enhanced ? bv.getUint32(0, le) : bv.getUint16(0, le);
        const iface = section[ifId];
        if (!iface) return captureError(CAPTURE_ERRORS.badPacket, `the ${kind} ${where} is on interface ${ifId}, but its section describes ${section.length}`);
        const capLen = bv.getUint32(12, le);
        const origLen = bv.getUint32(16, le);
        if (capLen > body.length - 20) return captureError(CAPTURE_ERRORS.badBlock, `the ${kind} ${where} claims ${capLen} captured bytes but the block holds ${body.length - 20}`);
        if (iface.snapLen > 0 && capLen > iface.snapLen) {
          return captureError(CAPTURE_ERRORS.badPacket, `the ${kind} ${where} claims ${capLen} captured bytes, more than its interface's snap length of ${iface.snapLen}`);
        }
        const ts = (BigInt(bv.getUint32(4, le)) << 32n) | BigInt(bv.getUint32(8, le));
        frames.push({
          frame: frames.length + 1,
          interfaceId: iface.globalId,
          time: toTime(ts, iface.clock),
          origLen: Math.max(origLen, capLen),
          data: body.subarray(20, 20 + capLen),
        });
        break;
      }
      case BLOCK.simplePacket: {
        if (body.length < 4) return captureError(CAPTURE_ERRORS.badBlock, `the simple packet ${where} is shorter than its fixed fields`);
        const iface = section[0];
        if (!iface) return captureError(CAPTURE_ERRORS.badPacket, `the simple packet ${where} comes before any interface description in its section`);
        const origLen = bv.getUint32(0, le);
        // A simple packet block holds min(original length, snap length) bytes.
        const capLen = iface.snapLen > 0 ? Math.min(origLen, iface.snapLen) : origLen;
        if (capLen > body.length - 4) return captureError(CAPTURE_ERRORS.badBlock, `the simple packet ${where} should hold ${capLen} bytes but the block holds ${body.length - 4}`);
        frames.push({ frame: frames.length + 1, interfaceId: iface.globalId, time: null, origLen, data: body.subarray(4, 4 + capLen) });
        break;
      }
      default:
        otherBlocks++;
    }
    off += length;
  }
  return { ok: true, format: 'pcapng', byteOrder: firstOrder === false ? 'big-endian' : 'little-endian', interfaces, frames, otherBlocks };
}

interface BlockOption { code: number; value: Uint8Array }

/** The options after a block's fixed fields (code, length, value padded to 4 bytes), up to opt_endofopt. */
function readOptions(bytes: Uint8Array, le: boolean, where: string): BlockOption[] | CaptureError {
  const v = viewOf(bytes);
  const out: BlockOption[] = [];
  let off = 0;
  while (bytes.length - off >= 4) {
    const code = v.getUint16(off, le);
    const len = v.getUint16(off + 2, le);
    if (code === OPT_END) break;
    if (len > bytes.length - off - 4) return captureError(CAPTURE_ERRORS.badBlock, `an option of ${where} claims ${len} bytes, more than the block holds`);
    out.push({ code, value: bytes.subarray(off + 4, off + 4 + len) });
    off += 4 + len + ((4 - (len % 4)) % 4);
  }
  return out;
}

/** A raw timestamp in an interface's units, as seconds and nanoseconds since 1970. */
function toTime(ts: bigint, clock: Clock): { sec: number; nsec: number } {
  const sec = ts / clock.unitsPerSecond + clock.offset;
  const nsec = ((ts % clock.unitsPerSecond) * 1_000_000_000n) / clock.unitsPerSecond;
  return { sec: Number(sec), nsec: Number(nsec) };
}

function utf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/\0+$/, '');
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}
