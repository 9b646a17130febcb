/**
 * Every explanation right where it is shown. From a set of positions reached by real play
 * (every state, both sides, with and without segments owed, lost, held or in flight), each
 * side tries every flag set with the numbers that matter there (SND.NXT, SND.UNA, the ISS,
 * its FIN's number, the RSTs it owes, one off either way), and each side receives crafted
 * segments (old, duplicate, beyond the window, RSTs, stray SYNs). Every refusal and every
 * ignored arrival is then checked against the state it happened in:
 *
 * - the (code, state) pairs that occur are exactly the table WHERE below (a new pair is a
 *   new place a text is shown: read the text there, then add the pair);
 * - the text's claims about the state hold (CHECKS, one per code: "no SYN is waiting",
 *   "the peer's SYN has reached you", "while it is unacknowledged (FIN_WAIT_1, …)", …);
 * - where the text names a value to use, using it is not refused for the same reason;
 * - in both languages: the state is named where the template names it (Chinese:
 *   "{state} 状态"), every placeholder is filled.
 *
 * The last block pins the findings of the audit that led to this test, one by one.
 */
import { describe, expect, it } from 'vitest';
import { RCV_WND, initialConnection, segmentLength, step } from './machine.ts';
import { explainIgnored, explainRefusal, type Lang } from './reasons.ts';
import { seqDiff, seqLe, seqLt } from './seq.ts';
import {
  C, Run, S, closeWait, closing, established, finWait1, finWait2, lastAck, seg, synAckSent, synReceived, synSent, timeWait,
} from './test-helpers.ts';
import {
  IGNORE_REASONS, REASON_CODES, TCP_STATES,
  type Connection, type Endpoint, type Flag, type IgnoreReason, type ReasonCode, type RefusalFacts, type Segment, type Side,
  type StepResult, type TcpState,
} from './types.ts';

const LANGS: Lang[] = ['en', 'zh-CN'];
const SYNCHRONIZED: TcpState[] = ['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT'];
/** SYN_RECEIVED and later: the peer's SYN has arrived. */
const PEER_SYN_IN: TcpState[] = ['SYN_RECEIVED', ...SYNCHRONIZED];
const FIN_SENT: TcpState[] = ['FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSING', 'LAST_ACK', 'TIME_WAIT'];
const ALL: TcpState[] = [...TCP_STATES];

/** Where each refusal can be given. segment/invalid and wire/empty name no TCP state in their text. */
const WHERE: Record<Exclude<ReasonCode, 'segment/invalid' | 'wire/empty'>, TcpState[]> = {
  'segment/ack-before-synack': ['SYN_SENT'],
  'segment/ack-mismatch': PEER_SYN_IN,
  'segment/ack-off-by-one': PEER_SYN_IN,
  'segment/ack-unreceived': PEER_SYN_IN,
  'segment/ack-required': PEER_SYN_IN,
  'segment/seq-mismatch': ['SYN_SENT', ...PEER_SYN_IN],
  'segment/seq-not-advanced': PEER_SYN_IN,
  'segment/data-after-fin': FIN_SENT,
  'segment/fin-already-sent': FIN_SENT,
  'segment/fin-before-established': ['CLOSED', 'LISTEN', 'SYN_SENT'],
  'segment/synack-without-syn': ['CLOSED', 'LISTEN'],
  'segment/syn-needs-ack': ['SYN_RECEIVED'],
  'segment/syn-missing': ['SYN_RECEIVED'],
  'segment/syn-in-synchronized-state': SYNCHRONIZED,
  'segment/data-before-established': ['SYN_SENT', 'SYN_RECEIVED'],
  'segment/data-on-syn': ['CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RECEIVED'],
  'segment/connection-reset': ['CLOSED'],
  'segment/no-connection': ['CLOSED', 'LISTEN'],
  'segment/no-listener': ['CLOSED'],
  'segment/rst-nothing-to-answer': ['CLOSED', 'LISTEN'],
  'segment/abort-sends-nothing': ['SYN_SENT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT'],
  // An abort at the wrong seq, or a reply RST with the wrong numbers (a reply may be owed in any state).
  'segment/rst-seq-mismatch': ALL,
  'segment/flag-not-allowed-in-state': ALL,
  'segment/window-exceeded': ['ESTABLISHED', 'CLOSE_WAIT'],
};

/** Where each ignore reason can be given. */
const IGNORED_WHERE: Record<IgnoreReason, TcpState[]> = {
  'duplicate': PEER_SYN_IN,
  'ack-nothing-new': SYNCHRONIZED,
  'out-of-order': PEER_SYN_IN,
  'rst-out-of-window': PEER_SYN_IN,
  'rst-without-ack': ['SYN_SENT'],
  'rst-no-connection': ['CLOSED', 'LISTEN'],
  'ack-unacceptable': ['SYN_SENT', ...PEER_SYN_IN],
  'ack-missing': PEER_SYN_IN,
  'no-connection': ['CLOSED', 'LISTEN'],
  'not-expected-in-state': ['LISTEN', 'SYN_SENT', ...PEER_SYN_IN],
};

