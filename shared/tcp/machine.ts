/**
 * The TCP state machine the whole game is judged by: two endpoints and the wire between
 * them, advanced by one pure function, `step`. It follows RFC 9293 (section 3.10 event
 * processing); where Linux and a literal reading differ the behaviour Linux shows wins
 * (see ../../docs/tcp-machine.md). No I/O, no clock, no randomness: timers are effects.
 */
import { seqAdd, seqDiff, seqLe, seqLt, isU32 } from './seq.ts';
import {
  FLAGS,
  type Connection, type Effect, type Endpoint, type Flag, type InFlight, type OwedReset,
  type ReasonCode, type RefusalFacts, type Segment, type Side, type StepResult, type TcpEvent,
  type TcpState, type Arrival, type IgnoreReason, type HeldText,
} from './types.ts';

/** The receive window (bytes): a RST or an out-of-order segment counts only inside it. */
export const RCV_WND = 65535;
/** At most this many unanswered segments are remembered for RST replies. */
const MAX_OWED_RESETS = 8;
/** At most this many out-of-order segments are held; beyond that the sender must retransmit. */
const MAX_HELD = 32;
/**
 * At most this many octets may be sent and unacknowledged: the largest window TCP can
 * advertise (RFC 7323 window scaling). Beyond 2^31 sequence comparisons become ambiguous.
 */
const MAX_IN_FLIGHT = 2 ** 30;

const isSide = (x: unknown): x is Side => x === 'client' || x === 'server';

/** The other end of the connection. */
export const peerOf = (side: Side): Side => (side === 'client' ? 'server' : 'client');

/** A fresh endpoint in CLOSED or LISTEN (the only states a connection can start from). */
export function initialEndpoint(state: 'CLOSED' | 'LISTEN' = 'CLOSED'): Endpoint {
  return {
    state, iss: null, irs: null, sndUna: 0, sndNxt: 0, rcvNxt: 0, finSeq: null,
    passive: false, reset: false, rtxTimer: false, timeWaitTimer: false, owedResets: [],
    bytesReceived: 0, held: [],
  };
}

/** A connection before anything happened; by default the client is CLOSED and the server LISTENs. */
export function initialConnection(
  initial: { client?: 'CLOSED' | 'LISTEN'; server?: 'CLOSED' | 'LISTEN' } = {},
): Connection {
  return {
    client: initialEndpoint(initial.client ?? 'CLOSED'),
    server: initialEndpoint(initial.server ?? 'LISTEN'),
    wire: { client: [], server: [] },
    nextSegmentId: 1,
  };
}

/** Sequence space a segment occupies: its payload, plus one each for SYN and FIN. */
export function segmentLength(seg: Segment): number {
  return seg.len + (seg.flags.includes('SYN') ? 1 : 0) + (seg.flags.includes('FIN') ? 1 : 0);
}

/** States in which the peer's FIN has been received. */
const PEER_FIN_STATES: readonly TcpState[] = ['CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT'];
/** States from which an abort sends a RST (RFC 9293 3.10.5). */
const ABORT_SENDS_RST: readonly TcpState[] = ['SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT'];
/** States that still accept payload from the peer. */
const RECEIVING_STATES: readonly TcpState[] = ['ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2'];

type Judged = { ok: true; ep: Endpoint; effects: Effect[] } | { ok: false; code: ReasonCode; facts: RefusalFacts };

/** The one core function: apply an event to a connection. Never throws for a wrong move. */
export function step(conn: Connection, event: TcpEvent): StepResult {
  // Events may come from untyped JSON: anything malformed is refused, never thrown on.
  const invalid = (given: string) => refuse(conn, 'segment/invalid', { state: conn.client.state, side: 'client', given });
  if (typeof event !== 'object' || event === null) return invalid('event');
  switch (event.type) {
    case 'send':
      if (typeof event.segment !== 'object' || event.segment === null) return invalid('segment');
      return send(conn, event.segment);
    case 'deliver':
      if (!isSide(event.from)) return invalid('from');
      return deliver(conn, event.from);
    case 'drop': {
      if (!isSide(event.from)) return invalid('from');
      const head = conn.wire[event.from][0];
      if (!head) return refuse(conn, 'wire/empty', { state: conn[event.from].state, side: event.from });
      return { ok: true, connection: { ...conn, wire: { ...conn.wire, [event.from]: conn.wire[event.from].slice(1) } }, effects: [] };
    }
    case 'timeout':
      if (!isSide(event.side)) return invalid('side');
      return timeout(conn, event.side);
    default: {
      const never: never = event;
      return invalid(String((never as { type: unknown }).type));
    }
  }
}

