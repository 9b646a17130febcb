/**
 * One captured TCP stream as a trace (format v1) that the shared machine judges, with the
 * capture's own view beside it: relative numbers, what was left out and why. How a capture
 * becomes a trace is explained in docs/captures.md; in short:
 *
 * - The client is the end that sent the first SYN. A stream must begin with that SYN: one that
 *   starts mid-connection is refused (`capture/mid-connection`), since a trace starts from
 *   CLOSED/LISTEN and its numbers would have to be guessed.
 * - Every captured segment is sent once, in capture order. When it arrived is not in the
 *   capture: the converter delivers each segment as early as its receiver's own later segments
 *   allow (the ACK numbers show what had arrived), asking the machine which delivery points
 *   keep the receiver's next segment legal, and delivers the rest at the end.
 * - A segment that repeats sequence space still in flight is a retransmission (Wireshark's
 *   rule): the earlier copy was lost, and gets a `drop` step.
 * - A SYN answered by RST means nothing listened: the server starts CLOSED.
 * - Keep-alives and window probes (one below the next sequence number) are left out; options,
 *   windows, ECN and urgent data are not modelled and are listed as ignored.
 */
import { initialConnection, step } from '../tcp/machine.ts';
import { seqAdd, seqDiff, seqLe, seqLt } from '../tcp/seq.ts';
import type { Trace, TraceStep } from '../tcp/trace.ts';
import { FLAGS, type Connection, type Flag, type Segment, type Side } from '../tcp/types.ts';
import type { TcpFlagName, TcpPacket } from './packets.ts';
import { endpointText, occupiedLength, secondsBetween, seqEnd, seqMax, type StreamSummary } from './streams.ts';

/** What a captured segment turned out to be. */
export type SegmentKind =
  | 'segment' | 'retransmission' | 'spurious-retransmission' | 'keep-alive' | 'keep-alive-ack' | 'window-update' | 'duplicate-ack';

/** One captured segment of the stream, as Wireshark shows it and as the trace uses it. */
export interface StreamSegment {
  frame: number;
  /** Seconds since the stream's first packet; null when the file carries no timestamps. */
  time: number | null;
  from: Side;
  /** Every flag on the wire, URG and ECN ones included. */
  flags: TcpFlagName[];
  /** Absolute numbers, as on the wire (and in the trace). `ack` is meaningful only with ACK. */
  seq: number;
  ack: number;
  len: number;
  /** Wireshark's relative numbers: seq from the sender's ISN, ack from the receiver's (null without ACK, or before the receiver sent anything). */
  relSeq: number;
  relAck: number | null;
  /** The window field as sent. */
  window: number;
  /** Wireshark's calculated window: scaled by the sender's shift when both SYNs carried window scale, as sent otherwise (and on SYNs). */
  windowSize: number;
  /** Names of the TCP options it carries (`mss`, `sack-permitted`, `timestamps`, `window-scale`, `sack`, …). */
  options: string[];
  /**
   * What Wireshark's analysis calls it. A retransmission repeats sequence space already sent
   * (spurious: already acknowledged); keep-alives start one below the next sequence number.
   */
  kind: SegmentKind;
  /** For a retransmission: the frames of the earlier copies that were still in flight (and are dropped). */
  retransmits: number[];
  /** Index in trace.steps of the step that sends it; null when it is left out (keep-alives). */
  step: number | null;
  /** Index of the step at which it arrives; null when it was lost, left out or refused. */
  deliveredAt: number | null;
  /** Index of the step that drops it, when a later retransmission shows it was lost. */
  lostAt: number | null;
}

/** Something real TCP did that the game does not model, and that the trace leaves out or treats plainly. */
export interface IgnoredNote {
  /** A stable name: `keep-alive`, `window-update`, `duplicate-ack`, `option/timestamps`, `ecn`, `urgent`, … */
  what: string;
  count: number;
  frames: number[];
  message: string;
}

/** A stream converted: the trace to judge and the capture's view of each segment. */
export interface StreamTrace {
  ok: true;
  stream: number;
  client: string;
  server: string;
  trace: Trace;
  segments: StreamSegment[];
  ignored: IgnoredNote[];
  /** Initial sequence numbers (the bases of the relative numbers); the server's is null when it never sent a SYN. */
  isn: { client: number; server: number | null };
}

/** Where the converter came to a decision that the states should show: the order of events on the wire. */
type Op =
  | { kind: 'send'; seg: number }
  | { kind: 'deliver'; seg: number; from: Side }
  | { kind: 'drop'; seg: number; from: Side };