// ---------------------------------------------------------------------------------------
// The positions: every state on both sides, reached by playing.
// ---------------------------------------------------------------------------------------

const both = () => new Run(initialConnection({ client: 'CLOSED', server: 'CLOSED' }));
const drain = (r: Run): Run => {
  while (r.conn.wire.client.length > 0) r.deliver(C);
  while (r.conn.wire.server.length > 0) r.deliver(S);
  return r;
};

const POSITIONS: Record<string, () => Run> = {
  'start': () => new Run(),
  'both closed': both,
  'both listening': () => new Run(initialConnection({ client: 'LISTEN', server: 'LISTEN' })),
  'SYN in flight': synSent,
  'SYN arrived': synReceived,
  'SYN arrived twice': () => synSent().send(C, ['SYN'], 100).deliver(C),
  'SYN+ACK in flight': synAckSent,
  'SYN+ACK lost': () => synAckSent().drop(S),
  'SYN+ACK arrived, third ACK in flight': () => synAckSent().deliver(S).send(C, ['ACK'], 101, 301),
  'third ACK lost': () => synAckSent().deliver(S).send(C, ['ACK'], 101, 301).drop(C),
  'simultaneous open, SYNs crossing': () => both().send(C, ['SYN'], 100).send(S, ['SYN'], 300),
  'simultaneous open, one SYN arrived': () => both().send(C, ['SYN'], 100).send(S, ['SYN'], 300).deliver(C),
  'simultaneous open, both SYNs arrived': () => both().send(C, ['SYN'], 100).send(S, ['SYN'], 300).deliver(C).deliver(S),
  'simultaneous open, SYN+ACKs crossing': () => both().send(C, ['SYN'], 100).send(S, ['SYN'], 300).deliver(C).deliver(S)
    .send(C, ['SYN', 'ACK'], 100, 301).send(S, ['SYN', 'ACK'], 300, 101),
  'SYN at a closed port': () => new Run(initialConnection({ server: 'CLOSED' })).send(C, ['SYN'], 100).deliver(C),
  'SYN at a closed port, answered': () => new Run(initialConnection({ server: 'CLOSED' })).send(C, ['SYN'], 100).deliver(C)
    .xfer(S, ['RST', 'ACK'], 0, 101),
  'simultaneous open, early SYN at a closed port': () => both().send(C, ['SYN'], 100).deliver(C),
  'ACK at a listener': () => new Run().inject(seg(C, ['ACK'], 7, 9)).deliver(C),
  'SYN_SENT owes a RST': () => synSent().inject(seg(S, ['SYN', 'ACK'], 900, 555)).deliver(S),
  'SYN_RECEIVED owes a RST': () => synAckSent().deliver(S).inject(seg(C, ['ACK'], 101, 999)).deliver(C),
  'established': established,
  'data in flight': () => established().send(C, ['ACK', 'PSH'], 101, 301, 10),
  'data lost, more held': () => established().send(C, ['ACK', 'PSH'], 101, 301, 10).drop(C).xfer(C, ['ACK', 'PSH'], 111, 301, 5),
  'data both ways, an ACK lost': () => established().send(S, ['ACK'], 301, 101, 5).send(C, ['ACK'], 101, 301, 10).deliver(S).deliver(C)
    .send(S, ['ACK'], 306, 111).drop(S),
  'nearly a full window': () => established().send(C, ['ACK'], 101, 301, 2 ** 30 - 10),
  'FIN in flight': finWait1,
  'data and FIN in flight': () => established().send(C, ['ACK'], 101, 301, 10).send(C, ['FIN', 'ACK'], 111, 301),
  'FIN arrived': closeWait,
  'FIN acknowledged': finWait2,
  'half-close, data flowing back': () => finWait2().send(S, ['ACK', 'PSH'], 301, 102, 4),
  'close-wait server full window': () => closeWait().send(S, ['ACK'], 301, 102, 2 ** 30),
  'last ACK pending': lastAck,
  'last ACK pending, its FIN arrived': () => drain(lastAck()),
  'TIME_WAIT': timeWait,
  'final ACK lost, FIN again': () => timeWait().send(C, ['ACK'], 102, 302).drop(C).send(S, ['FIN', 'ACK'], 301, 102),
  'closing': closing,
  'closing, FINs retransmitted': () => closing().send(C, ['FIN', 'ACK'], 101, 302).send(S, ['FIN', 'ACK'], 301, 102),
  'both TIME_WAIT': () => closing().xfer(C, ['ACK'], 102, 302).xfer(S, ['ACK'], 302, 102),
  'closed after a teardown': () => timeWait().xfer(C, ['ACK'], 102, 302).timeout(C),
  'stray ACK at the closed server': () => timeWait().xfer(C, ['ACK'], 102, 302).xfer(C, ['ACK'], 102, 302),
  'aborted': () => established().xfer(C, ['RST'], 101),
  'refused, client reset': () => new Run(initialConnection({ server: 'CLOSED' })).send(C, ['SYN'], 100).deliver(C)
    .xfer(S, ['RST', 'ACK'], 0, 101),
  'reset client, a new SYN at it': () => new Run(initialConnection({ server: 'CLOSED' })).send(C, ['SYN'], 100).deliver(C)
    .xfer(S, ['RST', 'ACK'], 0, 101).xfer(S, ['SYN'], 300),
  'owed RST carried into LAST_ACK': () => {
    const r = synSent().inject(seg(S, ['SYN', 'ACK'], 900, 555)).deliver(S).deliver(C).xfer(S, ['SYN', 'ACK'], 300, 101)
      .xfer(C, ['ACK'], 101, 301).xfer(S, ['FIN', 'ACK'], 301, 101).xfer(C, ['ACK'], 101, 302).send(C, ['FIN', 'ACK'], 101, 302);
    return r;
  },
  'owed RST carried into TIME_WAIT and CLOSING': () => synSent().inject(seg(S, ['SYN', 'ACK'], 900, 555)).deliver(S).deliver(C)
    .xfer(S, ['SYN', 'ACK'], 300, 101).xfer(C, ['ACK'], 101, 301)
    .send(C, ['FIN', 'ACK'], 101, 301).send(S, ['FIN', 'ACK'], 301, 101).deliver(C).deliver(S),
  'owed RST carried into TIME_WAIT': () => synSent().inject(seg(S, ['SYN', 'ACK'], 900, 555)).deliver(S).deliver(C)
    .xfer(S, ['SYN', 'ACK'], 300, 101).xfer(C, ['ACK'], 101, 301).xfer(C, ['FIN', 'ACK'], 101, 301).xfer(S, ['FIN', 'ACK'], 301, 102),
};

