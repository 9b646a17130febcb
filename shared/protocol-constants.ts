/**
 * The protocol's plain values, with no schema library behind them, so the browser can
 * import them without pulling zod into the student page. shared/protocol.ts re-exports
 * everything here; the server and tests may import from either.
 */

/** Bumped on any incompatible change; hello, join and resume carry it as `v`. 2: the teacher's feed (teacher/update) and slim pair games. */
export const PROTOCOL_VERSION = 2;
/** Largest accepted text frame, in UTF-8 bytes. A larger frame closes the connection ('abuse/too-large'). */
export const MAX_FRAME_BYTES = 4096;
/** Nickname length limit, in graphemes (what a reader counts as characters; after trimming). */
export const NICKNAME_MAX = 20;
/**
 * Longest nickname field a join or seat/rename may carry, in UTF-16 code units: the schema
 * checks it before the nickname rule runs. Room for NICKNAME_MAX of the longest emoji the
 * rule allows (a four-person ZWJ sequence with skin tones, 19 units).
 */
export const NICKNAME_MAX_UNITS = 400;
/** A practice room is two friends: it seats at most this many players. */
export const PRACTICE_SEATS = 2;
/** Largest payload a DATA card may claim, in bytes (one Ethernet-sized MSS). */
export const MAX_SEGMENT_LEN = 1460;

/**
 * WebSocket close codes (4000–4999, application-defined). A client reconnects (with
 * `resume`) after 'server/reconnect' and after an abnormal closure (1006); after the others
 * it does not, and tells the user why.
 */
export const CLOSE_CODES = {
  /** Transient: the server is shutting down or restarting. Reconnect and resume. (A missed heartbeat ends the socket: 1006.) */
  'server/reconnect': 4000,
  /** A frame exceeded MAX_FRAME_BYTES. */
  'abuse/too-large': 4001,
  /** Too many messages: the per-connection rate limit was exceeded repeatedly. */
  'abuse/flooding': 4002,
  /** Another connection took this seat (the same token resumed elsewhere). */
  'seat/replaced': 4003,
  /** The teacher removed this seat; its token no longer works. */
  'seat/removed': 4004,
  /** The room was closed. */
  'room/closed': 4005,
  /** The connection sent no hello, join or resume within JOIN_TIMEOUT_MS (10 s by default). Open a new one to try again. */
  'join/timeout': 4006,
} as const;
export type CloseCodeName = keyof typeof CLOSE_CODES;
/** The close codes after which a client should reconnect and resume. */
export const RECONNECTABLE_CLOSE_CODES: readonly number[] = [CLOSE_CODES['server/reconnect'], 1001, 1006, 1011, 1012];

/** Room codes are typed by people: ignore case, spaces and dashes. */
export function normalizeRoomCode(raw: string): string {
  return raw.replace(/[\s-]/g, '').toUpperCase();
}

/** The key of the level-1 hint table for these flags: which of SYN, ACK, RST they carry ("none" for none). */
export function autoKey(flagList: readonly string[]): string {
  return (['SYN', 'ACK', 'RST'] as const).filter((f) => flagList.includes(f)).join('+') || 'none';
}

/** One of the level-1 segments a view's hints name: flags and the numbers they go with. */
interface HintedSegment { flags: readonly string[]; seq: number; ack: number; len: number }

/** The same flags, in any order (PSH counts like any other flag). */
export function sameFlags(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((f) => y.has(f));
}

/**
 * The numbers level 1 fills in for these flags, from a view's hints; null if the hints have
 * none. The oracle's moves come first (best first), so a retransmission gets its old seq,
 * then the retransmission card, then the new-segment numbers of `auto`. `len` is there only
 * when the matching segment carries data (a data segment, perhaps retransmitted).
 */
export function autoFromHints(
  hints: { auto: Readonly<Record<string, { seq: number; ack: number }>>; retransmit?: HintedSegment | null; moves?: readonly HintedSegment[] },
  flagList: readonly string[],
): { seq: number; ack: number; len?: number } | null {
  const hit = hints.moves?.find((m) => sameFlags(m.flags, flagList))
    ?? (hints.retransmit && sameFlags(hints.retransmit.flags, flagList) ? hints.retransmit : undefined);
  if (hit) return hit.len > 0 ? { seq: hit.seq, ack: hit.ack, len: hit.len } : { seq: hit.seq, ack: hit.ack };
  return hints.auto[autoKey(flagList)] ?? null;
}