/** How far beyond what the ACK proves the converter tries delivering ACKs and RSTs early. */
const MAX_EARLY_DELIVERIES = 16;
/**
 * At most this many of one end's segments wait in flight; an older one is then taken to have
 * arrived. A classroom capture has nothing like that many unacknowledged segments, and the
 * bound keeps a crafted 8 MiB one-way flood from making the conversion quadratic.
 */
const MAX_WAITING = 1024;
/** How many in-flight segments a retransmission is compared with (the oldest first). */
const MAX_SCAN = 4096;

const TRACE_FLAGS: readonly string[] = FLAGS;

/**
 * Converts the packets of one stream (in capture order) into a trace. The caller has checked
 * that the stream starts with the client's SYN.
 */
export function convertStream(summary: StreamSummary, packets: readonly TcpPacket[], source: string): StreamTrace {
  const first = packets[0] as TcpPacket;
  const clientText = endpointText(first.srcAddr, first.srcPort, first.ipVersion);
  const sideOf = (p: TcpPacket): Side => (endpointText(p.srcAddr, p.srcPort, p.ipVersion) === clientText ? 'client' : 'server');
  const t0 = first.time;

  // --- What each segment is, Wireshark-style, and its relative numbers ---
  const isn: { client: number; server: number | null } = { client: first.seq, server: null };
  const base: Record<Side, number | null> = { client: first.seq, server: null };
  const scale: Record<Side, number | null> = { client: null, server: null };
  for (const p of packets) {
    const side = sideOf(p);
    // Like Wireshark: relative to the ISN, or (no SYN seen from that end) so that its first segment is 1.
    if (side === 'server' && base.server === null) base.server = p.flags.includes('SYN') ? p.seq : seqAdd(p.seq, -1);
    if (side === 'server' && isn.server === null && p.flags.includes('SYN')) isn.server = p.seq;
    if (p.flags.includes('SYN') && scale[side] === null) {
      const ws = p.options.find((o) => o.kind === 3);
      if (ws?.value !== undefined) scale[side] = Math.min(ws.value, 14);
    }
  }
  const scaling = scale.client !== null && scale.server !== null;

  const nextSeq: Record<Side, number | null> = { client: null, server: null };
  const last: Record<Side, { ack: number | null; window: number; keepAlive: boolean } | null> = { client: null, server: null };
  const segments: StreamSegment[] = packets.map((p) => {
    const from = sideOf(p);
    const to: Side = from === 'client' ? 'server' : 'client';
    const has = (f: TcpFlagName) => p.flags.includes(f);
    const occupied = occupiedLength(p);
    const next = nextSeq[from];
    const ownScale = scale[from];
    const windowSize = scaling && !has('SYN') && ownScale !== null ? p.window * 2 ** ownScale : p.window;
    // Wireshark's analysis (packet-tcp.c, tcp_analyze_sequence_number), in its order.
    const plain = p.payloadLength === 0 && !has('SYN') && !has('FIN') && !has('RST');
    const prev = last[from];
    const sameAck = prev !== null && has('ACK') && prev.ack === p.ack;
    let kind: SegmentKind = 'segment';
    if (next !== null && p.payloadLength <= 1 && !has('SYN') && !has('FIN') && !has('RST') && p.seq === seqAdd(next, -1)) kind = 'keep-alive';
    else if (plain && windowSize !== 0 && next === p.seq && sameAck && prev.window !== windowSize) kind = 'window-update';
    else if (plain && windowSize !== 0 && next === p.seq && sameAck && last[to]?.keepAlive) kind = 'keep-alive-ack';
    else if (plain && windowSize !== 0 && next === p.seq && sameAck) kind = 'duplicate-ack';
    else if (next !== null && occupied > 0 && seqLt(p.seq, next)) {
      const peerAck = last[to]?.ack ?? null;
      kind = peerAck !== null && seqLe(seqEnd(p), peerAck) ? 'spurious-retransmission' : 'retransmission';
    }
    if (kind !== 'keep-alive') nextSeq[from] = next === null ? seqEnd(p) : seqMax(next, seqEnd(p));
    last[from] = { ack: has('ACK') ? p.ack : (prev?.ack ?? null), window: windowSize, keepAlive: kind === 'keep-alive' };
    const peerBase = base[to];
    return {
      frame: p.frame,
      time: t0 && p.time ? secondsBetween(t0, p.time) : null,
      from,
      flags: [...p.flags],
      seq: p.seq,
      ack: p.ack,
      len: p.payloadLength,
      relSeq: seqAdd(p.seq, -(base[from] ?? p.seq)),
      relAck: has('ACK') && peerBase !== null ? seqAdd(p.ack, -peerBase) : null,
      window: p.window,
      windowSize,
      options: p.options.map((o) => o.name),
      kind,
      retransmits: [],
      step: null,
      deliveredAt: null,
      lostAt: null,
    };
  });

  // --- Who starts where ---
  const firstFromServer = segments.find((s) => s.from === 'server');
  const refused = firstFromServer !== undefined && firstFromServer.flags.includes('RST');
  const initial = refused ? { client: 'CLOSED' as const, server: 'CLOSED' as const } : undefined;

  // --- The order of events, decided with the machine ---
  const wireSegs: Segment[] = segments.map((s) => ({
    from: s.from,
    flags: TRACE_FLAGS.filter((f) => s.flags.includes(f as TcpFlagName)) as Flag[],
    seq: s.seq,
    ack: s.flags.includes('ACK') ? s.ack : 0,
    len: s.len,
  }));
  const occupiedOf = wireSegs.map(segmentLength);
  const endOf = wireSegs.map((w, i) => seqAdd(w.seq, occupiedOf[i] as number));
  const synKind = (i: number) => { const f = (wireSegs[i] as Segment).flags; return f.includes('SYN') ? (f.includes('ACK') ? 2 : 1) : 0; };
  /**
   * True when segment b sends again what a did: they share sequence space (SYN and FIN
   * included), and a SYN is repeated as a SYN, a SYN+ACK as a SYN+ACK (a SYN+ACK after
   * one's own SYN answers the peer's crossing SYN: a simultaneous open, not a loss).
   */
  const overlapping = (a: number, b: number): boolean => (occupiedOf[a] as number) > 0 && (occupiedOf[b] as number) > 0 &&
    synKind(a) === synKind(b) &&
    seqDiff(endOf[b] as number, (wireSegs[a] as Segment).seq) > 0 && seqDiff(endOf[a] as number, (wireSegs[b] as Segment).seq) > 0;
  const ops: Op[] = [];
  /** Lost copies, and the frame that retransmits each. */
  const lostTo = new Map<number, number>();
  let conn: Connection = initialConnection(initial ?? {});
  const inFlight: Record<Side, number[]> = { client: [], server: [] };
  const peer = (side: Side): Side => (side === 'client' ? 'server' : 'client');
  const wire = (c: Connection, kind: 'deliver' | 'drop', from: Side): Connection => {
    const r = step(c, kind === 'deliver' ? { type: 'deliver', from } : { type: 'drop', from });
    return r.ok ? r.connection : c;
  };
  const take = (kind: 'deliver' | 'drop', from: Side) => {
    const seg = inFlight[from].shift() as number;
    ops.push({ kind, seg, from });
    conn = wire(conn, kind, from);
  };

  segments.forEach((s, i) => {
    if (s.kind === 'keep-alive') return;
    const seg = wireSegs[i] as Segment;
    const from = s.from;
    const occupied = occupiedLength({ flags: seg.flags, payloadLength: seg.len });

    // A retransmission: the copies still in flight that it repeats were lost.
    if (occupied > 0 && (s.kind === 'retransmission' || s.kind === 'spurious-retransmission')) {
      const queue = inFlight[from];
      let last = -1;
      for (let j = 0; j < Math.min(queue.length, MAX_SCAN); j++) if (overlapping(queue[j] as number, i)) last = j;
      for (let j = 0; j <= last; j++) {
        const q = inFlight[from][0] as number;
        if (overlapping(q, i)) {
          s.retransmits.push(segments[q]?.frame as number);
          lostTo.set(q, s.frame);
          take('drop', from);
        } else take('deliver', from);
      }
    }

    // What the peer sent that must have arrived: enough to bring the sender's RCV.NXT up to
    // the ACK (before the peer's SYN has arrived: what the ACK covers). Not more: a copy of
    // sequence space that already arrived may still be on its way (simultaneous open).
    const other = peer(from);
    const queue = inFlight[other];
    const acked = seg.flags.includes('ACK');
    while (acked && queue.length > 0) {
      const me = conn[from];
      const head = queue[0] as number;
      const needed = me.irs !== null
        ? seqLt(me.rcvNxt, seg.ack)
        : (occupiedOf[head] as number) > 0 && seqLe(endOf[head] as number, seg.ack);
      if (!needed) break;
      take('deliver', other);
    }
    // What may have arrived too: ACKs and RSTs (and, for a segment without ACK, anything)
    // behind it. Deliver as many as keep this segment legal: on one host they arrive at once.
    let most = 0;
    while (most < queue.length && most < MAX_EARLY_DELIVERIES) {
      if (acked && (occupiedOf[queue[most] as number] as number) > 0) break;
      most++;
    }
    let best = -1;
    // The trials need only the first `most` of the peer's queue: a short copy is cheap to pop.
    let trial: Connection = { ...conn, wire: { ...conn.wire, [other]: conn.wire[other].slice(0, most) } };
    for (let k = 0; k <= most; k++) {
      if (k > 0) trial = wire(trial, 'deliver', other);
      if (legal(trial, seg)) best = k;
    }
    // Nothing makes it legal: an ACK from an end that has not had the peer's SYN must have had
    // it. Without this, an ACK one short of the SYN would be blamed on the state rather than
    // on the number.
    if (best < 0 && acked && conn[from].irs === null) {
      const syn = queue.findIndex((q) => (wireSegs[q] as Segment).flags.includes('SYN'));
      best = syn + 1;
    }
    for (let k = 0; k < Math.max(best, 0); k++) take('deliver', other);

    ops.push({ kind: 'send', seg: i });
    const sent = step(conn, { type: 'send', segment: seg });
    if (sent.ok) {
      conn = sent.connection;
      inFlight[from].push(i);
      while (inFlight[from].length > MAX_WAITING) take('deliver', from);
    }
  });
  // The capture ended: whatever is still in flight arrives, oldest first.
  const rest = [...inFlight.client.map((seg) => ({ seg, from: 'client' as const })), ...inFlight.server.map((seg) => ({ seg, from: 'server' as const }))]
    .sort((a, b) => a.seg - b.seg);
  for (const r of rest) take('deliver', r.from);

  const steps = arrange(ops, segments, wireSegs, lostTo);
  const name = `stream ${summary.stream}: ${summary.client} → ${summary.server}`;
  const ignored = ignoredNotes(segments, packets);
  const description = [
    `Converted from ${source}: frames ${summary.firstFrame}–${summary.lastFrame} (${packets.length} TCP segments).`,
    refused ? 'The server answered the SYN with RST: nothing listened, so it starts CLOSED.' : '',
    ignored.length ? `Not modelled by the game: ${ignored.map((n) => n.message).join('; ')}.` : '',
  ].filter(Boolean).join(' ');
  const trace: Trace = { name, description, steps };
  if (initial) trace.initial = initial;
  return { ok: true, stream: summary.stream, client: summary.client, server: summary.server, trace, segments, ignored, isn };
}