// ---------------------------------------------------------------------------------------
// What is tried from each position.
// ---------------------------------------------------------------------------------------

const FLAG_SETS: Flag[][] = [
  [], ['PSH'], ['SYN'], ['SYN', 'ACK'], ['ACK'], ['ACK', 'PSH'], ['FIN'], ['FIN', 'ACK'], ['SYN', 'FIN'], ['SYN', 'FIN', 'ACK'],
  ['RST'], ['RST', 'ACK'], ['RST', 'FIN'], ['RST', 'SYN'],
];
const u32 = (n: number) => n >>> 0;

function tries(ep: Endpoint, side: Side): Segment[] {
  const seqs = new Set<number>([ep.sndNxt, ep.sndUna, u32(ep.sndNxt - 1), u32(ep.sndNxt + 1), u32(ep.sndUna + 2), u32(ep.sndNxt + 50), 0]);
  if (ep.iss !== null) seqs.add(ep.iss);
  if (ep.finSeq !== null) { seqs.add(ep.finSeq); seqs.add(u32(ep.finSeq - 3)); }
  const acks = new Set<number>([ep.rcvNxt, u32(ep.rcvNxt - 1), u32(ep.rcvNxt + 1), u32(ep.rcvNxt - 7), 0]);
  for (const o of ep.owedResets) {
    if (o.seqFromAck !== null) seqs.add(o.seqFromAck);
    if (o.ackOfEnd !== null) acks.add(o.ackOfEnd);
  }
  const out: Segment[] = [];
  for (const flags of FLAG_SETS) for (const seq of seqs) for (const ack of acks) for (const len of [0, 3, 20]) {
    out.push(seg(side, flags, seq, ack, len));
  }
  // The window: exactly what is left of it, and one more.
  const room = 2 ** 30 - seqDiff(ep.sndNxt, ep.sndUna);
  if (room < 2 ** 30) for (const len of [room, room + 1]) out.push(seg(side, ['ACK'], ep.sndNxt, ep.rcvNxt, len));
  return out;
}

/** Segments crafted around the receiver's numbers, as the peer (or a forger, or a capture) could send them. */
function arrivals(to: Endpoint, from: Side): Segment[] {
  const r = to.rcvNxt;
  const irs = to.irs ?? 0;
  const acks = [to.sndUna, to.sndNxt, u32(to.sndNxt + 5), u32(to.sndUna - 1), to.iss ?? 0];
  const out: Segment[] = [];
  for (const ack of acks) {
    out.push(
      seg(from, ['ACK'], r, ack),
      seg(from, ['ACK'], u32(r - 5), ack),
      seg(from, ['ACK'], u32(r + 5), ack),
      seg(from, ['ACK', 'PSH'], u32(r - 3), ack, 3),
      seg(from, ['ACK', 'PSH'], u32(r - 6), ack, 3),
      seg(from, ['ACK', 'PSH'], r, ack, 3),
      seg(from, ['ACK', 'PSH'], u32(r + 5), ack, 3),
      seg(from, ['ACK', 'PSH'], u32(r + RCV_WND + 10), ack, 3),
      seg(from, ['FIN', 'ACK'], u32(r - 1), ack),
      seg(from, ['FIN', 'ACK'], r, ack),
      seg(from, ['SYN', 'ACK'], irs, ack),
      seg(from, ['SYN', 'ACK'], u32(irs + 9), ack),
      seg(from, ['RST', 'ACK'], r, ack),
      seg(from, ['RST', 'ACK'], u32(r - 1), ack),
    );
  }
  out.push(
    seg(from, ['SYN'], irs), seg(from, ['SYN'], u32(irs + 9)), seg(from, ['RST'], r), seg(from, ['RST'], u32(r - 1)),
    seg(from, ['RST'], u32(r + RCV_WND)), seg(from, ['PSH'], r, 0, 2), seg(from, ['FIN'], r), seg(from, [], r),
  );
  return out;
}