function refuse(connection: Connection, code: ReasonCode, facts: RefusalFacts): StepResult {
  return { ok: false, code, facts, connection };
}

function send(conn: Connection, seg: Segment): StepResult {
  const side = seg.from;
  const shapeError = checkShape(seg);
  if (shapeError !== null) {
    const who = isSide(side) ? side : 'client';
    return refuse(conn, 'segment/invalid', { state: conn[who].state, side: who, given: shapeError });
  }
  const judged = judgeSend(conn[side], seg);
  if (!judged.ok) return refuse(conn, judged.code, judged.facts);
  const sent: InFlight = { id: conn.nextSegmentId, segment: { ...seg, flags: [...seg.flags] } };
  return {
    ok: true,
    connection: {
      ...conn,
      [side]: judged.ep,
      wire: { ...conn.wire, [side]: [...conn.wire[side], sent] },
      nextSegmentId: conn.nextSegmentId + 1,
    },
    effects: judged.effects,
    sent,
  };
}

function deliver(conn: Connection, from: Side): StepResult {
  const head = conn.wire[from][0];
  const to = peerOf(from);
  if (!head) return refuse(conn, 'wire/empty', { state: conn[from].state, side: from });
  const before = conn[to];
  const r = receive(before, head.segment, to);
  const arrival: Arrival = r.ignored
    ? { outcome: 'ignored', id: head.id, segment: head.segment, to, state: before.state, why: r.ignored }
    : { outcome: 'accepted', id: head.id, segment: head.segment, to, before: before.state, after: r.ep.state };
  return {
    ok: true,
    connection: { ...conn, [to]: r.ep, wire: { ...conn.wire, [from]: conn.wire[from].slice(1) } },
    effects: r.effects,
    arrival,
  };
}

function timeout(conn: Connection, side: Side): StepResult {
  const ep = conn[side];
  if (ep.state === 'TIME_WAIT') {
    // 2MSL has passed: the connection is gone.
    return { ok: true, connection: { ...conn, [side]: closed(ep, false) }, effects: [] };
  }
  // The retransmission timer: it changes no state; the player (or stack) retransmits by sending.
  return { ok: true, connection: { ...conn, [side]: { ...ep, rtxTimer: false } }, effects: [] };
}

/** A reason the segment is malformed, or null. */
function checkShape(seg: Segment): string | null {
  if (seg.from !== 'client' && seg.from !== 'server') return 'from';
  if (!Array.isArray(seg.flags) || seg.flags.some((f) => !FLAGS.includes(f))) return 'flags';
  if (new Set(seg.flags).size !== seg.flags.length) return 'flags';
  if (!isU32(seg.seq)) return 'seq';
  if (!isU32(seg.ack)) return 'ack';
  if (!Number.isInteger(seg.len) || seg.len < 0 || seg.len > 0x7fffffff) return 'len';
  return null;
}

function closed(ep: Endpoint, reset: boolean): Endpoint {
  return { ...initialEndpoint('CLOSED'), reset, bytesReceived: ep.bytesReceived };
}

/** Timer effects that stop whatever of this endpoint's timers is running. */
function stopTimers(ep: Endpoint, side: Side): Effect[] {
  const fx: Effect[] = [];
  if (ep.rtxTimer) fx.push({ type: 'timer-stop', side, timer: 'rtx' });
  if (ep.timeWaitTimer) fx.push({ type: 'timer-stop', side, timer: 'time-wait' });
  return fx;
}

// ---------------------------------------------------------------------------------------
// Sending: may a correct endpoint in this state emit this segment?
// ---------------------------------------------------------------------------------------

