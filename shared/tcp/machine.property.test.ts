/**
 * Property tests (fast-check) for the TCP machine: random event sequences from the
 * starting positions, mostly legal moves (flags picked at random, numbers from autoNumbers,
 * sometimes a retransmission), sometimes near-misses and garbage. After every step:
 * invariants on the numbers, refusals change nothing, nothing throws or mutates its input;
 * at the end, replaying the same events (directly and as a trace) gives the same state.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { autoNumbers, initialConnection, peerOf, segmentLength, step } from './machine.ts';
import { seqDiff, seqLe, seqLt } from './seq.ts';
import { replayTrace, type Trace, type TraceStep } from './trace.ts';
import { TCP_STATES, type Connection, type Flag, type Side, type StepResult, type TcpEvent } from './types.ts';

const NUM_RUNS = 300;
const SIDES: Side[] = ['client', 'server'];
const FLAG_SETS: Flag[][] = [
  ['SYN'], ['SYN', 'ACK'], ['ACK'], ['ACK', 'PSH'], ['FIN', 'ACK'], ['FIN', 'PSH', 'ACK'], ['RST'], ['RST', 'ACK'],
];

type Move =
  | { k: 'deliver'; side: Side }
  | { k: 'drop'; side: Side }
  | { k: 'timeout'; side: Side }
  | { k: 'send'; side: Side; pick: number; len: number; legalFirst: boolean; retx: boolean }
  | { k: 'near-miss'; side: Side; pick: number; len: number; dseq: number; dack: number }
  | { k: 'garbage'; ev: unknown };

const side = fc.constantFrom<Side>('client', 'server');
const u32 = fc.oneof(
  fc.constantFrom(0, 1, 0x7fffffff, 0x80000000, 0xfffffff0, 0xfffffffe, 0xffffffff),
  fc.integer({ min: 0, max: 0xffffffff }),
);
const moveArb: fc.Arbitrary<Move> = fc.oneof(
  { weight: 30, arbitrary: fc.record({ k: fc.constant('deliver' as const), side }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('drop' as const), side }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('timeout' as const), side }) },
  {
    weight: 50,
    arbitrary: fc.record({
      // RST (the last two sets) ends a connection: picked rarely, so that play gets far.
      k: fc.constant('send' as const), side,
      pick: fc.oneof({ weight: 19, arbitrary: fc.nat(5) }, { weight: 1, arbitrary: fc.constantFrom(6, 7) }),
      len: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 20 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 70000 }) }),
      // Mostly the first legal flag set from `pick` on; sometimes exactly `pick`, legal or not.
      legalFirst: fc.nat(9).map((n) => n < 8),
      retx: fc.nat(5).map((n) => n === 0),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      k: fc.constant('near-miss' as const), side, pick: fc.nat(FLAG_SETS.length - 1), len: fc.nat(5),
      dseq: fc.integer({ min: -2, max: 2 }), dack: fc.integer({ min: -2, max: 2 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant('garbage' as const),
      ev: fc.oneof(
        fc.anything(),
        fc.record({ type: fc.constantFrom('send', 'deliver', 'drop', 'timeout', 'x'), from: fc.anything(), side: fc.anything() }),
        fc.record({
          type: fc.constant('send'),
          segment: fc.record({
            from: fc.oneof(side, fc.string()), flags: fc.array(fc.oneof(fc.constantFrom(...FLAG_SETS.flat()), fc.string()), { maxLength: 6 }),
            seq: fc.oneof(u32, fc.double(), fc.integer()), ack: fc.oneof(u32, fc.double()), len: fc.oneof(fc.nat(30), fc.integer({ min: -5, max: 5 }), fc.double()),
          }),
        }),
      ),
    }),
  },
);

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  initial: fc.constantFrom(
    { client: 'CLOSED', server: 'LISTEN' } as const,
    { client: 'CLOSED', server: 'CLOSED' } as const,
    { client: 'LISTEN', server: 'LISTEN' } as const,
  ),
  isn: fc.record({ client: u32, server: u32 }),
  moves: fc.array(moveArb, { minLength: 1, maxLength: 60, size: 'max' }),
});

/** Turns a move into a concrete event for the current position. */
function eventFor(conn: Connection, m: Move, isn: Record<Side, number>): TcpEvent {
  if (m.k === 'garbage') return m.ev as TcpEvent;
  if (m.k === 'deliver' || m.k === 'drop') {
    // Prefer a direction that has something in flight.
    const from = conn.wire[m.side].length > 0 ? m.side : peerOf(m.side);
    return m.k === 'deliver' ? { type: 'deliver', from } : { type: 'drop', from };
  }
  if (m.k === 'timeout') return { type: 'timeout', side: m.side };
  const ep = conn[m.side];
  if (m.k === 'near-miss') {
    const flags = FLAG_SETS[m.pick] as Flag[];
    const n = autoNumbers(ep, flags, isn[m.side]);
    return {
      type: 'send',
      segment: { from: m.side, flags, seq: (n.seq + m.dseq) >>> 0, ack: (n.ack + m.dack) >>> 0, len: flags.includes('PSH') ? m.len : 0 },
    };
  }
  const candidates: TcpEvent[] = [];
  // From `pick` on; when `pick` is not a RST set, the RST sets are tried last.
  const order = m.pick >= 6 ? [m.pick, ...[0, 1, 2, 3, 4, 5].map((i) => (m.pick + i) % 6)]
    : [...[0, 1, 2, 3, 4, 5].map((i) => (m.pick + i) % 6), 6, 7];
  for (const idx of order) {
    const flags = FLAG_SETS[idx] as Flag[];
    const n = autoNumbers(ep, flags, isn[m.side]);
    const outstanding = seqDiff(ep.sndNxt, ep.sndUna);
    let seq = n.seq;
    let len = flags.includes('PSH') ? m.len : 0;
    if (m.retx && outstanding > 0 && !flags.includes('SYN') && !flags.includes('RST')) {
      // A retransmission from SND.UNA, no longer than what is outstanding.
      seq = ep.sndUna;
      len = Math.min(len, outstanding);
    }
    candidates.push({ type: 'send', segment: { from: m.side, flags, seq, ack: n.ack, len } });
  }
  if (!m.legalFirst) return candidates[0] as TcpEvent;
  return candidates.find((ev) => step(conn, ev).ok) ?? (candidates[0] as TcpEvent);
}