// ---------------------------------------------------------------------------------------
// The checks.
// ---------------------------------------------------------------------------------------

interface Refused { code: ReasonCode; facts: RefusalFacts; ep: Endpoint; conn: Connection; sent: Segment; where: string }
interface Ignored { why: IgnoreReason; before: Endpoint; after: Endpoint; segment: Segment; where: string }

const sendOf = (conn: Connection, s: Segment): StepResult => step(conn, { type: 'send', segment: s });
/** The codes that say a number is wrong; "following the text" must not give the same one for the same field. */
const sameComplaint = (r: StepResult, code: ReasonCode, field: RefusalFacts['field']): boolean =>
  !r.ok && r.code === code && r.facts.field === field;
const owesNoAck = (ep: Endpoint) => ep.owedResets.some((o) => o.ackOfEnd !== null);
const has = (s: Segment, f: Flag) => s.flags.includes(f);

/** What each code's text claims about the state it is shown in: throws (via expect) when untrue. */
const CHECKS: Partial<Record<ReasonCode, (x: Refused) => void>> = {
  'segment/ack-before-synack': ({ ep }) => expect(ep.irs, 'the peer\'s SYN has not reached you').toBeNull(),
  'segment/ack-mismatch': ({ ep, facts }) => expect(facts.expected).toBe(ep.rcvNxt),
  'segment/ack-off-by-one': ({ ep, facts }) => expect(facts.expected).toBe(ep.rcvNxt),
  'segment/ack-unreceived': ({ ep, facts }) => {
    expect(facts.expected).toBe(ep.rcvNxt);
    expect(seqLt(ep.rcvNxt, Number(facts.given))).toBe(true);
  },
  'segment/ack-required': ({ ep }) => expect(ep.irs, 'the peer\'s SYN has reached you').not.toBeNull(),
  'segment/seq-mismatch': ({ ep, facts, conn, sent }) => {
    // The value named is the ISS for a SYN, the FIN's own number for a FIN already sent, else SND.NXT.
    const want = has(sent, 'SYN') ? ep.iss : has(sent, 'FIN') && ep.finSeq !== null ? ep.finSeq : ep.sndNxt;
    expect(facts.expected).toBe(want);
    // Following it (a FIN alone at its number) is not refused for its seq again.
    const again = has(sent, 'FIN') && ep.finSeq !== null ? { ...sent, seq: want ?? 0, len: 0 } : { ...sent, seq: want ?? 0 };
    const r = sendOf(conn, again);
    expect(sameComplaint(r, 'segment/seq-mismatch', 'seq') || sameComplaint(r, 'segment/seq-not-advanced', 'seq'), JSON.stringify(r)).toBe(false);
  },
  'segment/seq-not-advanced': ({ ep, facts, conn, sent }) => {
    expect(facts.expected).toBe(ep.sndNxt);
    const r = sendOf(conn, { ...sent, seq: ep.sndNxt });
    expect(sameComplaint(r, 'segment/seq-mismatch', 'seq') || sameComplaint(r, 'segment/seq-not-advanced', 'seq'), JSON.stringify(r)).toBe(false);
  },
  'segment/data-after-fin': ({ ep, facts, conn, sent }) => {
    expect(ep.finSeq, 'you already sent your FIN').not.toBeNull();
    const r = sendOf(conn, { ...sent, len: Number(facts.expected) });
    expect(sameComplaint(r, 'segment/data-after-fin', 'len')).toBe(false);
  },
  'segment/fin-already-sent': ({ ep, facts, conn, sent }) => {
    expect(ep.finSeq).not.toBeNull();
    expect(facts.expected).toBe(ep.finSeq);
    const unacked = seqLe(ep.sndUna, ep.finSeq ?? 0);
    // "While it is unacknowledged (FIN_WAIT_1, CLOSING, LAST_ACK) … once it is acknowledged (FIN_WAIT_2, TIME_WAIT)".
    expect(['FIN_WAIT_1', 'CLOSING', 'LAST_ACK'].includes(ep.state)).toBe(unacked);
    expect(sendOf(conn, { ...sent, seq: ep.finSeq ?? 0, len: 0 }).ok, 'the retransmission the text allows').toBe(unacked);
  },
  'segment/fin-before-established': ({ ep }) => expect(ep.irs === null || ep.state === 'CLOSED' || ep.state === 'LISTEN').toBe(true),
  'segment/synack-without-syn': ({ ep }) => expect(owesNoAck(ep), 'no SYN is waiting for an answer').toBe(false),
  'segment/no-listener': ({ ep, conn, sent }) => {
    expect(owesNoAck(ep), 'a SYN (or a segment without ACK) arrived').toBe(true);
    const owed = ep.owedResets.find((o) => o.ackOfEnd !== null);
    expect(sendOf(conn, seg(sent.from, ['RST', 'ACK'], 0, owed?.ackOfEnd ?? 0)).ok, 'the RST+ACK the text asks for').toBe(true);
  },
  'segment/syn-needs-ack': ({ ep }) => expect(ep.irs).not.toBeNull(),
  'segment/syn-missing': ({ ep, conn, sent }) => {
    expect(ep.irs).not.toBeNull();
    expect(ep.iss).toBeNull();
    expect(sendOf(conn, seg(sent.from, ['SYN', 'ACK'], 4000, ep.rcvNxt)).ok).toBe(true);
  },
  'segment/data-on-syn': ({ conn, sent }) => {
    const r = sendOf(conn, { ...sent, len: 0 });
    expect(!r.ok && r.code === 'segment/data-on-syn').toBe(false);
  },
  'segment/connection-reset': ({ ep }) => expect(ep.reset).toBe(true),
  'segment/no-connection': ({ ep }) => {
    expect(ep.reset).toBe(false);
    expect(owesNoAck(ep) && ep.state === 'CLOSED', 'a CLOSED port that a SYN reached: no-listener').toBe(false);
  },
  'segment/rst-nothing-to-answer': ({ ep }) => expect(ep.owedResets).toEqual([]),
  'segment/abort-sends-nothing': ({ ep }) => expect(ep.owedResets).toEqual([]),
  'segment/rst-seq-mismatch': ({ ep, facts, conn, sent }) => {
    // Either an abort at the wrong seq, or a reply RST with a wrong part: fixing that part answers the complaint.
    const fixed = facts.field === 'flags' ? { ...sent, flags: ['RST', 'ACK'] as Flag[] }
      : facts.field === 'seq' ? { ...sent, seq: Number(facts.expected) } : { ...sent, ack: Number(facts.expected) };
    const r = sendOf(conn, fixed);
    expect(sameComplaint(r, 'segment/rst-seq-mismatch', facts.field), JSON.stringify(r)).toBe(false);
    expect(ep.owedResets.length > 0 || facts.expected === ep.sndNxt).toBe(true);
  },
  'segment/flag-not-allowed-in-state': ({ sent }) => {
    const rstWith = has(sent, 'RST') && (has(sent, 'SYN') || has(sent, 'FIN') || sent.len > 0);
    expect(rstWith || (has(sent, 'SYN') && has(sent, 'FIN'))).toBe(true);
  },
  'segment/window-exceeded': ({ facts, conn, sent }) => {
    // Counted in sequence numbers: what the segment would take, and what is left (a FIN takes one).
    expect(facts.given).toBe(segmentLength(sent));
    const left = Number(facts.expected);
    const len = has(sent, 'FIN') ? left - 1 : left;
    if (len >= 0) expect(sendOf(conn, { ...sent, len }).ok).toBe(true);
  },
};