function judgeSend(ep: Endpoint, seg: Segment): Judged {
  const side = seg.from;
  const has = (f: Flag) => seg.flags.includes(f);
  const fail = (code: ReasonCode, extra: Partial<RefusalFacts> = {}): Judged =>
    ({ ok: false, code, facts: { state: ep.state, side, ...extra } });

  if (has('RST')) return judgeRst(ep, seg, fail);
  // SYN opens and FIN closes: no TCP sends both at once, in any state (Linux drops such a segment).
  if (has('SYN') && has('FIN')) return fail('segment/flag-not-allowed-in-state', { field: 'flags', given: seg.flags.join('+') });

  switch (ep.state) {
    case 'CLOSED':
    case 'LISTEN': {
      // Nothing listens on a CLOSED endpoint: a SYN (any segment without ACK) that reached it
      // is answered with <SEQ=0><ACK=its end><CTL=RST,ACK> only (RFC 9293 3.10.7.1).
      const refusesSyn = ep.state === 'CLOSED' && ep.owedResets.some((r) => r.ackOfEnd !== null);
      if (refusesSyn && !has('FIN') && (has('ACK') || !has('SYN'))) {
        return fail('segment/no-listener', { field: 'flags', expected: 'RST+ACK', given: seg.flags.join('+') });
      }
      if (has('SYN') && has('ACK')) return fail('segment/synack-without-syn', { field: 'flags', given: seg.flags.join('+') });
      if (has('SYN')) {
        if (seg.len > 0) return fail('segment/data-on-syn', { field: 'len', expected: 0, given: seg.len });
        return activeOpen(ep, seg);
      }
      if (has('FIN')) return fail('segment/fin-before-established', { field: 'flags', given: seg.flags.join('+') });
      return fail(ep.reset ? 'segment/connection-reset' : 'segment/no-connection', { field: 'flags', given: seg.flags.join('+') });
    }
    case 'SYN_SENT': {
      if (has('FIN')) return fail('segment/fin-before-established', { field: 'flags', given: seg.flags.join('+') });
      if (has('ACK')) return fail('segment/ack-before-synack', { field: 'flags', given: seg.flags.join('+') });
      if (!has('SYN')) return fail('segment/data-before-established', { field: 'flags', given: seg.flags.join('+') });
      if (seg.len > 0) return fail('segment/data-on-syn', { field: 'len', expected: 0, given: seg.len });
      if (seg.seq !== ep.iss) return fail('segment/seq-mismatch', { field: 'seq', expected: ep.iss ?? 0, given: seg.seq });
      // A retransmitted SYN.
      return { ok: true, ep: { ...ep, rtxTimer: true }, effects: [{ type: 'timer-start', side, timer: 'rtx' }] };
    }
    case 'SYN_RECEIVED': {
      if (has('SYN') && !has('ACK')) return fail('segment/syn-needs-ack', { field: 'flags', expected: 'SYN+ACK', given: seg.flags.join('+') });
      if (ep.iss === null && !has('SYN')) return fail('segment/syn-missing', { field: 'flags', expected: 'SYN+ACK', given: seg.flags.join('+') });
      if (has('SYN') && seg.len > 0) return fail('segment/data-on-syn', { field: 'len', expected: 0, given: seg.len });
      const ackErr = checkAck(ep, seg, fail);
      if (ackErr) return ackErr;
      if (has('SYN')) {
        if (ep.iss === null) {
          // The passive side answers the SYN with its own SYN+ACK and picks its ISS now.
          return {
            ok: true,
            ep: { ...ep, iss: seg.seq, sndUna: seg.seq, sndNxt: seqAdd(seg.seq, 1), rtxTimer: true },
            effects: [{ type: 'timer-start', side, timer: 'rtx' }],
          };
        }
        if (seg.seq !== ep.iss) return fail('segment/seq-mismatch', { field: 'seq', expected: ep.iss, given: seg.seq });
        return { ok: true, ep: { ...ep, rtxTimer: true }, effects: [{ type: 'timer-start', side, timer: 'rtx' }] };
      }
      // No payload before the connection is established (RFC 9293 queues it; the game refuses it).
      if (seg.len > 0) return fail('segment/data-before-established', { field: 'len', expected: 0, given: seg.len });
      return sendSynchronized(ep, seg, fail);
    }
    default: {
      if (has('SYN')) return fail('segment/syn-in-synchronized-state', { field: 'flags', given: seg.flags.join('+') });
      const ackErr = checkAck(ep, seg, fail);
      if (ackErr) return ackErr;
      return sendSynchronized(ep, seg, fail);
    }
  }
}

