/**
 * Helpers for the state-machine tests: a small driver that applies events and fails loudly
 * on a refusal, and the positions the tests start from. Not used by the game itself.
 */
import { initialConnection, step } from './machine.ts';
import type {
  Arrival, Connection, Effect, Endpoint, Flag, Segment, Side, StepResult, TcpEvent,
} from './types.ts';

export const C: Side = 'client';
export const S: Side = 'server';
/** Client and server initial sequence numbers used by most tests. */
export const CI = 100;
export const SI = 300;

/** A segment literal. */
export const seg = (from: Side, flags: Flag[], seq: number, ack = 0, len = 0): Segment =>
  ({ from, flags, seq, ack, len });

/** Applies events one after another; throws (failing the test) when one is refused. */
export class Run {
  conn: Connection;
  /** Effects of the last event. */
  fx: Effect[] = [];
  /** Effects of the send half of the last `xfer`. */
  sendFx: Effect[] = [];
  arrival: Arrival | undefined;
  readonly events: TcpEvent[] = [];

  constructor(conn: Connection = initialConnection()) {
    this.conn = conn;
  }

  get client(): Endpoint { return this.conn.client; }
  get server(): Endpoint { return this.conn.server; }

  apply(ev: TcpEvent): this {
    const r = step(this.conn, ev);
    if (!r.ok) throw new Error(`refused ${JSON.stringify(ev)}: ${r.code} ${JSON.stringify(r.facts)}`);
    this.events.push(ev);
    this.conn = r.connection;
    this.fx = r.effects;
    this.arrival = r.arrival;
    return this;
  }

  /** Sends a segment; it stays in flight. */
  send(from: Side, flags: Flag[], seq: number, ack = 0, len = 0): this {
    return this.apply({ type: 'send', segment: seg(from, flags, seq, ack, len) });
  }

  deliver(from: Side): this { return this.apply({ type: 'deliver', from }); }
  drop(from: Side): this { return this.apply({ type: 'drop', from }); }
  timeout(side: Side): this { return this.apply({ type: 'timeout', side }); }

  /** Sends a segment and delivers it at once: `sendFx` holds the sender's effects, `fx` the receiver's. */
  xfer(from: Side, flags: Flag[], seq: number, ack = 0, len = 0): this {
    this.send(from, flags, seq, ack, len);
    this.sendFx = this.fx;
    return this.deliver(from);
  }

  /** Tries an event without applying it. */
  try(ev: TcpEvent): StepResult { return step(this.conn, ev); }
  trySend(from: Side, flags: Flag[], seq: number, ack = 0, len = 0): StepResult {
    return step(this.conn, { type: 'send', segment: seg(from, flags, seq, ack, len) });
  }

  /**
   * Puts a segment on the wire without judging it: only for testing how a receiver treats
   * segments a correct peer would not send (forged or stale ones).
   */
  inject(segment: Segment): this {
    const from = segment.from;
    this.conn = {
      ...this.conn,
      wire: { ...this.conn.wire, [from]: [...this.conn.wire[from], { id: this.conn.nextSegmentId, segment }] },
      nextSegmentId: this.conn.nextSegmentId + 1,
    };
    return this;
  }
}

/** The numbers a test asserts on, from one endpoint. */
export const nums = (ep: Endpoint) =>
  ({ state: ep.state, sndUna: ep.sndUna, sndNxt: ep.sndNxt, rcvNxt: ep.rcvNxt });

// Positions. Client ISN 100, server ISN 300; each returns a fresh Run.

/** Client SYN_SENT, its SYN in flight; server LISTEN. */
export const synSent = () => new Run().send(C, ['SYN'], CI);
/** Server SYN_RECEIVED (passive) before it answered; client SYN_SENT. */
export const synReceived = () => synSent().deliver(C);
/** Server SYN_RECEIVED with its SYN+ACK in flight. */
export const synAckSent = () => synReceived().send(S, ['SYN', 'ACK'], SI, CI + 1);
/** Both ESTABLISHED; client 101/101 rcv 301, server 301/301 rcv 101. */
export const established = () => synAckSent().deliver(S).xfer(C, ['ACK'], CI + 1, SI + 1);
/** Client FIN_WAIT_1 with its FIN (seq 101) in flight; server ESTABLISHED. */
export const finWait1 = () => established().send(C, ['FIN', 'ACK'], 101, 301);
/** Client FIN_WAIT_1, server CLOSE_WAIT (the FIN arrived, not yet acknowledged). */
export const closeWait = () => finWait1().deliver(C);
/** Client FIN_WAIT_2, server CLOSE_WAIT. */
export const finWait2 = () => closeWait().xfer(S, ['ACK'], 301, 102);
/** Server LAST_ACK with its FIN (seq 301) in flight; client FIN_WAIT_2. */
export const lastAck = () => finWait2().send(S, ['FIN', 'ACK'], 301, 102);
/** Client TIME_WAIT (rcv 302), server LAST_ACK; the client's final ACK not yet sent. */
export const timeWait = () => lastAck().deliver(S);
/** Both CLOSING: the FINs crossed (client FIN 101, server FIN 301), neither acknowledged. */
export const closing = () => established()
  .send(C, ['FIN', 'ACK'], 101, 301)
  .send(S, ['FIN', 'ACK'], 301, 101)
  .deliver(C).deliver(S);

/** A deep copy, to check that a refused event changed nothing. */
export const snapshot = <T>(x: T): T => structuredClone(x);