/**
 * Whether the machine lets the sender emit this segment now. That depends on the sender
 * alone: it is judged with the sender's queue empty, so that trials do not copy a long queue.
 */
function legal(c: Connection, seg: Segment): boolean {
  return step({ ...c, wire: { ...c.wire, [seg.from]: [] } }, { type: 'send', segment: seg }).ok;
}

const segmentLength = (s: Segment): number => occupiedLength({ flags: s.flags, payloadLength: s.len });

/**
 * Orders the events for people: each arrival or loss moves up to just after the segment was
 * sent, or after the last segment its receiver sent before it arrived (which it cannot
 * precede), keeping each direction first in, first out. The machine's verdicts do not change:
 * an arrival at one end and a send by the other do not affect each other. A send followed at
 * once by its own arrival becomes one `send` step.
 */
function arrange(ops: readonly Op[], segments: StreamSegment[], wireSegs: readonly Segment[], lostTo: ReadonlyMap<number, number>): TraceStep[] {
  const sendAt = new Map<number, number>();
  const anchor: number[] = new Array<number>(ops.length).fill(-1);
  const lastSendBy: Record<Side, number> = { client: -1, server: -1 };
  const lastWireAnchor: Record<Side, number> = { client: -1, server: -1 };
  ops.forEach((op, i) => {
    if (op.kind === 'send') {
      sendAt.set(op.seg, i);
      lastSendBy[segments[op.seg]?.from as Side] = i;
      anchor[i] = i;
      return;
    }
    const receiver: Side = op.from === 'client' ? 'server' : 'client';
    let a = sendAt.get(op.seg) ?? i;
    if (op.kind === 'deliver') a = Math.max(a, lastSendBy[receiver]);
    a = Math.max(a, lastWireAnchor[op.from]);
    lastWireAnchor[op.from] = a;
    anchor[i] = a;
  });
  // Sends stay in capture order; each wire event follows its anchor, in original order.
  const after = new Map<number, number[]>();
  ops.forEach((op, i) => {
    if (op.kind === 'send') return;
    const list = after.get(anchor[i] as number) ?? [];
    list.push(i);
    after.set(anchor[i] as number, list);
  });
  const ordered: Op[] = [];
  ops.forEach((op, i) => {
    if (op.kind !== 'send') return;
    ordered.push(op);
    for (const j of after.get(i) ?? []) ordered.push(ops[j] as Op);
  });

  const steps: TraceStep[] = [];
  for (let i = 0; i < ordered.length; i++) {
    const op = ordered[i] as Op;
    const s = segments[op.seg] as StreamSegment;
    if (op.kind === 'send') {
      const next = ordered[i + 1];
      const note = s.retransmits.length
        ? `frame ${s.frame}: a retransmission of frame ${s.retransmits.join(', ')}`
        : `frame ${s.frame}`;
      s.step = steps.length;
      if (next && next.kind === 'deliver' && next.seg === op.seg) {
        s.deliveredAt = steps.length;
        steps.push({ send: { ...(wireSegs[op.seg] as Segment) }, note });
        i++;
      } else {
        steps.push({ send: { ...(wireSegs[op.seg] as Segment) }, deliver: false, note });
      }
    } else if (op.kind === 'deliver') {
      s.deliveredAt = steps.length;
      steps.push({ deliver: op.from, note: `frame ${s.frame} arrives` });
    } else {
      s.lostAt = steps.length;
      const by = lostTo.get(op.seg);
      steps.push({ drop: op.from, note: by !== undefined ? `frame ${s.frame} is lost: frame ${by} retransmits it` : `frame ${s.frame} is lost` });
    }
  }
  // A segment the machine refused never reached the wire: it neither arrives nor is lost.
  return steps;
}