/** What each ignore reason's text claims about the arrival. */
const IGNORE_CHECKS: Record<IgnoreReason, (x: Ignored) => void> = {
  // "Everything in it had already arrived … acknowledges it again": something that occupies sequence space, or an old segment.
  'duplicate': ({ before, segment }) => expect(segmentLength(segment) > 0 || seqLt(segment.seq, before.rcvNxt)).toBe(true),
  // "an ACK that acknowledges nothing new and carries no data, SYN or FIN".
  'ack-nothing-new': ({ before, after, segment }) => {
    expect(segmentLength(segment)).toBe(0);
    expect(has(segment, 'ACK')).toBe(true);
    expect(seqLe(segment.ack, before.sndUna)).toBe(true);
    expect(after).toEqual(before);
  },
  'out-of-order': ({ before, segment }) => expect(seqDiff(segment.seq, before.rcvNxt)).toBeGreaterThanOrEqual(RCV_WND),
  'rst-out-of-window': ({ before, segment }) => {
    expect(has(segment, 'RST')).toBe(true);
    const rel = seqDiff(segment.seq, before.rcvNxt);
    expect(rel < 0 || rel >= RCV_WND).toBe(true);
  },
  'rst-without-ack': ({ segment }) => expect(has(segment, 'RST') && !has(segment, 'ACK')).toBe(true),
  'rst-no-connection': ({ segment }) => expect(has(segment, 'RST')).toBe(true),
  'ack-unacceptable': ({ before, after, segment }) => {
    const beyond = seqLt(before.sndNxt, segment.ack);
    expect(beyond || before.state === 'SYN_SENT' || before.state === 'SYN_RECEIVED').toBe(true);
    // "… it is answered with a RST whose seq is its ack, unless it is a RST itself."
    const answered = after.owedResets.length > before.owedResets.length
      || after.owedResets.some((o) => o.seqFromAck === segment.ack);
    if ((before.state === 'SYN_SENT' || before.state === 'SYN_RECEIVED') && !has(segment, 'RST')) expect(answered).toBe(true);
  },
  'ack-missing': ({ segment }) => expect(has(segment, 'ACK')).toBe(false),
  'no-connection': ({ before, after, segment }) => {
    expect(has(segment, 'RST')).toBe(false);
    expect(after.owedResets.length).toBeGreaterThanOrEqual(Math.min(before.owedResets.length + 1, 8));
  },
  'not-expected-in-state': () => {},
};

