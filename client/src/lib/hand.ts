/**
 * The hand's state as a pure reducer: the flag cards picked, the data length and the typed
 * numbers, and a suggestion picked from the oracle's moves. CardComposer renders it; what a
 * hand would send (`handSegment`) is computed from it and, at level 1, the numbers the view's
 * hints fill in. Also when a hand starts afresh: a new round, a new pair or a restarted game
 * (`sameGame`).
 */
import { sameFlags } from '../../../shared/protocol-constants.ts';
import type { Flag, Segment, Side } from '../../../shared/tcp/types.ts';

/** The flag cards, in the order the hand shows (and sends) them. */
export const CARD_FLAGS: readonly Flag[] = ['SYN', 'ACK', 'FIN', 'RST', 'PSH'];
/** The payload D puts in: small enough to read, large enough to see seq move. */
export const DEFAULT_DATA = 100;
/** One Ethernet MSS: plenty for a card game. */
export const MAX_DATA = 1460;

/** A segment's flags and numbers without its side: an oracle move, a suggestion. */
export interface Card { flags: readonly Flag[]; seq: number; ack: number; len: number }

export interface Hand {
  flags: Flag[];
  /** The data length as typed (or put in by D); null until then: level 1 takes the matching move's, else 0. */
  len: string | null;
  seq: string;
  ack: string;
  /** Send was tried: show what is wrong with the typed numbers. */
  touched: boolean;
  /** A suggestion picked: its numbers hold while the hand's flags are still its flags. */
  picked: Card | null;
}

export type HandAction =
  | { type: 'toggle'; flag: Flag }
  /** D: no data ↔ DEFAULT_DATA bytes. `current` is the length the hand shows now. */
  | { type: 'data'; current: number | null }
  | { type: 'len'; value: string }
  | { type: 'seq'; value: string }
  | { type: 'ack'; value: string }
  | { type: 'pick'; card: Card }
  | { type: 'touch' }
  | { type: 'clear' };

export const emptyHand: Hand = { flags: [], len: null, seq: '', ack: '', touched: false, picked: null };

const ordered = (flags: readonly Flag[]): Flag[] => CARD_FLAGS.filter((f) => flags.includes(f));

/** Apply one action to the hand. */
export function handReducer(h: Hand, a: HandAction): Hand {
  switch (a.type) {
    case 'toggle': return { ...h, flags: h.flags.includes(a.flag) ? h.flags.filter((f) => f !== a.flag) : ordered([...h.flags, a.flag]) };
    case 'data': return { ...h, len: a.current ? '0' : String(DEFAULT_DATA) };
    case 'len': return { ...h, len: a.value };
    case 'seq': return { ...h, seq: a.value };
    case 'ack': return { ...h, ack: a.value };
    case 'pick': return { ...emptyHand, flags: ordered(a.card.flags), picked: { ...a.card, flags: ordered(a.card.flags) } };
    case 'touch': return h.touched ? h : { ...h, touched: true };
    case 'clear': return emptyHand;
  }
}

/** A typed 32-bit number, or null. */
export const parseU32 = (s: string): number | null => (/^\d{1,10}$/.test(s.trim()) && Number(s) <= 0xffffffff ? Number(s) : null);
/** A typed data length (empty is none), or null. */
export const parseLen = (s: string): number | null => (s.trim() === '' ? 0 : /^\d{1,4}$/.test(s.trim()) && Number(s) <= MAX_DATA ? Number(s) : null);

/** The numbers level 1 fills in for some flags; null at levels 2–3, where the player types them. */
export type AutoFill = ((flags: readonly Flag[]) => { seq: number; ack: number; len?: number } | null) | null;

export interface HandOut {
  /** What the length field shows. */
  lenText: string;
  len: number | null;
  seq: number | null;
  /** 0 when the hand has no ACK. */
  ack: number | null;
  /** The segment Send would send, or null while something is missing or wrong. */
  segment: Segment | null;
  /** The picked suggestion still holds (the hand's flags are its flags). */
  pickedHolds: boolean;
}

const sameCard = (a: Card, b: Card) => sameFlags(a.flags, b.flags) && a.seq === b.seq && a.ack === b.ack && a.len === b.len;

/**
 * What the hand would send now. `offered`: the suggestions on offer now; a picked one that is
 * no longer among them (something arrived since) gives way to the current numbers.
 */
export function handSegment(h: Hand, side: Side, autoFill: AutoFill, offered?: readonly Card[]): HandOut {
  const pickedHolds = !!h.picked && sameFlags(h.picked.flags, h.flags) && (!offered || offered.some((c) => sameCard(c, h.picked!)));
  let seq: number | null;
  let ack: number | null;
  let autoLen = 0;
  if (autoFill) {
    const filled = pickedHolds ? h.picked : autoFill(h.flags);
    seq = filled ? filled.seq : null;
    ack = filled ? (h.flags.includes('ACK') ? filled.ack : 0) : null;
    autoLen = filled?.len ?? 0;
  } else {
    seq = parseU32(h.seq);
    ack = h.flags.includes('ACK') ? parseU32(h.ack) : 0;
  }
  const lenText = h.len ?? String(autoLen);
  const len = parseLen(lenText);
  const segment = seq !== null && ack !== null && len !== null ? { from: side, flags: ordered(h.flags), seq, ack, len } : null;
  return { lenText, len, seq, ack, segment, pickedHolds };
}

/** What identifies one game of one seat: a change of any of it starts the hand afresh. */
export interface GameMark {
  round: number;
  pairId: string | null;
  side: Side | null;
  game: null | {
    /** The first ladder entry's log seq (a restarted game's history starts again). */
    first: number | null;
    length: number;
    isn: number;
    isnChosen: boolean;
  };
}

/** The mark of a student view's game. */
export function gameMark(view: {
  round: { number: number };
  pair: null | { pairId: string; side: Side; game: null | { ladder: readonly { logSeq: number }[]; endpoint: { isn: number; isnChosen: boolean } } };
}): GameMark {
  const g = view.pair?.game;
  return {
    round: view.round.number,
    pairId: view.pair?.pairId ?? null,
    side: view.pair?.side ?? null,
    game: g ? { first: g.ladder[0]?.logSeq ?? null, length: g.ladder.length, isn: g.endpoint.isn, isnChosen: g.endpoint.isnChosen } : null,
  };
}

/**
 * True when `now` is still the game `before` was: same round, pair and side, and its ladder
 * only grew. A restart (pair/restart) empties the ladder and picks fresh ISNs.
 */
export function sameGame(before: GameMark, now: GameMark): boolean {
  if (before.round !== now.round || before.pairId !== now.pairId || before.side !== now.side) return false;
  const a = before.game;
  const b = now.game;
  if (!a || !b) return a === b;
  if (b.length < a.length || (a.first !== null && a.first !== b.first)) return false;
  // Once chosen, an ISN stays; a suggested one changes only with a new game.
  if (a.isnChosen && !b.isnChosen) return false;
  if (!a.isnChosen && !b.isnChosen && a.isn !== b.isn) return false;
  return true;
}