function activeOpen(ep: Endpoint, seg: Segment): Judged {
  return {
    ok: true,
    ep: { ...initialEndpoint('CLOSED'), state: 'SYN_SENT', iss: seg.seq, sndUna: seg.seq, sndNxt: seqAdd(seg.seq, 1), rtxTimer: true, bytesReceived: ep.bytesReceived },
    effects: [{ type: 'timer-start', side: seg.from, timer: 'rtx' }],
  };
}

type Fail = (code: ReasonCode, extra?: Partial<RefusalFacts>) => Judged;

/** Once synchronized every segment but a RST carries ACK, and the ack must be RCV.NXT. */
function checkAck(ep: Endpoint, seg: Segment, fail: Fail): Judged | null {
  if (!seg.flags.includes('ACK')) return fail('segment/ack-required', { field: 'flags', expected: 'ACK', given: seg.flags.join('+') });
  if (seg.ack === ep.rcvNxt) return null;
  const facts = { field: 'ack' as const, expected: ep.rcvNxt, given: seg.ack };
  // "Off by one" is the slip of forgetting that the last thing received, a SYN or a FIN,
  // occupies a sequence number; one short after data is a plain mismatch.
  const lastWasSynOrFin = ep.irs !== null && (seqAdd(ep.irs, 1) === ep.rcvNxt || PEER_FIN_STATES.includes(ep.state));
  if (seg.ack === seqAdd(ep.rcvNxt, -1) && lastWasSynOrFin) return fail('segment/ack-off-by-one', facts);
  if (seqLt(ep.rcvNxt, seg.ack)) return fail('segment/ack-unreceived', facts);
  return fail('segment/ack-mismatch', facts);
}

/** Sending ACK / data / FIN from a synchronized state (the ack has been checked). */
function sendSynchronized(ep: Endpoint, seg: Segment, fail: Fail): Judged {
  const side = seg.from;
  const fin = seg.flags.includes('FIN');
  const occupied = seg.len + (fin ? 1 : 0);
  const seqFacts = { field: 'seq' as const, expected: ep.sndNxt, given: seg.seq };

  if (seg.seq === ep.sndNxt) {
    if (occupied === 0) return { ok: true, ep, effects: [] }; // a pure ACK
    if (ep.finSeq !== null) {
      return seg.len > 0
        ? fail('segment/data-after-fin', { field: 'len', expected: 0, given: seg.len })
        : fail('segment/fin-already-sent', { field: 'seq', expected: ep.finSeq, given: seg.seq });
    }
    // Counted in sequence numbers: the octets, and one for a FIN.
    const room = MAX_IN_FLIGHT - seqDiff(ep.sndNxt, ep.sndUna);
    if (occupied > room) return fail('segment/window-exceeded', { field: 'len', expected: room, given: occupied });
    let state = ep.state;
    let finSeq: number | null = null;
    if (fin) {
      finSeq = seqAdd(seg.seq, seg.len);
      // RFC 9293 3.10.4 CLOSE: ESTABLISHED and SYN-RECEIVED go to FIN-WAIT-1, CLOSE-WAIT to LAST-ACK.
      state = ep.state === 'CLOSE_WAIT' ? 'LAST_ACK' : 'FIN_WAIT_1';
    }
    return {
      ok: true,
      ep: { ...ep, state, finSeq, sndNxt: seqAdd(ep.sndNxt, occupied), rtxTimer: true },
      effects: [{ type: 'timer-start', side, timer: 'rtx' }],
    };
  }

  // A FIN once our FIN is out: only that FIN again, at its own number, while it is unacknowledged.
  if (fin && ep.finSeq !== null) {
    const finFacts = { field: 'seq' as const, expected: ep.finSeq, given: seg.seq };
    if (seqLt(ep.finSeq, ep.sndUna)) return fail('segment/fin-already-sent', finFacts);
    if (seqAdd(seg.seq, seg.len) !== ep.finSeq || seqLt(seg.seq, ep.sndUna)) return fail('segment/seq-mismatch', finFacts);
  }

  // No keep-alives (RFC 9293 3.8.4, a MAY): SEG.SEQ = SND.NXT-1 is, on a fresh connection,
  // exactly the ACK of a student who forgot that the SYN counts, and trace format v1 allows
  // only SND.NXT or a retransmission of unacknowledged sequence space.
  if (seqLt(seg.seq, ep.sndUna)) return fail('segment/seq-not-advanced', seqFacts);
  if (seqLt(ep.sndNxt, seg.seq)) return fail('segment/seq-mismatch', seqFacts);

  // SND.UNA ≤ seq < SND.NXT: only a retransmission of what is still unacknowledged. Anything
  // else here reuses a sequence number already spent: the student did not move seq on.
  if (occupied === 0) return fail('segment/seq-not-advanced', seqFacts);
  if (fin && ep.finSeq === null) return fail('segment/seq-not-advanced', seqFacts);
  // Data up to or past the FIN's number: data after the FIN.
  if (!fin && ep.finSeq !== null && seqLt(ep.finSeq, seqAdd(seg.seq, seg.len))) {
    return fail('segment/data-after-fin', { field: 'len', expected: seqDiff(ep.finSeq, seg.seq), given: seg.len });
  }
  if (seqLt(ep.sndNxt, seqAdd(seg.seq, occupied))) return fail('segment/seq-not-advanced', seqFacts);
  // The ISS is the SYN's own number: text there forgets that the SYN counts.
  if (ep.iss !== null && seg.seq === ep.iss) return fail('segment/seq-not-advanced', seqFacts);
  return { ok: true, ep: { ...ep, rtxTimer: true }, effects: [{ type: 'timer-start', side, timer: 'rtx' }] };
}

