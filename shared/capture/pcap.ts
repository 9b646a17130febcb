/**
 * The classic libpcap file format (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html):
 * a 24-byte header, then 16-byte record headers each followed by the captured bytes.
 * Microsecond (a1b2c3d4) and nanosecond (a1b23c4d) magic, in either byte order.
 */
import { CAPTURE_ERRORS, captureError } from './errors.ts';
import { MAGIC, leadingWord, viewOf, type FileResult, type RawFrame } from './frames.ts';

const HEADER = 24;
const RECORD = 16;

/** Reads a pcap file into its interface and frames, or says what is wrong with it. */
export function readPcap(bytes: Uint8Array): FileResult {
  const magic = leadingWord(bytes);
  let littleEndian: boolean;
  let nano: boolean;
  switch (magic) {
    case MAGIC.pcapMicroLE: littleEndian = true; nano = false; break;
    case MAGIC.pcapMicroBE: littleEndian = false; nano = false; break;
    case MAGIC.pcapNanoLE: littleEndian = true; nano = true; break;
    case MAGIC.pcapNanoBE: littleEndian = false; nano = true; break;
    default: return captureError(CAPTURE_ERRORS.badMagic, 'not a pcap file: its magic number is not a1b2c3d4 or a1b23c4d in either byte order');
  }
  if (bytes.length < HEADER) {
    return captureError(CAPTURE_ERRORS.truncated, `the pcap file header needs ${HEADER} bytes, the file has ${bytes.length}: it was cut short`);
  }
  const v = viewOf(bytes);
  const major = v.getUint16(4, littleEndian);
  const minor = v.getUint16(6, littleEndian);
  // Version 2.4 is what everyone writes; 2.2 and 2.3 differ only in ways a reader does not see.
  if (major !== 2) return captureError(CAPTURE_ERRORS.badHeader, `pcap version ${major}.${minor} is not one this reader knows (2.4)`);
  const snapLen = v.getUint32(16, littleEndian);
  // The low 16 bits are the link type; the upper bits may carry an FCS length we do not need.
  const linkType = v.getUint32(20, littleEndian) & 0xffff;

  const frames: RawFrame[] = [];
  let off = HEADER;
  while (off < bytes.length) {
    const n = frames.length + 1;
    if (off + RECORD > bytes.length) {
      return captureError(CAPTURE_ERRORS.truncated, `the file ends inside the header of packet ${n} (byte ${off}): it was cut short`);
    }
    const sec = v.getUint32(off, littleEndian);
    const frac = v.getUint32(off + 4, littleEndian);
    const inclLen = v.getUint32(off + 8, littleEndian);
    const origLen = v.getUint32(off + 12, littleEndian);
    if (snapLen > 0 && inclLen > snapLen) {
      return captureError(CAPTURE_ERRORS.badPacket, `packet ${n} (byte ${off}) claims ${inclLen} captured bytes, more than the file's snap length of ${snapLen}`);
    }
    if (inclLen > bytes.length - off - RECORD) {
      return captureError(CAPTURE_ERRORS.truncated, `packet ${n} (byte ${off}) claims ${inclLen} bytes but only ${bytes.length - off - RECORD} remain: the file was cut short or the length is corrupt`);
    }
    const nsec = nano ? frac : frac * 1000;
    frames.push({
      frame: n,
      interfaceId: 0,
      time: { sec: sec + Math.floor(nsec / 1e9), nsec: nsec % 1e9 },
      origLen: Math.max(origLen, inclLen),
      data: bytes.subarray(off + RECORD, off + RECORD + inclLen),
    });
    off += RECORD + inclLen;
  }
  return {
    ok: true,
    format: 'pcap',
    byteOrder: littleEndian ? 'little-endian' : 'big-endian',
    interfaces: [{ linkType, snapLen }],
    frames,
    otherBlocks: 0,
  };
}