/** Both languages: the state named where the template names it, every placeholder filled. */
function checkRendered(render: (lang: Lang) => string, template: (lang: Lang) => string, state: TcpState): void {
  for (const lang of LANGS) {
    const text = render(lang);
    expect(text, lang).not.toMatch(/[{}]/);
    expect(text, `${lang}: a fact the text needs is missing`).not.toContain('?');
    if (lang === 'zh-CN') expect(text).toMatch(/[\u4e00-\u9fff]/);
    if (template(lang).includes('{state}')) expect(text, lang).toContain(lang === 'zh-CN' ? `${state} 状态` : state);
  }
}

// ---------------------------------------------------------------------------------------
// The walk.
// ---------------------------------------------------------------------------------------

const refusals: Refused[] = [];
const ignored: Ignored[] = [];
for (const [name, make] of Object.entries(POSITIONS)) {
  const conn = make().conn;
  for (const side of [C, S] as const) {
    const ep = conn[side];
    for (const sent of tries(ep, side)) {
      const r = sendOf(conn, sent);
      if (!r.ok) refusals.push({ code: r.code, facts: r.facts, ep, conn, sent, where: `${name}: ${side} sends ${JSON.stringify(sent)}` });
    }
    // Deliveries to this side: what is in flight towards it, then each crafted segment alone on the wire.
    const from = side === C ? S : C;
    const inFlight = conn.wire[from].length > 0 ? [conn] : [];
    const crafted = arrivals(ep, from).map((s) => ({ ...conn, wire: { ...conn.wire, [from]: [{ id: 9999, segment: s }] } }));
    for (const c of [...inFlight, ...crafted]) {
      const r = step(c, { type: 'deliver', from });
      if (r.ok && r.arrival?.outcome === 'ignored') {
        ignored.push({ why: r.arrival.why, before: c[side], after: r.connection[side], segment: r.arrival.segment, where: `${name}: ${JSON.stringify(r.arrival.segment)} reaches the ${side}` });
      }
    }
  }
}

const pairs = <T extends string>(xs: { key: T; state: TcpState }[]) => [...new Set(xs.map((x) => `${x.key} in ${x.state}`))].sort();

describe('every explanation right where it is shown: refusals', () => {
  const stateFree: ReasonCode[] = ['segment/invalid', 'wire/empty'];

  it('the walk refuses with every code in exactly the states the table WHERE lists', () => {
    const seen = pairs(refusals.filter((x) => !stateFree.includes(x.code)).map((x) => ({ key: x.code, state: x.facts.state })));
    const listed = pairs(Object.entries(WHERE).flatMap(([code, states]) => states.map((state) => ({ key: code, state }))));
    expect(seen).toEqual(listed);
    expect(Object.keys(WHERE).sort()).toEqual(REASON_CODES.filter((c) => !stateFree.includes(c)).sort());
  });

  for (const code of REASON_CODES.filter((c) => !stateFree.includes(c))) {
    it(`${code}: its text is true in each state it is given in, in English and Chinese`, () => {
      const mine = refusals.filter((x) => x.code === code);
      expect(mine.length).toBeGreaterThan(0);
      const template = (lang: Lang) => explainRefusal(code, { state: '{state}', field: '{field}', expected: '{expected}', given: '{given}' } as unknown as RefusalFacts, lang);
      for (const x of mine) {
        try {
          expect(x.facts.state).toBe(x.ep.state);
          expect(WHERE[code as keyof typeof WHERE]).toContain(x.facts.state);
          checkRendered((lang) => explainRefusal(code, x.facts, lang), template, x.facts.state);
          CHECKS[code]?.(x);
        } catch (e) {
          throw new Error(`${x.where} → ${code} ${JSON.stringify(x.facts)}\n  ${explainRefusal(code, x.facts)}\n${String(e)}`);
        }
      }
    });
  }
});