function judgeRst(ep: Endpoint, seg: Segment, fail: Fail): Judged {
  const side = seg.from;
  if (seg.flags.includes('SYN') || seg.flags.includes('FIN')) {
    return fail('segment/flag-not-allowed-in-state', { field: 'flags', given: seg.flags.join('+') });
  }
  if (seg.len > 0) return fail('segment/flag-not-allowed-in-state', { field: 'len', expected: 0, given: seg.len });
  const hasAck = seg.flags.includes('ACK');

  // A reply to a segment this endpoint could not accept (RFC 9293 3.10.7.1, 3.5.2).
  const idx = ep.owedResets.findIndex((r) =>
    (r.seqFromAck !== null && seg.seq === r.seqFromAck) ||
    (r.ackOfEnd !== null && hasAck && seg.ack === r.ackOfEnd && seg.seq === 0));
  if (idx >= 0) {
    return { ok: true, ep: { ...ep, owedResets: ep.owedResets.filter((_, i) => i !== idx) }, effects: [] };
  }

  // An abort (RFC 9293 3.10.5) sends <SEQ=SND.NXT><CTL=RST> from these states only (Linux's
  // tcp_need_reset agrees); from SYN_SENT, CLOSING, LAST_ACK and TIME_WAIT it sends nothing.
  const canAbort = ep.iss !== null && ep.irs !== null && ABORT_SENDS_RST.includes(ep.state);
  if (canAbort) {
    if (seg.seq !== ep.sndNxt) return fail('segment/rst-seq-mismatch', { field: 'seq', expected: ep.sndNxt, given: seg.seq });
    if (hasAck && seg.ack !== ep.rcvNxt) return fail('segment/ack-mismatch', { field: 'ack', expected: ep.rcvNxt, given: seg.ack });
    return { ok: true, ep: closed(ep, true), effects: stopTimers(ep, side) };
  }

  const owed = ep.owedResets[0];
  if (owed) {
    if (owed.seqFromAck !== null) return fail('segment/rst-seq-mismatch', { field: 'seq', expected: owed.seqFromAck, given: seg.seq });
    // The answer to a segment without ACK is <SEQ=0><ACK=its end><CTL=RST,ACK>: say which part is wrong.
    if (!hasAck) return fail('segment/rst-seq-mismatch', { field: 'flags', expected: 'RST+ACK', given: seg.flags.join('+') });
    if (seg.seq !== 0) return fail('segment/rst-seq-mismatch', { field: 'seq', expected: 0, given: seg.seq });
    return fail('segment/rst-seq-mismatch', { field: 'ack', expected: owed.ackOfEnd ?? 0, given: seg.ack });
  }
  if (ep.state === 'CLOSED' && ep.reset) return fail('segment/connection-reset', { field: 'flags', given: 'RST' });
  // Passive, before its SYN+ACK: there is no SND.NXT to abort at; the SYN waits for its answer.
  if (ep.state === 'SYN_RECEIVED' && ep.iss === null) return fail('segment/syn-missing', { field: 'flags', expected: 'SYN+ACK', given: 'RST' });
  if (ep.state !== 'CLOSED' && ep.state !== 'LISTEN') return fail('segment/abort-sends-nothing', { field: 'flags', given: 'RST' });
  return fail('segment/rst-nothing-to-answer', { field: 'flags', given: 'RST' });
}