function deepFreeze<T>(x: T): T {
  if (typeof x === 'object' && x !== null && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

/**
 * Which incarnation of each side's sequence space the numbers refer to: a side's
 * generation changes whenever its ISS changes (a new connection, or none).
 */
class Generations {
  gen: Record<Side, number> = { client: 0, server: 0 };
  /** The sender's generation when each segment was sent. */
  sendGen = new Map<number, number>();
  /** The peer generation a side's IRS/RCV.NXT belongs to (that of the SYN it came from). */
  irsGen: Record<Side, number | null> = { client: null, server: null };
  /** For in-flight non-RST segments with ACK: the peer generation their ack refers to. */
  ackGen = new Map<number, number>();
  /** The end (seq + length) of the furthest segment each side sent in its current generation. */
  sentEnd: Record<Side, number | null> = { client: null, server: null };

  update(before: Connection, after: Connection, r: StepResult): void {
    for (const s of SIDES) {
      if (before[s].iss !== after[s].iss) {
        this.gen[s]++;
        this.sentEnd[s] = null;
      }
    }
    if (r.ok && r.sent) {
      const { segment } = r.sent;
      this.sendGen.set(r.sent.id, this.gen[segment.from]);
      const end = (segment.seq + segmentLength(segment)) >>> 0;
      const known = this.sentEnd[segment.from];
      if (!segment.flags.includes('RST') && (known === null || seqLt(known, end))) this.sentEnd[segment.from] = end;
    }
    for (const s of SIDES) {
      if (after[s].irs === null) this.irsGen[s] = null;
      else if (before[s].irs !== after[s].irs) {
        const id = r.ok ? r.arrival?.id : undefined;
        this.irsGen[s] = id === undefined ? null : this.sendGen.get(id) ?? null;
      }
    }
    if (r.ok && r.sent) {
      const { segment, id } = r.sent;
      const g = this.irsGen[segment.from];
      if (segment.flags.includes('ACK') && !segment.flags.includes('RST') && g !== null && before[segment.from].irs !== null) {
        this.ackGen.set(id, g);
      }
    }
  }
}

/** A plain assertion: vitest's expect is too slow for thousands of checks per run. */
function check(cond: boolean, what: string): void {
  if (!cond) throw new Error(`invariant broken: ${what}`);
}

/** The invariants that must hold after every accepted step. */
function checkInvariants(prev: Connection, conn: Connection, g: Generations): void {
  for (const s of SIDES) {
    const ep = conn[s];
    const peer = conn[peerOf(s)];
    if (ep.iss !== null) {
      // SND.UNA ≤ SND.NXT in sequence space, never more than 2^30 apart.
      check(seqLe(ep.sndUna, ep.sndNxt), `${s} SND.UNA ≤ SND.NXT`);
      check(seqDiff(ep.sndNxt, ep.sndUna) <= 2 ** 30, `${s} at most 2^30 unacknowledged`);
      // SND.NXT is exactly the end of the furthest segment sent: only sending moves it.
      check(ep.sndNxt === g.sentEnd[s], `${s} SND.NXT = end of the furthest segment sent`);
    }
    if (ep.iss !== null && ep.iss === prev[s].iss) {
      // Within one connection, SND.UNA and RCV.NXT never move backwards.
      check(seqLe(prev[s].sndUna, ep.sndUna), `${s} SND.UNA never decreases`);
      if (ep.irs !== null && ep.irs === prev[s].irs) check(seqLe(prev[s].rcvNxt, ep.rcvNxt), `${s} RCV.NXT never decreases`);
    }
    if (ep.state === 'CLOSED' || ep.state === 'LISTEN') {
      check(ep.iss === null && ep.irs === null, `${s} in ${ep.state} has no ISS/IRS`);
    }
    check(ep.timeWaitTimer === (ep.state === 'TIME_WAIT'), `${s} TIME_WAIT timer iff TIME_WAIT`);
    if (ep.rtxTimer) check(ep.sndUna !== ep.sndNxt, `${s} rtx timer only with something unacknowledged`);
    check(ep.bytesReceived >= prev[s].bytesReceived, `${s} bytesReceived never decreases`);
    for (const h of ep.held ?? []) check(seqLt(ep.rcvNxt, h.seq), `${s} held text lies beyond RCV.NXT`);
    // What a side has received never passes what its peer has sent (same incarnation).
    if (ep.irs !== null && peer.iss !== null && g.irsGen[s] === g.gen[peerOf(s)]) {
      check(ep.irs === peer.iss, `${s} IRS = peer ISS`);
      check(seqLe(ep.rcvNxt, peer.sndNxt), `${s} RCV.NXT ≤ peer SND.NXT`);
      // Both sides agree on what was delivered: the peer's SND.UNA never passes our RCV.NXT.
      check(seqLe(peer.sndUna, ep.rcvNxt), `${peerOf(s)} SND.UNA ≤ ${s} RCV.NXT`);
    }
  }
  // Nothing in flight acknowledges what its receiver has not sent.
  for (const s of SIDES) {
    const receiver = conn[peerOf(s)];
    for (const f of conn.wire[s]) {
      const gen = g.ackGen.get(f.id);
      if (gen !== undefined && gen === g.gen[peerOf(s)]) {
        check(seqLe(f.segment.ack, receiver.sndNxt), `segment ${f.id} from ${s} acks ≤ ${peerOf(s)} SND.NXT`);
      }
    }
  }
}

interface Scenario {
  initial: { client: 'CLOSED' | 'LISTEN'; server: 'CLOSED' | 'LISTEN' };
  isn: Record<Side, number>;
  moves: Move[];
}

/** Plays a scenario; with `checks`, asserts the invariants and the refusal rules on every step. */
function run(scn: Scenario, checks = true) {
  let conn = initialConnection(scn.initial);
  if (checks) deepFreeze(conn);
  const events: TcpEvent[] = [];
  const oks: boolean[] = [];
  const states = new Set<string>();
  const g = new Generations();
  // Like a real ISN generator, each new connection of a side starts far from the last one:
  // reusing an ISN while old segments are in flight lets them pass as new (RFC 9293 3.4.1).
  const opens: Record<Side, number> = { client: 0, server: 0 };
  for (const m of scn.moves) {
    const isn = {
      client: (scn.isn.client + opens.client * 0x10000001) >>> 0,
      server: (scn.isn.server + opens.server * 0x10000001) >>> 0,
    };
    const ev = eventFor(conn, m, isn);
    const before = checks ? structuredClone(conn) : conn;
    let r: StepResult;
    try {
      r = step(conn, ev);
    } catch (e) {
      throw new Error(`step threw on ${JSON.stringify(ev)}: ${String(e)}`);
    }
    events.push(ev);
    oks.push(r.ok);
    if (!r.ok) {
      if (checks) {
        check(r.connection === conn, 'a refusal returns the very same connection');
        expect(conn).toEqual(before);
      }
      continue;
    }
    for (const s of SIDES) if (conn[s].iss === null && r.connection[s].iss !== null) opens[s]++;
    if (checks) {
      g.update(conn, r.connection, r);
      checkInvariants(conn, r.connection, g);
      deepFreeze(r.connection);
    }
    conn = r.connection;
    states.add(conn.client.state).add(conn.server.state);
  }
  return { conn, events, oks, states };
}

describe('machine properties', () => {
  it('random play keeps the invariants; refusals change nothing; nothing throws or mutates', () => {
    let accepted = 0;
    let refused = 0;
    const reached = new Set<string>();
    fc.assert(fc.property(scenarioArb, (scn) => {
      const { oks, states } = run(scn);
      accepted += oks.filter(Boolean).length;
      refused += oks.filter((o) => !o).length;
      for (const st of states) reached.add(st);
    }), { numRuns: NUM_RUNS });
    // The generator must really explore: mostly legal moves, some refused, many states.
    expect(accepted).toBeGreaterThan(refused);
    expect(refused).toBeGreaterThan(0);
    expect([...reached].sort()).toEqual([...TCP_STATES].sort());
  });

  it('replaying the same events gives a deep-equal state (determinism)', () => {
    fc.assert(fc.property(scenarioArb, (scn) => {
      const first = run(scn, false);
      let conn = initialConnection(scn.initial);
      const oks: boolean[] = [];
      for (const ev of first.events) {
        const r = step(conn, ev);
        oks.push(r.ok);
        conn = r.connection;
      }
      expect(oks).toEqual(first.oks);
      expect(conn).toEqual(first.conn);
    }), { numRuns: NUM_RUNS });
  });

  it('replayTrace over the same events (as a trace) agrees with step, step by step', () => {
    const asStep = (ev: TcpEvent): TraceStep | null => {
      switch (ev?.type) {
        case 'send': return { send: ev.segment, deliver: false };
        case 'deliver': return { deliver: ev.from };
        case 'drop': return { drop: ev.from };
        case 'timeout': return { timeout: ev.side };
        default: return null;
      }
    };
    fc.assert(fc.property(scenarioArb, (scn) => {
      // Garbage cannot be written as a trace: leave it out (it changes nothing anyway).
      const valid = (m: Move) => m.k !== 'garbage';
      const { conn, events, oks } = run({ ...scn, moves: scn.moves.filter(valid) }, false);
      const steps = events.map(asStep);
      if (steps.some((s) => s === null)) return;
      const trace: Trace = { name: 'random', initial: scn.initial, steps: steps as TraceStep[] };
      const replayed = replayTrace(trace);
      expect(replayed.lines.map((l) => l.ok)).toEqual(oks);
      expect(replayed.connection).toEqual(conn);
      for (const l of replayed.lines) if (!l.ok) expect(l.reason).toBeDefined();
    }), { numRuns: NUM_RUNS });
  });

  it('once synchronized, the numbers autoNumbers fills in make an acceptable pure ACK (level 1)', () => {
    fc.assert(fc.property(scenarioArb, (scn) => {
      const { conn } = run(scn, false);
      for (const s of SIDES) {
        const ep = conn[s];
        const synced = ep.iss !== null && ep.irs !== null && ep.state !== 'SYN_SENT';
        if (!synced) continue;
        const n = autoNumbers(ep, ['ACK'], scn.isn[s]);
        const r = step(conn, { type: 'send', segment: { from: s, flags: ['ACK'], seq: n.seq, ack: n.ack, len: 0 } });
        expect(r.ok, `${s} in ${ep.state}`).toBe(true);
      }
    }), { numRuns: NUM_RUNS });
  });
});