describe('every explanation right where it is shown: ignored arrivals', () => {
  it('the walk ignores for every reason in exactly the states the table IGNORED_WHERE lists', () => {
    const seen = pairs(ignored.map((x) => ({ key: x.why, state: x.before.state })));
    const listed = pairs(Object.entries(IGNORED_WHERE).flatMap(([why, states]) => states.map((state) => ({ key: why, state }))));
    expect(seen).toEqual(listed);
    expect(Object.keys(IGNORED_WHERE).sort()).toEqual([...IGNORE_REASONS].sort());
  });

  for (const why of IGNORE_REASONS) {
    it(`${why}: its text is true of each arrival it is given for, in English and Chinese`, () => {
      const mine = ignored.filter((x) => x.why === why);
      expect(mine.length).toBeGreaterThan(0);
      for (const x of mine) {
        try {
          checkRendered((lang) => explainIgnored(why, x.before.state, lang), (lang) => explainIgnored(why, '{state}', lang), x.before.state);
          IGNORE_CHECKS[why](x);
        } catch (e) {
          throw new Error(`${x.where} (${x.before.state}) → ${why}\n  ${explainIgnored(why, x.before.state)}\n${String(e)}`);
        }
      }
    });
  }
});

// ---------------------------------------------------------------------------------------
// The audit's findings, one by one.
// ---------------------------------------------------------------------------------------

const refusedText = (r: StepResult, lang: Lang = 'en'): string => (r.ok ? 'accepted' : explainRefusal(r.code, r.facts, lang));
const both2 = (r: StepResult) => LANGS.map((l) => refusedText(r, l)).join('\n');