// ---------------------------------------------------------------------------------------
// Receiving: RFC 9293 section 3.10.7, SEGMENT ARRIVES.
// ---------------------------------------------------------------------------------------

interface Received { ep: Endpoint; effects: Effect[]; ignored: IgnoreReason | null }

function owe(ep: Endpoint, seg: Segment): Endpoint {
  if (seg.flags.includes('RST')) return ep;
  const r: OwedReset = seg.flags.includes('ACK')
    ? { seqFromAck: seg.ack, ackOfEnd: null }
    : { seqFromAck: null, ackOfEnd: seqAdd(seg.seq, segmentLength(seg)) };
  return { ...ep, owedResets: [...ep.owedResets, r].slice(-MAX_OWED_RESETS) };
}

function receive(ep: Endpoint, seg: Segment, side: Side): Received {
  const has = (f: Flag) => seg.flags.includes(f);
  const ignore = (why: IgnoreReason, next: Endpoint = ep): Received => ({ ep: next, effects: [], ignored: why });

  switch (ep.state) {
    case 'CLOSED':
      if (has('RST')) return ignore('rst-no-connection');
      return ignore('no-connection', owe(ep, seg));
    case 'LISTEN':
      if (has('RST')) return ignore('rst-no-connection');
      if (has('ACK')) return ignore('no-connection', owe(ep, seg));
      if (!has('SYN')) return ignore('not-expected-in-state');
      return {
        ep: {
          ...initialEndpoint('LISTEN'), state: 'SYN_RECEIVED', passive: true, irs: seg.seq, rcvNxt: seqAdd(seg.seq, 1),
          bytesReceived: ep.bytesReceived, owedResets: ep.owedResets,
        },
        effects: [], ignored: null,
      };
    case 'SYN_SENT':
      return receiveInSynSent(ep, seg, side, ignore);
    default:
      return receiveSynchronized(ep, seg, side, ignore);
  }
}

type Ignore = (why: IgnoreReason, next?: Endpoint) => Received;

function receiveInSynSent(ep: Endpoint, seg: Segment, side: Side, ignore: Ignore): Received {
  const has = (f: Flag) => seg.flags.includes(f);
  const iss = ep.iss ?? 0;
  const ackOk = has('ACK') && seqLt(iss, seg.ack) && seqLe(seg.ack, ep.sndNxt);
  if (has('ACK') && !ackOk) return ignore('ack-unacceptable', owe(ep, seg));
  if (has('RST')) {
    // Connection refused: a RST in SYN_SENT is judged by its ACK (RFC 9293 3.10.7.3), not by a
    // receive window (there is none yet): it counts only when it acknowledges our SYN.
    if (!ackOk) return ignore('rst-without-ack');
    return { ep: closed(ep, true), effects: stopTimers(ep, side), ignored: null };
  }
  if (!has('SYN')) return ignore('not-expected-in-state');
  const synced: Endpoint = { ...ep, irs: seg.seq, rcvNxt: seqAdd(seg.seq, 1) };
  if (!ackOk) {
    // Simultaneous open: a SYN without ACK crosses ours.
    return { ep: { ...synced, state: 'SYN_RECEIVED', passive: false }, effects: [], ignored: null };
  }
  let next: Endpoint = { ...synced, state: 'ESTABLISHED', sndUna: seg.ack };
  const effects: Effect[] = [];
  if (next.sndUna === next.sndNxt && next.rtxTimer) {
    next = { ...next, rtxTimer: false };
    effects.push({ type: 'timer-stop', side, timer: 'rtx' });
  }
  // Payload or FIN on the SYN+ACK is processed as in ESTABLISHED.
  const rest = receiveText(next, seg, side);
  return { ep: rest.ep, effects: [...effects, ...rest.effects], ignored: null };
}