const OPTION_WORDS: Record<string, string> = {
  'timestamps': 'the timestamps option',
  'sack': 'SACK blocks',
  'sack-permitted': 'the SACK-permitted option',
  'mss': 'the MSS option',
  'window-scale': 'the window-scale option',
};

/** The list of what the trace leaves out or treats as a plain segment. */
function ignoredNotes(segments: readonly StreamSegment[], packets: readonly TcpPacket[]): IgnoredNote[] {
  const notes: IgnoredNote[] = [];
  const add = (what: string, frames: number[], message: (n: number) => string) => {
    if (frames.length) notes.push({ what, count: frames.length, frames, message: message(frames.length) });
  };
  const framesOf = (pred: (s: StreamSegment, i: number) => boolean) => segments.filter(pred).map((s) => s.frame);
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  add('keep-alive', framesOf((s) => s.kind === 'keep-alive'), (n) => `${plural(n, 'keep-alive or window probe', 'keep-alives or window probes')} left out (the game has none)`);
  add('window-update', framesOf((s) => s.kind === 'window-update'), (n) => `${plural(n, 'window update', 'window updates')} judged as plain ACK${n === 1 ? '' : 's'} (windows are not modelled)`);
  add('duplicate-ack', framesOf((s) => s.kind === 'duplicate-ack'), (n) => `${plural(n, 'duplicate ACK', 'duplicate ACKs')} judged as plain ACK${n === 1 ? '' : 's'}`);
  add('keep-alive-ack', framesOf((s) => s.kind === 'keep-alive-ack'), (n) => `${plural(n, 'keep-alive ACK', 'keep-alive ACKs')} judged as plain ACK${n === 1 ? '' : 's'}`);
  const kinds = new Map<string, number[]>();
  packets.forEach((p) => {
    for (const name of new Set(p.options.map((o) => o.name))) {
      const frames = kinds.get(name);
      if (frames) frames.push(p.frame);
      else kinds.set(name, [p.frame]);
    }
  });
  for (const [name, frames] of [...kinds].sort((a, b) => a[0].localeCompare(b[0]))) {
    const words = OPTION_WORDS[name] ?? `TCP option ${name}`;
    add(`option/${name}`, frames, (n) => `${words} ignored (on ${plural(n, 'segment', 'segments')})`);
  }
  add('ecn', framesOf((s) => s.flags.some((f) => f === 'ECE' || f === 'CWR' || f === 'AE')), (n) => `ECN flags ignored (on ${plural(n, 'segment', 'segments')})`);
  add('urgent', framesOf((s) => s.flags.includes('URG')), (n) => `the URG flag and urgent pointer ignored (on ${plural(n, 'segment', 'segments')})`);
  return notes;
}
