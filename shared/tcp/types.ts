/** The two ends of one TCP connection. */
export type Side = 'client' | 'server';

/** RFC 9293 section 3.3.2 connection states, underscores for hyphens. */
export const TCP_STATES = [
  'CLOSED', 'LISTEN', 'SYN_SENT', 'SYN_RECEIVED', 'ESTABLISHED', 'FIN_WAIT_1',
  'FIN_WAIT_2', 'CLOSE_WAIT', 'CLOSING', 'LAST_ACK', 'TIME_WAIT',
] as const;
export type TcpState = (typeof TCP_STATES)[number];

export const FLAGS = ['SYN', 'ACK', 'FIN', 'RST', 'PSH'] as const;
export type Flag = (typeof FLAGS)[number];

/** A segment as a player (or a capture) sends it. seq/ack are unsigned 32-bit. */
export interface Segment {
  from: Side;
  flags: Flag[];
  seq: number;
  /** Meaningful only when ACK is among the flags. */
  ack: number;
  /** Payload bytes. */
  len: number;
}

/** A segment on the wire, with an id unique within the connection. */
export interface InFlight {
  id: number;
  segment: Segment;
}

/** An arriving segment that a connection-less endpoint owes a RST for (RFC 9293 3.10.7.1). */
export interface OwedReset {
  /** Set when the arriving segment carried ACK: the RST must have seq = this. */
  seqFromAck: number | null;
  /** Set when it carried no ACK: the RST must be seq 0, ACK set, ack = this (the segment's end). */
  ackOfEnd: number | null;
}

/** Payload and FIN of a segment that arrived beyond RCV.NXT, held until the gap before it is filled. */
export interface HeldText {
  /** Sequence number of the first payload byte (or of the FIN when there is no payload). */
  seq: number;
  len: number;
  fin: boolean;
}

/** One endpoint's transmission control block, plus what the game needs to explain itself. */
export interface Endpoint {
  state: TcpState;
  /** Initial send sequence number; null until this side has sent its SYN. */
  iss: number | null;
  /** Initial receive sequence number; null until the peer's SYN arrived. */
  irs: number | null;
  sndUna: number;
  sndNxt: number;
  rcvNxt: number;
  /** Sequence number our FIN occupies, once sent. */
  finSeq: number | null;
  /** True when SYN_RECEIVED was reached from LISTEN (an RST then returns to LISTEN). */
  passive: boolean;
  /** True once this endpoint was closed by a RST (sent or received). */
  reset: boolean;
  /** The retransmission timer is running (something sent is not yet acknowledged). */
  rtxTimer: boolean;
  /** The TIME_WAIT 2MSL timer is running. */
  timeWaitTimer: boolean;
  /** Resets this endpoint may send in answer to segments it could not accept. */
  owedResets: OwedReset[];
  /** Bytes of payload delivered to this endpoint's application so far. */
  bytesReceived: number;
  /**
   * In-window text that arrived out of order (RFC 9293 3.10.7.4: held for later processing).
   * Optional so that endpoints built or parsed without it still work: absent means none.
   */
  held?: HeldText[];
}

/** Both endpoints and the wire between them. */
export interface Connection {
  client: Endpoint;
  server: Endpoint;
  /** Segments in flight, oldest first, keyed by the side that sent them. */
  wire: { client: InFlight[]; server: InFlight[] };
  nextSegmentId: number;
}

/** Input to the machine. */
export type TcpEvent =
  | { type: 'send'; segment: Segment }
  | { type: 'deliver'; from: Side }
  | { type: 'drop'; from: Side }
  | { type: 'timeout'; side: Side };

/** Timers are effects: the caller runs them and feeds a `timeout` event back. */
export type Effect =
  | { type: 'timer-start'; side: Side; timer: 'rtx' | 'time-wait' }
  | { type: 'timer-stop'; side: Side; timer: 'rtx' | 'time-wait' };

/** What happened to a delivered segment at its receiver, for explanations and the ladder diagram. */
export type Arrival =
  | { outcome: 'accepted'; id: number; segment: Segment; to: Side; before: TcpState; after: TcpState }
  | { outcome: 'ignored'; id: number; segment: Segment; to: Side; state: TcpState; why: IgnoreReason };

export const IGNORE_REASONS = [
  'duplicate', 'ack-nothing-new', 'out-of-order', 'rst-out-of-window', 'rst-without-ack', 'rst-no-connection',
  'ack-unacceptable', 'ack-missing', 'no-connection', 'not-expected-in-state',
] as const;
export type IgnoreReason = (typeof IGNORE_REASONS)[number];

/** Facts about a refusal, enough for an explanation naming the rule and the expected value. */
export interface RefusalFacts {
  state: TcpState;
  side: Side;
  field?: 'seq' | 'ack' | 'flags' | 'len';
  expected?: number | string;
  given?: number | string;
}

export type StepResult =
  | { ok: true; connection: Connection; effects: Effect[]; arrival?: Arrival; sent?: InFlight }
  | { ok: false; code: ReasonCode; facts: RefusalFacts; connection: Connection };

/** Stable, namespaced reason codes for refused events. */
export const REASON_CODES = [
  'segment/ack-before-synack',
  'segment/ack-mismatch',
  'segment/ack-off-by-one',
  'segment/ack-unreceived',
  'segment/ack-required',
  'segment/seq-mismatch',
  'segment/seq-not-advanced',
  'segment/data-after-fin',
  'segment/fin-already-sent',
  'segment/fin-before-established',
  'segment/synack-without-syn',
  'segment/syn-needs-ack',
  'segment/syn-missing',
  'segment/syn-in-synchronized-state',
  'segment/data-before-established',
  'segment/data-on-syn',
  'segment/connection-reset',
  'segment/no-connection',
  'segment/no-listener',
  'segment/rst-nothing-to-answer',
  'segment/abort-sends-nothing',
  'segment/rst-seq-mismatch',
  'segment/flag-not-allowed-in-state',
  'segment/window-exceeded',
  'segment/invalid',
  'wire/empty',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];