function receiveSynchronized(ep: Endpoint, seg: Segment, side: Side, ignore: Ignore): Received {
  const has = (f: Flag) => seg.flags.includes(f);
  const rel = seqDiff(seg.seq, ep.rcvNxt);

  if (has('RST')) {
    if (rel < 0 || rel >= RCV_WND) return ignore('rst-out-of-window');
    if (ep.state === 'SYN_RECEIVED' && ep.passive) {
      return {
        ep: { ...initialEndpoint('LISTEN'), bytesReceived: ep.bytesReceived, owedResets: ep.owedResets },
        effects: stopTimers(ep, side), ignored: null,
      };
    }
    return { ep: closed(ep, true), effects: stopTimers(ep, side), ignored: null };
  }

  // RFC 9293 3.10.7.4, first check: a segment that begins beyond the window is dropped.
  if (rel >= RCV_WND) return ignore('out-of-order');
  // A SYN other than the peer's own (retransmitted) SYN has no place here (RFC 5961 challenge ACK).
  if (has('SYN') && seg.seq !== ep.irs) return ignore('not-expected-in-state');
  if (!has('ACK')) return ignore(has('SYN') ? 'duplicate' : 'ack-missing');

  // A wholly old segment fails RFC 9293's acceptability test (3.10.7.4, first check). Linux
  // (tcp_sequence) still accepts one that ends at or after RCV.WUP, the RCV.NXT it last
  // acknowledged, and processes its ACK: here every arrival counts as acknowledged, so that
  // is a segment ending exactly at RCV.NXT (the last one, retransmitted; in TIME_WAIT the
  // repeated FIN, which restarts 2MSL). One ending before it, and an old pure ACK, is dropped
  // without its ACK being processed. An old SYN goes on too (figure 7): its ACK completes a
  // simultaneous open, as on Linux.
  const occupied = segmentLength(seg);
  const end = seqAdd(seg.seq, occupied);
  const wholeOld = occupied > 0 ? seqLe(end, ep.rcvNxt) : rel < 0;
  if (wholeOld && !has('SYN') && end !== ep.rcvNxt) return ignore('duplicate');
  // Nothing changed: a repeat of what occupied sequence space is answered with an ACK, an ACK is not.
  const unchanged: IgnoreReason = occupied > 0 ? 'duplicate' : 'ack-nothing-new';

  let next = ep;
  const effects: Effect[] = [];

  // The ACK field (RFC 9293 3.10.7.4, fifth check).
  if (ep.state === 'SYN_RECEIVED') {
    const acceptable = ep.iss !== null && seqLt(ep.sndUna, seg.ack) && seqLe(seg.ack, ep.sndNxt);
    if (!acceptable) return ignore('ack-unacceptable', owe(ep, seg));
    next = { ...next, state: 'ESTABLISHED' };
  } else if (seqLt(ep.sndNxt, seg.ack)) {
    return ignore('ack-unacceptable');
  }
  if (seqLt(next.sndUna, seg.ack)) next = { ...next, sndUna: seg.ack };
  if (next.finSeq !== null && next.sndUna === seqAdd(next.finSeq, 1)) {
    if (next.state === 'FIN_WAIT_1') next = { ...next, state: 'FIN_WAIT_2' };
    else if (next.state === 'CLOSING') next = enterTimeWait(next, side, effects);
    else if (next.state === 'LAST_ACK') {
      effects.push(...stopTimers(next, side));
      return { ep: closed(next, false), effects, ignored: null };
    }
  }
  if (next.rtxTimer && next.sndUna === next.sndNxt) {
    next = { ...next, rtxTimer: false };
    effects.push({ type: 'timer-stop', side, timer: 'rtx' });
  }

  if (rel > 0) {
    // In window but beyond RCV.NXT (something before it was lost). Like Linux, the ACK has
    // been processed at once; the text and FIN are held until the gap is filled (SHLD-31).
    const held = hold(next, seg);
    const changed = held !== ep || effects.length > 0;
    return { ep: held, effects, ignored: changed ? null : unchanged };
  }

  const text = receiveText(next, seg, side, ep.state === 'TIME_WAIT');
  effects.push(...text.effects);
  const changed = text.ep !== ep || effects.length > 0;
  return { ep: text.ep, effects, ignored: changed ? null : unchanged };
}

/** Holds the text and FIN of an in-window segment that begins beyond RCV.NXT. */
function hold(ep: Endpoint, seg: Segment): Endpoint {
  const fin = seg.flags.includes('FIN');
  if (seg.len === 0 && !fin) return ep;
  const text: HeldText = { seq: seqAdd(seg.seq, seg.flags.includes('SYN') ? 1 : 0), len: seg.len, fin };
  const held = ep.held ?? [];
  if (held.some((h) => h.seq === text.seq && h.len === text.len && h.fin === text.fin)) return ep;
  if (held.length >= MAX_HELD) return ep;
  return { ...ep, held: [...held, text] };
}