describe('the audit\'s findings', () => {
  it('1. a SYN that reached a CLOSED port is answered with RST+ACK, and the text does not say no SYN arrived', () => {
    const refused = new Run(initialConnection({ server: 'CLOSED' })).send(C, ['SYN'], 100).deliver(C);
    const early = both().send(C, ['SYN'], 100).deliver(C); // simultaneous open, before the server's own SYN
    for (const r of [refused, early]) {
      for (const flags of [['SYN', 'ACK'], ['ACK']] as Flag[][]) {
        const res = r.trySend(S, flags, 300, 101);
        expect(res).toMatchObject({ ok: false, code: 'segment/no-listener', facts: { state: 'CLOSED', expected: 'RST+ACK' } });
        expect(refusedText(res)).toContain('nothing listens here');
        expect(refusedText(res)).not.toMatch(/no SYN|waits for one/);
        expect(refusedText(res, 'zh-CN')).toContain('没有程序监听');
        expect(refusedText(res, 'zh-CN')).not.toContain('还没有收到 SYN');
      }
      expect(r.trySend(S, ['RST', 'ACK'], 0, 101).ok).toBe(true);
    }
  });

  it('2. a redundant pure ACK is not "answered with an ACK"; old data is', () => {
    const dupAck = established().xfer(C, ['ACK'], 101, 301);
    expect(dupAck.arrival).toMatchObject({ outcome: 'ignored', why: 'ack-nothing-new' });
    expect(explainIgnored('ack-nothing-new', 'ESTABLISHED')).toContain('it is not answered');
    expect(explainIgnored('ack-nothing-new', 'ESTABLISHED', 'zh-CN')).toContain('不需要应答');
    const oldData = established().send(C, ['ACK'], 101, 301, 4).send(C, ['ACK'], 101, 301, 4).deliver(C).deliver(C);
    expect(oldData.arrival).toMatchObject({ outcome: 'ignored', why: 'duplicate' });
    expect(explainIgnored('duplicate', 'ESTABLISHED')).toContain('acknowledges it again');
  });

  it('3. seq-mismatch names the ISS for a SYN, the FIN\'s own number for a FIN, and following it is accepted', () => {
    const syn = synSent().trySend(C, ['SYN'], 101);
    expect(syn).toMatchObject({ code: 'segment/seq-mismatch', facts: { expected: 100 } });
    expect(refusedText(syn)).not.toContain('must be your SND.NXT');
    expect(refusedText(syn)).toContain('a SYN goes again at the ISS');
    const synAck = synAckSent().trySend(S, ['SYN', 'ACK'], 299, 101);
    expect(synAck).toMatchObject({ code: 'segment/seq-mismatch', facts: { expected: 300 } });
    const r = established().send(C, ['ACK'], 101, 301, 10).send(C, ['FIN', 'ACK'], 111, 301);
    for (const wrong of [r.trySend(C, ['FIN', 'ACK'], 101, 301, 5), r.trySend(C, ['FIN', 'ACK'], 150, 301)]) {
      expect(wrong).toMatchObject({ code: 'segment/seq-mismatch', facts: { expected: 111 } });
      expect(refusedText(wrong)).toContain('[SND.UNA, SND.NXT)');
    }
    expect(r.trySend(C, ['FIN', 'ACK'], 111, 301).ok).toBe(true);
  });

  it('4. fin-already-sent offers a retransmission only while the FIN is unacknowledged', () => {
    for (const run of [finWait2, timeWait]) {
      const r = run();
      const res = r.trySend(C, ['FIN', 'ACK'], 102, r.client.rcvNxt);
      expect(res).toMatchObject({ code: 'segment/fin-already-sent', facts: { expected: 101 } });
      expect(refusedText(res)).toMatch(/once it is acknowledged \(FIN_WAIT_2, TIME_WAIT\) there is nothing to retransmit/);
      expect(r.trySend(C, ['FIN', 'ACK'], 101, r.client.rcvNxt).ok).toBe(false);
    }
    const fw1 = finWait1();
    expect(fw1.trySend(C, ['FIN', 'ACK'], 101, 301).ok).toBe(true);
  });

  it('5. SYN_RECEIVED is not called synchronized; FIN+ACK from it is legal, SYN with FIN is what is refused', () => {
    const noAck = synAckSent().trySend(S, ['FIN'], 301);
    expect(noAck).toMatchObject({ code: 'segment/ack-required', facts: { state: 'SYN_RECEIVED' } });
    expect(both2(noAck)).not.toMatch(/synchronized|已同步/);
    expect(synAckSent().trySend(S, ['FIN', 'ACK'], 301, 101).ok).toBe(true);
    const synFin = synAckSent().trySend(S, ['SYN', 'FIN', 'ACK'], 300, 101);
    expect(synFin).toMatchObject({ code: 'segment/flag-not-allowed-in-state' });
    expect(refusedText(synFin)).toContain('SYN and FIN never share a segment');
    const missing = synAckSent().inject(seg(C, ['PSH'], 101, 0, 3)).deliver(C);
    expect(missing.arrival).toMatchObject({ outcome: 'ignored', why: 'ack-missing', state: 'SYN_RECEIVED' });
    expect(explainIgnored('ack-missing', 'SYN_RECEIVED')).not.toContain('synchronized');
  });

  it('6. a RST without ACK in SYN_SENT is not said to be outside a receive window', () => {
    const r = synSent().inject(seg(S, ['RST'], 0)).deliver(S);
    expect(r.arrival).toMatchObject({ outcome: 'ignored', why: 'rst-without-ack', state: 'SYN_SENT' });
    expect(explainIgnored('rst-without-ack', 'SYN_SENT')).toContain('judged by its ACK');
    expect(explainIgnored('rst-without-ack', 'SYN_SENT')).not.toContain('outside the receive window');
  });

  it('8. an abort at the wrong seq cites the abort rule (3.10.5), not "would be ignored (3.10.7.1)"', () => {
    const res = established().trySend(C, ['RST'], 150);
    expect(res).toMatchObject({ code: 'segment/rst-seq-mismatch', facts: { field: 'seq', expected: 101 } });
    expect(refusedText(res)).toContain('an abort is sent at your SND.NXT (RFC 9293 3.10.5)');
    expect(refusedText(res)).not.toContain('would be ignored');
  });

  it('9. a RST with data names the length, not "does not send 20"', () => {
    const res = established().trySend(C, ['RST'], 101, 0, 20);
    expect(res).toMatchObject({ code: 'segment/flag-not-allowed-in-state', facts: { field: 'len', given: 20 } });
    expect(refusedText(res)).not.toContain('does not send 20');
    expect(refusedText(res)).toContain('(length: 20)');
    expect(refusedText(res, 'zh-CN')).toContain('（数据长度：20）');
  });

  it('10. an abort sends no RST from LAST_ACK or CLOSING (nor SYN_SENT, TIME_WAIT)', () => {
    const la = drain(lastAck());
    const res = la.trySend(S, ['RST'], la.server.sndNxt);
    expect(res).toMatchObject({ ok: false, code: 'segment/abort-sends-nothing', facts: { state: 'LAST_ACK' } });
    expect(refusedText(res)).toContain('an abort from here sends no RST');
    expect(closing().trySend(C, ['RST'], 102)).toMatchObject({ ok: false, code: 'segment/abort-sends-nothing', facts: { state: 'CLOSING' } });
  });

  it('11. a retransmission ending at RCV.NXT has its ACK processed', () => {
    const r = closing().xfer(C, ['FIN', 'ACK'], 101, 302);
    expect(r.server.state).toBe('TIME_WAIT');
  });

  it('the retransmitted FIN that reaches TIME_WAIT restarts the 2MSL timer, and the texts say so', () => {
    const r = timeWait().send(C, ['ACK'], 102, 302).drop(C).send(S, ['FIN', 'ACK'], 301, 102).deliver(S);
    expect(r.client.state).toBe('TIME_WAIT');
    expect(r.fx).toEqual([{ type: 'timer-start', side: C, timer: 'time-wait' }]);
    expect(r.arrival).toMatchObject({ outcome: 'accepted', before: 'TIME_WAIT', after: 'TIME_WAIT' });
    // The same after a simultaneous close, where both ends are in TIME_WAIT.
    const sim = closing().xfer(C, ['ACK'], 102, 302).send(S, ['ACK'], 302, 102).drop(S).xfer(C, ['FIN', 'ACK'], 101, 302);
    expect(sim.server.state).toBe('TIME_WAIT');
    expect(sim.fx).toEqual([{ type: 'timer-start', side: S, timer: 'time-wait' }]);
  });
});
