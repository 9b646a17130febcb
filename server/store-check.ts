/**
 * What the files of a SQLite database in WAL mode say before SQLite opens them.
 *
 * SQLite repairs what it can on open, and some damage it "repairs" by throwing data away
 * without a word: a database file of 0 bytes makes it delete the `-wal` beside it; a `-wal`
 * whose header is garbled is ignored; a `-wal` cut short or with a garbled frame is read up
 * to the last frame whose checksum holds; a deleted `-wal` is simply gone. Each of these
 * cost every room that lived only in the `-wal` (all of them after a SIGKILL, until the
 * next checkpoint). This module reads the three files itself — the formats are at
 * https://www.sqlite.org/fileformat2.html — and says when data would be lost, so the
 * server can refuse to start instead. The `-shm` (the WAL index) records how many frames
 * of the `-wal` were committed and how many of those are already in the database file;
 * it is not synced, so it can lag behind the `-wal` but never run ahead of it: when it
 * claims more committed frames than the `-wal` holds, the `-wal` lost some.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import path from 'node:path';

const WAL_MAGIC_LE = 0x377f0682;
const WAL_MAGIC_BE = 0x377f0683;
const WAL_VERSION = 3007000;
const WAL_HEADER = 32;
const FRAME_HEADER = 24;
const SHM_HEADER = 136;

/** What the file check found wrong, or null. */
export type FileDamage = { file: string; what: string } | null;

/** The fields of the WAL index (`-shm`) header that matter here; null when it is absent or not a valid index. */
export interface ShmInfo {
  /** Frames of the `-wal` committed (the last valid commit frame). */
  mxFrame: number;
  /** Frames already copied into the database file. */
  nBackfill: number;
  salt1: number;
  salt2: number;
}

/** SQLite's WAL checksum over `data` (a multiple of 8 bytes), continuing from `s`. */
function walChecksum(data: Buffer, bigEndian: boolean, s: [number, number]): [number, number] {
  let [s1, s2] = s;
  for (let i = 0; i + 8 <= data.length; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    s1 = (s1 + x0 + s2) >>> 0;
    s2 = (s2 + x1 + s1) >>> 0;
  }
  return [s1, s2];
}

function readAt(fd: number, length: number, position: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = readSync(fd, buf, 0, length, position);
  return n === length ? buf : buf.subarray(0, n);
}

/** The WAL index header, if `shmPath` holds a valid one (both copies equal, checksum right). */
export function readShm(shmPath: string): ShmInfo | null {
  if (!existsSync(shmPath)) return null;
  const fd = openSync(shmPath, 'r');
  try {
    const b = readAt(fd, SHM_HEADER, 0);
    if (b.length < SHM_HEADER) return null;
    // The index is in the writer's native byte order.
    const le = endianness() === 'LE';
    const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    if (u32(0) !== WAL_VERSION || b[12] !== 1) return null;
    if (!b.subarray(0, 48).equals(b.subarray(48, 96))) return null;
    const [c1, c2] = walChecksum(b.subarray(0, 40), !le, [0, 0]);
    if (c1 !== u32(40) || c2 !== u32(44)) return null;
    // The salts are the -wal header's bytes copied as they are (big-endian), not native numbers.
    return { mxFrame: u32(16), nBackfill: u32(96), salt1: b.readUInt32BE(32), salt2: b.readUInt32BE(36) };
  } finally {
    closeSync(fd);
  }
}