/** The segment text and FIN (RFC 9293 3.10.7.4, seventh and eighth checks), then any held text it makes contiguous. */
function receiveText(ep: Endpoint, seg: Segment, side: Side, wasTimeWait = false): { ep: Endpoint; effects: Effect[] } {
  const effects: Effect[] = [];
  const dataStart = seqAdd(seg.seq, seg.flags.includes('SYN') ? 1 : 0);
  let next = acceptText(ep, dataStart, seg.len, seg.flags.includes('FIN'), side, effects, wasTimeWait);
  // Held segments that now begin at or before RCV.NXT are processed, in any order they fit.
  for (;;) {
    const held = next.held ?? [];
    const rcvNxt = next.rcvNxt;
    const i = held.findIndex((h) => seqLe(h.seq, rcvNxt));
    if (i < 0) break;
    const h = held[i] as HeldText;
    next = acceptText({ ...next, held: held.filter((_, j) => j !== i) }, h.seq, h.len, h.fin, side, effects, false);
  }
  return { ep: next, effects };
}

/**
 * Payload [start, start+len) and an optional FIN after it, as far as they are new.
 * `inTimeWait`: this is the arriving segment and its receiver was already in TIME_WAIT
 * (not brought there by this segment's own ACK, which has just started 2MSL).
 */
function acceptText(ep: Endpoint, dataStart: number, len: number, fin: boolean, side: Side, effects: Effect[], inTimeWait: boolean): Endpoint {
  const dataEnd = seqAdd(dataStart, len);
  let next = ep;
  if (len > 0 && RECEIVING_STATES.includes(next.state) &&
    seqLe(dataStart, next.rcvNxt) && seqLt(next.rcvNxt, dataEnd)) {
    const fresh = seqDiff(dataEnd, next.rcvNxt);
    next = { ...next, rcvNxt: dataEnd, bytesReceived: next.bytesReceived + fresh };
  }
  if (fin) {
    if (!PEER_FIN_STATES.includes(next.state) && dataEnd === next.rcvNxt) {
      next = { ...next, rcvNxt: seqAdd(next.rcvNxt, 1), held: [] };
      switch (next.state) {
        case 'SYN_RECEIVED':
        case 'ESTABLISHED': next = { ...next, state: 'CLOSE_WAIT' }; break;
        case 'FIN_WAIT_1': next = { ...next, state: 'CLOSING' }; break;
        case 'FIN_WAIT_2': next = enterTimeWait(next, side, effects); break;
        default: break;
      }
    } else if (inTimeWait && next.state === 'TIME_WAIT' && seqAdd(dataEnd, 1) === next.rcvNxt) {
      // The peer's FIN again: our last ACK was lost. Acknowledge it, and restart the 2MSL
      // timeout (RFC 9293 3.10.7.4, TIME-WAIT STATE).
      effects.push({ type: 'timer-start', side, timer: 'time-wait' });
    }
  }
  return next;
}

function enterTimeWait(ep: Endpoint, side: Side, effects: Effect[]): Endpoint {
  if (ep.rtxTimer) effects.push({ type: 'timer-stop', side, timer: 'rtx' });
  effects.push({ type: 'timer-start', side, timer: 'time-wait' });
  return { ...ep, state: 'TIME_WAIT', rtxTimer: false, timeWaitTimer: true };
}

/** The numbers a correct endpoint would put on a segment with these flags (level 1 fills them in). */
export function autoNumbers(ep: Endpoint, flags: readonly Flag[], isn: number): { seq: number; ack: number } {
  const ack = flags.includes('ACK') ? ep.rcvNxt : 0;
  if (flags.includes('RST')) {
    const owed = ep.owedResets[0];
    if (owed && (ep.state === 'CLOSED' || ep.state === 'LISTEN' || !flags.includes('ACK'))) {
      return owed.seqFromAck !== null ? { seq: owed.seqFromAck, ack } : { seq: 0, ack: owed.ackOfEnd ?? 0 };
    }
    return { seq: ep.sndNxt, ack };
  }
  if (flags.includes('SYN')) return { seq: ep.iss ?? isn, ack };
  return { seq: ep.sndNxt, ack };
}