/** What the `-wal` holds: null when its header is not valid, else its salts and the committed frames a reader can use. */
export function readWal(walPath: string): { salt1: number; salt2: number; committedFrames: number; pageSize: number } | null {
  const fd = openSync(walPath, 'r');
  try {
    const h = readAt(fd, WAL_HEADER, 0);
    if (h.length < WAL_HEADER) return null;
    const magic = h.readUInt32BE(0);
    if (magic !== WAL_MAGIC_LE && magic !== WAL_MAGIC_BE) return null;
    const bigEndian = magic === WAL_MAGIC_BE;
    const pageSize = h.readUInt32BE(8);
    if (h.readUInt32BE(4) !== WAL_VERSION || pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return null;
    let sum = walChecksum(h.subarray(0, 24), bigEndian, [0, 0]);
    if (sum[0] !== h.readUInt32BE(24) || sum[1] !== h.readUInt32BE(28)) return null;
    const salt1 = h.readUInt32BE(16);
    const salt2 = h.readUInt32BE(20);
    // Walk the frames as SQLite's recovery does: each must carry the header's salts and a
    // checksum that continues the previous one; the log ends at the first that does not.
    let committedFrames = 0;
    const frameSize = FRAME_HEADER + pageSize;
    for (let i = 1; ; i++) {
      const f = readAt(fd, frameSize, WAL_HEADER + (i - 1) * frameSize);
      if (f.length < frameSize) break;
      if (f.readUInt32BE(8) !== salt1 || f.readUInt32BE(12) !== salt2 || f.readUInt32BE(0) === 0) break;
      sum = walChecksum(f.subarray(0, 8), bigEndian, sum);
      sum = walChecksum(f.subarray(FRAME_HEADER), bigEndian, sum);
      if (sum[0] !== f.readUInt32BE(16) || sum[1] !== f.readUInt32BE(20)) break;
      if (f.readUInt32BE(4) !== 0) committedFrames = i;
    }
    return { salt1, salt2, committedFrames, pageSize };
  } finally {
    closeSync(fd);
  }
}

const sizeOf = (p: string): number | null => (existsSync(p) ? statSync(p).size : null);

/**
 * Check `dbPath` and its `-wal` and `-shm` for damage SQLite would paper over by losing
 * data. Run it before SQLite opens the database (opening would already throw things away)
 * and while no other process writes to it. Damage SQLite itself reports (a garbled header
 * or page of the database file) is left to opening it and `PRAGMA quick_check`.
 */
export function checkDatabaseFiles(dbPath: string): FileDamage {
  const dbSize = sizeOf(dbPath);
  if (dbSize === null) return null;
  const walPath = `${dbPath}-wal`;
  // The damaged file is named in full by the caller; its siblings here by their names.
  const [dbName, walName, shmName] = ['', '-wal', '-shm'].map((x) => path.basename(dbPath) + x);
  const walSize = sizeOf(walPath) ?? 0;
  if (dbSize === 0) {
    return {
      file: dbPath,
      what: walSize > 0
        ? `it is empty (0 bytes) while ${walName} holds ${walSize} bytes, which SQLite would delete on opening it`
        : 'it is empty (0 bytes), which the server never leaves it: it was cut short',
    };
  }
  // Read the index first: a writer appends frames before it updates the index, so this order never sees the index ahead of a healthy log.
  const shm = readShm(`${dbPath}-shm`);
  const pending = shm ? shm.mxFrame - shm.nBackfill : 0;
  if (walSize === 0) {
    return pending > 0
      ? { file: walPath, what: `it is missing or empty, but ${shmName} records ${pending} committed frame(s) of it not yet copied into ${dbName}` }
      : null;
  }
  const wal = readWal(walPath);
  if (!wal) {
    // Without an index there is no telling whether the log held anything SQLite had not copied yet; a garbled header is never normal.
    if (shm && pending === 0) return null;
    return { file: walPath, what: `its header is garbled, so SQLite would ignore the ${walSize} bytes it holds` };
  }
  if (shm && shm.mxFrame > 0 && (shm.salt1 !== wal.salt1 || shm.salt2 !== wal.salt2)) {
    return pending > 0 ? { file: walPath, what: `it is not the log ${shmName} describes (${pending} frame(s) not yet copied are lost)` } : null;
  }
  if (shm && shm.mxFrame > wal.committedFrames) {
    return { file: walPath, what: `it is cut short or garbled: ${shmName} records ${shm.mxFrame} committed frame(s), only ${wal.committedFrames} can be read` };
  }
  return null;
}
