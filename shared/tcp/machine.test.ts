/**
 * One test per transition of RFC 9293's state diagram (figure 5) and of the event
 * processing in section 3.10, named "FROM --event--> TO", plus the cases issue 2 lists as
 * must-accept. Each checks the states, the numbers (SND.UNA, SND.NXT, RCV.NXT) and the timer
 * effects. Client ISN 100, server ISN 300 unless a test says otherwise.
 */
import { describe, expect, it } from 'vitest';
import { RCV_WND, initialConnection, segmentLength, step, autoNumbers, peerOf } from './machine.ts';
import type { Effect, Endpoint, Side, TcpState } from './types.ts';
import {
  C, CI, Run, S, SI, closeWait, closing, established, finWait1, finWait2, lastAck, nums, seg,
  snapshot, synAckSent, synReceived, synSent, timeWait,
} from './test-helpers.ts';

const start = (side: Side, timer: 'rtx' | 'time-wait'): Effect => ({ type: 'timer-start', side, timer });
const stop = (side: Side, timer: 'rtx' | 'time-wait'): Effect => ({ type: 'timer-stop', side, timer });

/** Both ends synchronized with the client ISN 100 and server ISN 300 by a simultaneous open. */
function simultaneousOpen(): Run {
  return new Run(initialConnection({ client: 'CLOSED', server: 'CLOSED' }))
    .send(C, ['SYN'], CI)
    .send(S, ['SYN'], SI)
    .deliver(C)
    .deliver(S);
}

describe('opening (RFC 9293 figure 5, 3.10.1, 3.10.7.2, 3.10.7.3)', () => {
  it('CLOSED --passive OPEN--> LISTEN (the starting position)', () => {
    const conn = initialConnection();
    expect(conn.client.state).toBe('CLOSED');
    expect(conn.server.state).toBe('LISTEN');
    expect(conn.server).toMatchObject({ iss: null, irs: null, rtxTimer: false, timeWaitTimer: false });
    expect(conn.wire).toEqual({ client: [], server: [] });
    expect(initialConnection({ client: 'LISTEN', server: 'CLOSED' }).client.state).toBe('LISTEN');
    expect(initialConnection({ client: 'LISTEN', server: 'CLOSED' }).server.state).toBe('CLOSED');
  });

  it('CLOSED --send SYN--> SYN_SENT (active OPEN)', () => {
    const r = synSent();
    expect(nums(r.client)).toEqual({ state: 'SYN_SENT', sndUna: 100, sndNxt: 101, rcvNxt: 0 });
    expect(r.client).toMatchObject({ iss: 100, irs: null, rtxTimer: true, passive: false });
    expect(r.fx).toEqual([start(C, 'rtx')]);
    expect(r.conn.wire.client.map((f) => f.segment)).toEqual([seg(C, ['SYN'], 100)]);
  });

  it('LISTEN --send SYN--> SYN_SENT (SEND on a listening endpoint)', () => {
    const r = new Run(initialConnection({ client: 'LISTEN', server: 'LISTEN' })).send(C, ['SYN'], 7);
    expect(nums(r.client)).toEqual({ state: 'SYN_SENT', sndUna: 7, sndNxt: 8, rcvNxt: 0 });
    expect(r.client.passive).toBe(false);
    expect(r.fx).toEqual([start(C, 'rtx')]);
  });

  it('LISTEN --rcv SYN--> SYN_RECEIVED', () => {
    const r = synReceived();
    expect(nums(r.server)).toEqual({ state: 'SYN_RECEIVED', sndUna: 0, sndNxt: 0, rcvNxt: 101 });
    expect(r.server).toMatchObject({ irs: 100, iss: null, passive: true, rtxTimer: false });
    expect(r.fx).toEqual([]);
    expect(r.arrival).toMatchObject({ outcome: 'accepted', before: 'LISTEN', after: 'SYN_RECEIVED', to: S });
    expect(r.conn.wire.client).toEqual([]);
  });

  it('SYN_RECEIVED --send SYN+ACK--> SYN_RECEIVED (the passive side picks its ISS)', () => {
    const r = synAckSent();
    expect(nums(r.server)).toEqual({ state: 'SYN_RECEIVED', sndUna: 300, sndNxt: 301, rcvNxt: 101 });
    expect(r.server).toMatchObject({ iss: 300, rtxTimer: true });
    expect(r.fx).toEqual([start(S, 'rtx')]);
  });

  it('SYN_SENT --rcv SYN+ACK--> ESTABLISHED', () => {
    const r = synAckSent().deliver(S);
    expect(nums(r.client)).toEqual({ state: 'ESTABLISHED', sndUna: 101, sndNxt: 101, rcvNxt: 301 });
    expect(r.client).toMatchObject({ irs: 300, rtxTimer: false });
    expect(r.fx).toEqual([stop(C, 'rtx')]);
  });

  it('ESTABLISHED --send ACK--> ESTABLISHED (the third segment of the handshake)', () => {
    const r = synAckSent().deliver(S);
    const before = r.client;
    r.send(C, ['ACK'], 101, 301);
    expect(r.client).toEqual(before);
    expect(r.fx).toEqual([]);
  });

  it('SYN_RECEIVED --rcv ACK of SYN--> ESTABLISHED', () => {
    const r = established();
    expect(nums(r.server)).toEqual({ state: 'ESTABLISHED', sndUna: 301, sndNxt: 301, rcvNxt: 101 });
    expect(r.server.rtxTimer).toBe(false);
    expect(r.fx).toEqual([stop(S, 'rtx')]);
  });

  it('SYN_SENT --rcv SYN--> SYN_RECEIVED (simultaneous open)', () => {
    const r = simultaneousOpen();
    for (const [side, iss, irs] of [[C, 100, 300], [S, 300, 100]] as const) {
      expect(nums(r.conn[side])).toEqual({ state: 'SYN_RECEIVED', sndUna: iss, sndNxt: iss + 1, rcvNxt: irs + 1 });
      expect(r.conn[side]).toMatchObject({ iss, irs, passive: false, rtxTimer: true });
    }
    expect(r.fx).toEqual([]);
  });

  it('SYN_RECEIVED --rcv SYN+ACK--> ESTABLISHED (simultaneous open, RFC 9293 figure 7, as Linux does)', () => {
    const r = simultaneousOpen().send(C, ['SYN', 'ACK'], 100, 301).send(S, ['SYN', 'ACK'], 300, 101);
    expect(r.fx).toEqual([start(S, 'rtx')]);
    r.deliver(C);
    expect(nums(r.server)).toEqual({ state: 'ESTABLISHED', sndUna: 301, sndNxt: 301, rcvNxt: 101 });
    expect(r.fx).toEqual([stop(S, 'rtx')]);
    expect(r.client.state).toBe('SYN_RECEIVED');
    r.deliver(S);
    expect(nums(r.client)).toEqual({ state: 'ESTABLISHED', sndUna: 101, sndNxt: 101, rcvNxt: 301 });
    expect(r.fx).toEqual([stop(C, 'rtx')]);
    // No further ACK is needed: both may send data now.
    r.xfer(C, ['ACK', 'PSH'], 101, 301, 4).xfer(S, ['ACK', 'PSH'], 301, 105, 6);
    expect(nums(r.client)).toEqual({ state: 'ESTABLISHED', sndUna: 105, sndNxt: 105, rcvNxt: 307 });
  });

  it('SYN_RECEIVED --rcv ACK--> ESTABLISHED (simultaneous open, one SYN+ACK lost)', () => {
    const r = simultaneousOpen().send(C, ['SYN', 'ACK'], 100, 301).drop(C).xfer(S, ['SYN', 'ACK'], 300, 101);
    expect(r.client.state).toBe('ESTABLISHED');
    expect(r.server.state).toBe('SYN_RECEIVED');
    r.xfer(C, ['ACK'], 101, 301);
    expect(nums(r.server)).toEqual({ state: 'ESTABLISHED', sndUna: 301, sndNxt: 301, rcvNxt: 101 });
    expect(r.fx).toEqual([stop(S, 'rtx')]);
  });

  it('SYN_SENT --timeout--> SYN_SENT, then the SYN is retransmitted (lost SYN)', () => {
    const r = synSent().drop(C).timeout(C);
    expect(nums(r.client)).toEqual({ state: 'SYN_SENT', sndUna: 100, sndNxt: 101, rcvNxt: 0 });
    expect(r.client.rtxTimer).toBe(false);
    expect(r.fx).toEqual([]);
    r.send(C, ['SYN'], 100);
    expect(r.fx).toEqual([start(C, 'rtx')]);
    expect(r.client.sndNxt).toBe(101);
    r.deliver(C).xfer(S, ['SYN', 'ACK'], 300, 101);
    expect(r.client.state).toBe('ESTABLISHED');
  });

  it('SYN_RECEIVED --rcv duplicate SYN--> SYN_RECEIVED (retransmitted SYN, nothing changes)', () => {
    const r = synSent().send(C, ['SYN'], 100).deliver(C);
    const first = r.server;
    r.deliver(C);
    expect(r.server).toEqual(first);
    expect(r.arrival).toMatchObject({ outcome: 'ignored', why: 'duplicate' });
  });

  it('ESTABLISHED --rcv duplicate SYN+ACK--> ESTABLISHED (lost third ACK, SYN+ACK retransmitted)', () => {
    const r = synAckSent().deliver(S).send(C, ['ACK'], 101, 301).drop(C);
    r.send(S, ['SYN', 'ACK'], 300, 101);
    expect(r.fx).toEqual([start(S, 'rtx')]);
    const client = r.client;
    r.deliver(S);
    expect(r.client).toEqual(client);
    expect(r.arrival).toMatchObject({ outcome: 'ignored', why: 'duplicate' });
    r.xfer(C, ['ACK'], 101, 301);
    expect(r.server.state).toBe('ESTABLISHED');
  });

  it('SYN_SENT --rcv RST+ACK acking the SYN--> CLOSED (connection refused by a closed port)', () => {
    const r = new Run(initialConnection({ server: 'CLOSED' })).send(C, ['SYN'], 100).deliver(C);
    expect(r.server.state).toBe('CLOSED');
    expect(r.arrival).toMatchObject({ outcome: 'ignored', why: 'no-connection' });
    expect(r.server.owedResets).toEqual([{ seqFromAck: null, ackOfEnd: 101 }]);
    r.xfer(S, ['RST', 'ACK'], 0, 101);
    expect(r.sendFx).toEqual([]);
    expect(r.server.owedResets).toEqual([]);
    expect(r.client).toMatchObject({ state: 'CLOSED', reset: true, rtxTimer: false, iss: null });
    expect(r.fx).toEqual([stop(C, 'rtx')]);
  });

  it('SYN_SENT ignores a RST that does not acknowledge its SYN (judged by its ACK, RFC 9293 3.10.7.3)', () => {
    // No ACK: there is no receive window yet to judge its seq by; it is not out of any window.
    const noAck = synSent().inject(seg(S, ['RST'], 0)).deliver(S);
    expect(noAck.client.state).toBe('SYN_SENT');
    expect(noAck.arrival).toMatchObject({ outcome: 'ignored', why: 'rst-without-ack' });
    const badAck = synSent().inject(seg(S, ['RST', 'ACK'], 0, 100)).deliver(S);
    expect(badAck.client.state).toBe('SYN_SENT');
    expect(badAck.client.owedResets).toEqual([]); // a RST is never answered
    expect(badAck.arrival).toMatchObject({ outcome: 'ignored', why: 'ack-unacceptable' });
    // Any seq will do when the ACK is right.
    const anySeq = synSent().inject(seg(S, ['RST', 'ACK'], 12345, 101)).deliver(S);
    expect(anySeq.client).toMatchObject({ state: 'CLOSED', reset: true });
  });

  it('SYN_SENT --rcv SYN+ACK with an unacceptable ack--> SYN_SENT, owing RST seq = its ack', () => {
    const r = synSent().inject(seg(S, ['SYN', 'ACK'], 900, 555)).deliver(S);
    expect(r.client.state).toBe('SYN_SENT');
    expect(r.arrival).toMatchObject({ outcome: 'ignored', why: 'ack-unacceptable' });
    r.send(C, ['RST'], 555);
    expect(r.client.state).toBe('SYN_SENT');
    expect(r.client.owedResets).toEqual([]);
  });

  it('SYN_RECEIVED --rcv RST (passive)--> LISTEN', () => {
    const r = synAckSent().deliver(S).xfer(C, ['RST'], 101);
    expect(r.client).toMatchObject({ state: 'CLOSED', reset: true });
    expect(r.sendFx).toEqual([]);
    expect(r.server).toMatchObject({ state: 'LISTEN', iss: null, irs: null, passive: false, rtxTimer: false });
    expect(r.fx).toEqual([stop(S, 'rtx')]);
    // The listener accepts the next connection.
    r.send(C, ['SYN'], 5000).deliver(C);
    expect(nums(r.server)).toMatchObject({ state: 'SYN_RECEIVED', rcvNxt: 5001 });
  });

  it('SYN_RECEIVED --rcv RST (active, simultaneous open)--> CLOSED', () => {
    const r = simultaneousOpen().xfer(S, ['RST'], 301);
    expect(r.server).toMatchObject({ state: 'CLOSED', reset: true });
    expect(r.sendFx).toEqual([stop(S, 'rtx')]);
    expect(r.client).toMatchObject({ state: 'CLOSED', reset: true, rtxTimer: false });
    expect(r.fx).toEqual([stop(C, 'rtx')]);
  });

  it('LISTEN --rcv ACK--> LISTEN, owing RST seq = its ack (RFC 9293 3.10.7.2)', () => {
    const r = new Run().inject(seg(C, ['ACK'], 100, 4242)).deliver(C);
    expect(r.server.state).toBe('LISTEN');
    expect(r.server.owedResets).toEqual([{ seqFromAck: 4242, ackOfEnd: null }]);
    r.send(S, ['RST'], 4242);
    expect(r.server.state).toBe('LISTEN');
    expect(r.server.owedResets).toEqual([]);
  });

  it('LISTEN --rcv segment without SYN or ACK--> LISTEN (dropped, no reply)', () => {
    const r = new Run().inject(seg(C, ['FIN'], 100)).deliver(C);
    expect(r.server).toEqual(initialConnection().server);
    expect(r.arrival).toMatchObject({ outcome: 'ignored', why: 'not-expected-in-state' });
  });
});

describe('data (RFC 9293 3.10.2, 3.10.7.4)', () => {
  it('ESTABLISHED --send/rcv data--> ESTABLISHED, both ways; payload advances the numbers', () => {
    const r = established().send(C, ['ACK', 'PSH'], 101, 301, 10);
    expect(nums(r.client)).toEqual({ state: 'ESTABLISHED', sndUna: 101, sndNxt: 111, rcvNxt: 301 });
    expect(r.fx).toEqual([start(C, 'rtx')]);
    r.deliver(C);
    expect(nums(r.server)).toEqual({ state: 'ESTABLISHED', sndUna: 301, sndNxt: 301, rcvNxt: 111 });
    expect(r.server.bytesReceived).toBe(10);
    expect(r.fx).toEqual([]);
    r.send(S, ['ACK', 'PSH'], 301, 111, 20);
    expect(r.fx).toEqual([start(S, 'rtx')]);
    r.deliver(S);
    expect(nums(r.client)).toEqual({ state: 'ESTABLISHED', sndUna: 111, sndNxt: 111, rcvNxt: 321 });
    expect(r.fx).toEqual([stop(C, 'rtx')]);
    expect(r.client.bytesReceived).toBe(20);
    r.xfer(C, ['ACK'], 111, 321);
    expect(nums(r.server)).toEqual({ state: 'ESTABLISHED', sndUna: 321, sndNxt: 321, rcvNxt: 111 });
    expect(r.fx).toEqual([stop(S, 'rtx')]);
  });

  it('several segments in flight are acknowledged cumulatively', () => {
    const r = established()
      .send(C, ['ACK'], 101, 301, 5).send(C, ['ACK'], 106, 301, 5).send(C, ['ACK'], 111, 301, 5)
      .deliver(C).deliver(C);
    expect(r.server.rcvNxt).toBe(111);
    r.xfer(S, ['ACK'], 301, 111);
    expect(nums(r.client)).toMatchObject({ sndUna: 111, sndNxt: 116 });
    expect(r.fx).toEqual([]); // 5 bytes still unacknowledged: the timer keeps running
    expect(r.client.rtxTimer).toBe(true);
    r.deliver(C);
    expect(r.server.rcvNxt).toBe(116);
    r.xfer(S, ['ACK'], 301, 116);
    expect(r.fx).toEqual([stop(C, 'rtx')]);
  });

  it('lost data: timeout, retransmission, duplicate delivered twice counts once', () => {
    const r = established().send(C, ['ACK'], 101, 301, 10).drop(C).timeout(C);
    expect(nums(r.client)).toEqual({ state: 'ESTABLISHED', sndUna: 101, sndNxt: 111, rcvNxt: 301 });
    expect(r.client.rtxTimer).toBe(false);
    expect(r.fx).toEqual([]);
    r.send(C, ['ACK'], 101, 301, 10);
    expect(r.fx).toEqual([start(C, 'rtx')]);
    expect(r.client.sndNxt).toBe(111); // a retransmission does not advance SND.NXT
    r.send(C, ['ACK'], 101, 301, 10).deliver(C).deliver(C);
    expect(r.server.rcvNxt).toBe(111);
    expect(r.server.bytesReceived).toBe(10);
    expect(r.arrival).toMatchObject({ outcome: 'ignored', why: 'duplicate' });
  });

  it('duplicate ACKs change nothing and are legal to send; they are not answered (ack-nothing-new, not duplicate)', () => {
    const r = established().xfer(C, ['ACK'], 101, 301, 10).xfer(S, ['ACK'], 301, 111);
    const client = r.client;
    r.xfer(S, ['ACK'], 301, 111).xfer(S, ['ACK'], 301, 111);
    expect(r.client).toEqual(client);
    expect(r.arrival).toMatchObject({ outcome: 'ignored', why: 'ack-nothing-new' });
    // The same ACK beyond a lost segment (in window, after RCV.NXT) is no news either.
    const lost = established().send(S, ['ACK'], 301, 101, 5).drop(S).xfer(S, ['ACK'], 306, 101);
    expect(lost.arrival).toMatchObject({ outcome: 'ignored', why: 'ack-nothing-new' });
    // Old data is a duplicate: it is answered with an ACK.
    const old = established().send(C, ['ACK'], 101, 301, 10).send(C, ['ACK'], 101, 301, 10).deliver(C).deliver(C);
    expect(old.arrival).toMatchObject({ outcome: 'ignored', why: 'duplicate' });
  });

  it('a loss, three duplicate ACKs, a fast retransmit: held segments are delivered when the gap fills', () => {
    const r = established()
      .send(C, ['ACK'], 101, 301, 10).drop(C)
      .xfer(C, ['ACK'], 111, 301, 10)
      .xfer(C, ['ACK'], 121, 301, 10);
    // RFC 9293 3.10.7.4: in-window segments beyond RCV.NXT are held, not delivered.
    expect(r.server.rcvNxt).toBe(101);
    expect(r.server.bytesReceived).toBe(0);
    expect(r.server.held).toEqual([{ seq: 111, len: 10, fin: false }, { seq: 121, len: 10, fin: false }]);
    r.xfer(S, ['ACK'], 301, 101).xfer(S, ['ACK'], 301, 101).xfer(S, ['ACK'], 301, 101);
    expect(nums(r.client)).toMatchObject({ sndUna: 101, sndNxt: 131 });
    r.xfer(C, ['ACK'], 101, 301, 10);
    expect(nums(r.server)).toEqual({ state: 'ESTABLISHED', sndUna: 301, sndNxt: 301, rcvNxt: 131 });
    expect(r.server.bytesReceived).toBe(30);
    expect(r.server.held).toEqual([]);
    r.xfer(S, ['ACK'], 301, 131);
    expect(nums(r.client)).toEqual({ state: 'ESTABLISHED', sndUna: 131, sndNxt: 131, rcvNxt: 301 });
    expect(r.fx).toEqual([stop(C, 'rtx')]);
  });

  it('a FIN that arrives before a missing segment is held and takes effect when the gap fills', () => {
    const r = established()
      .send(C, ['ACK'], 101, 301, 10).drop(C)
      .xfer(C, ['ACK'], 111, 301, 10)
      .xfer(C, ['FIN', 'ACK'], 121, 301);
    expect(nums(r.server)).toMatchObject({ state: 'ESTABLISHED', rcvNxt: 101 });
    r.xfer(C, ['ACK'], 101, 301, 10);
    expect(nums(r.server)).toEqual({ state: 'CLOSE_WAIT', sndUna: 301, sndNxt: 301, rcvNxt: 122 });
    expect(r.server.bytesReceived).toBe(20);
    r.xfer(S, ['ACK'], 301, 122);
    expect(nums(r.client)).toMatchObject({ state: 'FIN_WAIT_2', sndUna: 122 });
  });

  it('an in-window segment beyond RCV.NXT still has its ACK processed (FIN_WAIT_1 --rcv ACK of FIN--> FIN_WAIT_2)', () => {
    const r = closeWait().send(S, ['ACK'], 301, 102, 10).drop(S).xfer(S, ['ACK'], 311, 102);
    expect(nums(r.client)).toEqual({ state: 'FIN_WAIT_2', sndUna: 102, sndNxt: 102, rcvNxt: 301 });
    expect(r.fx).toEqual([stop(C, 'rtx')]);
    r.xfer(S, ['ACK'], 301, 102, 10);
    expect(r.client.rcvNxt).toBe(311);
  });

  it('an endpoint without the optional held field (e.g. parsed from a view that strips it) still steps', () => {
    const r = established().send(C, ['ACK'], 101, 301, 10).drop(C).xfer(C, ['ACK'], 111, 301, 10);
    const strip = ({ held: _held, ...ep }: Endpoint): Endpoint => ep;
    r.conn = { ...r.conn, client: strip(r.client), server: strip(r.server) };
    r.xfer(C, ['ACK'], 101, 301, 10);
    expect(r.server.rcvNxt).toBe(111); // the held copy was lost with the field: only the retransmission counts
    r.xfer(C, ['ACK'], 111, 301, 10).xfer(S, ['ACK'], 301, 121);
    expect(nums(r.client)).toMatchObject({ sndUna: 121, sndNxt: 121 });
  });

  it('a segment beyond the receive window is dropped', () => {
    const r = established()
      .send(C, ['ACK'], 101, 301, RCV_WND).drop(C)
      .xfer(C, ['ACK'], 101 + RCV_WND, 301, 10);
    expect(r.arrival).toMatchObject({ outcome: 'ignored', why: 'out-of-order' });
    expect(r.server.rcvNxt).toBe(101);
    expect(r.server.held).toEqual([]);
  });

  it('an ACK of something not yet sent is dropped (RFC 9293 3.10.7.4, fifth check)', () => {
    const r = established().inject(seg(S, ['ACK'], 301, 150, 4)).deliver(S);
    expect(r.arrival).toMatchObject({ outcome: 'ignored', why: 'ack-unacceptable' });
    expect(r.client).toEqual(established().client);
  });

  it('SYN_RECEIVED --rcv unacceptable ACK--> SYN_RECEIVED, owing RST seq = its ack', () => {
    const r = synAckSent().inject(seg(C, ['ACK'], 101, 777)).deliver(C);
    expect(nums(r.server)).toEqual({ state: 'SYN_RECEIVED', sndUna: 300, sndNxt: 301, rcvNxt: 101 });
    expect(r.arrival).toMatchObject({ outcome: 'ignored', why: 'ack-unacceptable' });
    r.send(S, ['RST'], 777);
    expect(r.server.state).toBe('SYN_RECEIVED');
  });

  it('an ACK at SND.NXT-1 (a keep-alive, or forgetting the SYN counts) is refused: seq-not-advanced', () => {
    const r = established();
    const res = step(r.conn, { type: 'send', segment: seg(C, ['ACK'], 100, 301) });
    expect(res).toMatchObject({ ok: false, code: 'segment/seq-not-advanced', facts: { expected: 101, given: 100 } });
    expect(res.connection).toBe(r.conn);
  });

  it('a wholly old segment ending before RCV.NXT is dropped without its ACK being processed', () => {
    // The client's third ACK is lost; an ACK that forgot the SYN counts (seq = IRS) must not
    // complete the server's handshake (Linux drops it too: it ends before RCV.NXT).
    const r = synAckSent().deliver(S).inject(seg(C, ['ACK'], 100, 301)).deliver(C);
    expect(r.server.state).toBe('SYN_RECEIVED');
    expect(r.arrival).toMatchObject({ outcome: 'ignored', why: 'duplicate' });
    // Older data than the last segment, with a newer ack: dropped, the ack not processed.
    const older = established().xfer(C, ['ACK'], 101, 301, 10).xfer(C, ['ACK'], 111, 301, 10)
      .send(S, ['ACK'], 301, 121, 5).inject(seg(C, ['ACK'], 101, 306, 10)).deliver(C);
    expect(older.server).toMatchObject({ sndUna: 301, sndNxt: 306, rcvNxt: 121 });
    expect(older.arrival).toMatchObject({ outcome: 'ignored', why: 'duplicate' });
  });

  it('a wholly old segment ending at RCV.NXT has its ACK processed (as Linux: it ends at RCV.WUP)', () => {
    // Data crosses both ways; the server's ACK of the client's data is lost, so the client
    // retransmits it, now acknowledging the server's 5 bytes.
    const r = established().send(S, ['ACK'], 301, 101, 5).send(C, ['ACK'], 101, 301, 10).deliver(S).deliver(C)
      .send(S, ['ACK'], 306, 111).drop(S)
      .send(C, ['ACK'], 101, 306, 10);
    expect(r.client.rcvNxt).toBe(306);
    expect(r.server).toMatchObject({ sndUna: 301, sndNxt: 306, rcvNxt: 111, rtxTimer: true });
    r.deliver(C); // seq 101 len 10 ack 306: wholly old, ending at RCV.NXT 111
    expect(nums(r.server)).toEqual({ state: 'ESTABLISHED', sndUna: 306, sndNxt: 306, rcvNxt: 111 });
    expect(r.server.bytesReceived).toBe(10); // its data counts once
    expect(r.fx).toEqual([stop(S, 'rtx')]);
    expect(r.arrival).toMatchObject({ outcome: 'accepted', before: 'ESTABLISHED', after: 'ESTABLISHED' });
    // A retransmitted FIN that now acknowledges the receiver's FIN: CLOSING --> TIME_WAIT.
    const fin = closing().xfer(C, ['FIN', 'ACK'], 101, 302);
    expect(nums(fin.server)).toEqual({ state: 'TIME_WAIT', sndUna: 302, sndNxt: 302, rcvNxt: 102 });
    expect(fin.fx).toEqual([stop(S, 'rtx'), start(S, 'time-wait')]);
  });

  it('retransmitted data may carry a newer ack', () => {
    const r = established().send(C, ['ACK'], 101, 301, 10).drop(C)
      .xfer(S, ['ACK'], 301, 101, 5);
    expect(r.client.rcvNxt).toBe(306);
    r.xfer(C, ['ACK'], 101, 306, 10);
    expect(nums(r.server)).toMatchObject({ sndUna: 306, rcvNxt: 111 });
  });
});

describe('closing (RFC 9293 figure 5, 3.10.4, 3.10.7.4)', () => {
  it('ESTABLISHED --send FIN--> FIN_WAIT_1', () => {
    const r = finWait1();
    expect(nums(r.client)).toEqual({ state: 'FIN_WAIT_1', sndUna: 101, sndNxt: 102, rcvNxt: 301 });
    expect(r.client.finSeq).toBe(101);
    expect(r.fx).toEqual([start(C, 'rtx')]);
  });

  it('ESTABLISHED --rcv FIN--> CLOSE_WAIT', () => {
    const r = closeWait();
    expect(nums(r.server)).toEqual({ state: 'CLOSE_WAIT', sndUna: 301, sndNxt: 301, rcvNxt: 102 });
    expect(r.fx).toEqual([]);
  });

  it('FIN_WAIT_1 --rcv ACK of FIN--> FIN_WAIT_2', () => {
    const r = finWait2();
    expect(nums(r.client)).toEqual({ state: 'FIN_WAIT_2', sndUna: 102, sndNxt: 102, rcvNxt: 301 });
    expect(r.fx).toEqual([stop(C, 'rtx')]);
  });

  it('FIN_WAIT_1 --rcv ACK of data only--> FIN_WAIT_1 (the FIN is not yet acknowledged)', () => {
    const r = established().send(C, ['ACK'], 101, 301, 10).send(C, ['FIN', 'ACK'], 111, 301)
      .deliver(C).xfer(S, ['ACK'], 301, 111);
    expect(nums(r.client)).toEqual({ state: 'FIN_WAIT_1', sndUna: 111, sndNxt: 112, rcvNxt: 301 });
    expect(r.fx).toEqual([]);
  });

  it('CLOSE_WAIT --send FIN--> LAST_ACK', () => {
    const r = lastAck();
    expect(nums(r.server)).toEqual({ state: 'LAST_ACK', sndUna: 301, sndNxt: 302, rcvNxt: 102 });
    expect(r.server.finSeq).toBe(301);
    expect(r.fx).toEqual([start(S, 'rtx')]);
  });

  it('FIN_WAIT_2 --rcv FIN--> TIME_WAIT', () => {
    const r = timeWait();
    expect(nums(r.client)).toEqual({ state: 'TIME_WAIT', sndUna: 102, sndNxt: 102, rcvNxt: 302 });
    expect(r.client.timeWaitTimer).toBe(true);
    expect(r.fx).toEqual([start(C, 'time-wait')]);
  });

  it('LAST_ACK --rcv ACK of FIN--> CLOSED', () => {
    const r = timeWait().xfer(C, ['ACK'], 102, 302);
    expect(r.sendFx).toEqual([]);
    expect(r.server).toMatchObject({ state: 'CLOSED', reset: false, rtxTimer: false, iss: null });
    expect(r.fx).toEqual([stop(S, 'rtx')]);
  });

  it('TIME_WAIT --timeout 2MSL--> CLOSED', () => {
    const r = timeWait().xfer(C, ['ACK'], 102, 302).timeout(C);
    expect(r.client).toMatchObject({ state: 'CLOSED', reset: false, timeWaitTimer: false, rtxTimer: false });
    expect(r.fx).toEqual([]);
  });

  it('FIN_WAIT_1 --rcv FIN--> CLOSING (simultaneous close)', () => {
    const r = closing();
    expect(nums(r.client)).toEqual({ state: 'CLOSING', sndUna: 101, sndNxt: 102, rcvNxt: 302 });
    expect(nums(r.server)).toEqual({ state: 'CLOSING', sndUna: 301, sndNxt: 302, rcvNxt: 102 });
    expect(r.fx).toEqual([]);
    expect(r.client.rtxTimer && r.server.rtxTimer).toBe(true);
  });

  it('CLOSING --rcv ACK of FIN--> TIME_WAIT', () => {
    const r = closing().xfer(C, ['ACK'], 102, 302);
    expect(nums(r.server)).toEqual({ state: 'TIME_WAIT', sndUna: 302, sndNxt: 302, rcvNxt: 102 });
    expect(r.fx).toEqual([stop(S, 'rtx'), start(S, 'time-wait')]);
    r.xfer(S, ['ACK'], 302, 102);
    expect(r.client.state).toBe('TIME_WAIT');
    r.timeout(C).timeout(S);
    expect([r.client.state, r.server.state]).toEqual(['CLOSED', 'CLOSED']);
  });

  it('FIN_WAIT_1 --rcv FIN+ACK--> TIME_WAIT (the server\'s FIN and ACK in one segment)', () => {
    const r = closeWait().send(S, ['FIN', 'ACK'], 301, 102);
    expect(nums(r.server)).toEqual({ state: 'LAST_ACK', sndUna: 301, sndNxt: 302, rcvNxt: 102 });
    r.deliver(S);
    expect(nums(r.client)).toEqual({ state: 'TIME_WAIT', sndUna: 102, sndNxt: 102, rcvNxt: 302 });
    expect(r.fx).toEqual([stop(C, 'rtx'), start(C, 'time-wait')]);
    r.xfer(C, ['ACK'], 102, 302);
    expect(r.server.state).toBe('CLOSED');
  });

  it('ESTABLISHED --rcv data+FIN--> CLOSE_WAIT (a FIN piggybacked on data)', () => {
    const r = established().send(C, ['FIN', 'PSH', 'ACK'], 101, 301, 5);
    expect(nums(r.client)).toEqual({ state: 'FIN_WAIT_1', sndUna: 101, sndNxt: 107, rcvNxt: 301 });
    expect(r.client.finSeq).toBe(106);
    r.deliver(C);
    expect(nums(r.server)).toEqual({ state: 'CLOSE_WAIT', sndUna: 301, sndNxt: 301, rcvNxt: 107 });
    expect(r.server.bytesReceived).toBe(5);
    r.xfer(S, ['ACK'], 301, 107);
    expect(nums(r.client)).toMatchObject({ state: 'FIN_WAIT_2', sndUna: 107 });
  });

  it('CLOSE_WAIT --send data--> CLOSE_WAIT and FIN_WAIT_2 --rcv data--> FIN_WAIT_2 (half-close)', () => {
    const r = finWait2().send(S, ['ACK', 'PSH'], 301, 102, 50);
    expect(nums(r.server)).toEqual({ state: 'CLOSE_WAIT', sndUna: 301, sndNxt: 351, rcvNxt: 102 });
    expect(r.fx).toEqual([start(S, 'rtx')]);
    r.deliver(S);
    expect(nums(r.client)).toEqual({ state: 'FIN_WAIT_2', sndUna: 102, sndNxt: 102, rcvNxt: 351 });
    expect(r.client.bytesReceived).toBe(50);
    r.xfer(C, ['ACK'], 102, 351);
    expect(nums(r.server)).toMatchObject({ sndUna: 351 });
    expect(r.fx).toEqual([stop(S, 'rtx')]);
    r.xfer(S, ['FIN', 'ACK'], 351, 102);
    expect(nums(r.client)).toEqual({ state: 'TIME_WAIT', sndUna: 102, sndNxt: 102, rcvNxt: 352 });
    r.xfer(C, ['ACK'], 102, 352);
    expect(r.server.state).toBe('CLOSED');
  });

  it('FIN_WAIT_1 --rcv data--> FIN_WAIT_1 (data still flows towards the closing side)', () => {
    // The server sends before the client's FIN reaches it, so it does not acknowledge the FIN.
    const r = finWait1().xfer(S, ['ACK'], 301, 101, 8);
    expect(nums(r.client)).toEqual({ state: 'FIN_WAIT_1', sndUna: 101, sndNxt: 102, rcvNxt: 309 });
  });

  it('lost final ACK: LAST_ACK retransmits its FIN, TIME_WAIT re-acknowledges and restarts 2MSL', () => {
    const r = timeWait().send(C, ['ACK'], 102, 302).drop(C).timeout(S);
    expect(nums(r.server)).toEqual({ state: 'LAST_ACK', sndUna: 301, sndNxt: 302, rcvNxt: 102 });
    expect(r.fx).toEqual([]);
    r.send(S, ['FIN', 'ACK'], 301, 102);
    expect(r.fx).toEqual([start(S, 'rtx')]);
    expect(r.server.sndNxt).toBe(302);
    r.deliver(S);
    expect(nums(r.client)).toEqual({ state: 'TIME_WAIT', sndUna: 102, sndNxt: 102, rcvNxt: 302 });
    expect(r.fx).toEqual([start(C, 'time-wait')]);
    expect(r.arrival).toMatchObject({ outcome: 'accepted', before: 'TIME_WAIT', after: 'TIME_WAIT' });
    r.xfer(C, ['ACK'], 102, 302);
    expect(r.server.state).toBe('CLOSED');
    r.timeout(C);
    expect(r.client.state).toBe('CLOSED');
  });

  it('SYN_RECEIVED --send FIN--> FIN_WAIT_1 (CLOSE before the handshake completed)', () => {
    const r = synAckSent().send(S, ['FIN', 'ACK'], 301, 101);
    expect(nums(r.server)).toEqual({ state: 'FIN_WAIT_1', sndUna: 300, sndNxt: 302, rcvNxt: 101 });
    r.deliver(S).deliver(S);
    expect(nums(r.client)).toEqual({ state: 'CLOSE_WAIT', sndUna: 101, sndNxt: 101, rcvNxt: 302 });
    r.xfer(C, ['ACK'], 101, 302);
    expect(r.server.state).toBe('FIN_WAIT_2');
  });

  it('a retransmitted FIN already received changes nothing in CLOSE_WAIT', () => {
    const r = closeWait().send(C, ['FIN', 'ACK'], 101, 301).deliver(C);
    expect(nums(r.server)).toEqual({ state: 'CLOSE_WAIT', sndUna: 301, sndNxt: 301, rcvNxt: 102 });
    expect(r.arrival).toMatchObject({ outcome: 'ignored', why: 'duplicate' });
  });
});

describe('resets (RFC 9293 3.5.2, 3.10.7)', () => {
  interface Case { state: TcpState; run: () => Run; side: Side; after: TcpState; fx: Effect[] }
  const cases: Case[] = [
    { state: 'SYN_RECEIVED', run: synAckSent, side: S, after: 'LISTEN', fx: [stop(S, 'rtx')] },
    { state: 'SYN_RECEIVED', run: simultaneousOpen, side: C, after: 'CLOSED', fx: [stop(C, 'rtx')] },
    { state: 'ESTABLISHED', run: established, side: C, after: 'CLOSED', fx: [] },
    { state: 'FIN_WAIT_1', run: finWait1, side: C, after: 'CLOSED', fx: [stop(C, 'rtx')] },
    { state: 'FIN_WAIT_2', run: finWait2, side: C, after: 'CLOSED', fx: [] },
    { state: 'CLOSE_WAIT', run: closeWait, side: S, after: 'CLOSED', fx: [] },
    { state: 'CLOSING', run: closing, side: C, after: 'CLOSED', fx: [stop(C, 'rtx')] },
    { state: 'LAST_ACK', run: lastAck, side: S, after: 'CLOSED', fx: [stop(S, 'rtx')] },
    { state: 'TIME_WAIT', run: timeWait, side: C, after: 'CLOSED', fx: [stop(C, 'time-wait')] },
  ];

  for (const c of cases) {
    const label = c.state === 'SYN_RECEIVED' ? `${c.state} (${c.after === 'LISTEN' ? 'passive' : 'active'})` : c.state;
    it(`${label} --rcv RST in window--> ${c.after}`, () => {
      const base = c.run();
      expect(base.conn[c.side].state).toBe(c.state);
      const at = base.conn[c.side].rcvNxt;
      for (const seq of [at, (at + RCV_WND - 1) >>> 0]) {
        const r = c.run().inject(seg(peerOf(c.side), ['RST'], seq)).deliver(peerOf(c.side));
        expect(r.conn[c.side].state).toBe(c.after);
        expect(r.conn[c.side]).toMatchObject({ reset: c.after === 'CLOSED', rtxTimer: false, timeWaitTimer: false });
        expect(r.fx).toEqual(c.fx);
        expect(r.arrival).toMatchObject({ outcome: 'accepted', before: c.state, after: c.after });
      }
    });

    it(`${label} --rcv RST out of window--> ${c.state} (ignored)`, () => {
      const base = c.run();
      const at = base.conn[c.side].rcvNxt;
      for (const seq of [(at - 1) >>> 0, (at + RCV_WND) >>> 0, (at + 0x80000000) >>> 0]) {
        const r = c.run().inject(seg(peerOf(c.side), ['RST', 'ACK'], seq, 1)).deliver(peerOf(c.side));
        expect(r.conn[c.side]).toEqual(base.conn[c.side]);
        expect(r.arrival).toMatchObject({ outcome: 'ignored', why: 'rst-out-of-window' });
      }
    });
  }

  it('LISTEN and CLOSED --rcv RST--> unchanged (a RST is never answered)', () => {
    const listen = new Run().inject(seg(C, ['RST'], 0)).deliver(C);
    expect(listen.server).toEqual(initialConnection().server);
    expect(listen.arrival).toMatchObject({ outcome: 'ignored', why: 'rst-no-connection' });
    const closed = new Run(initialConnection({ server: 'CLOSED' })).inject(seg(C, ['RST', 'ACK'], 5, 6)).deliver(C);
    expect(closed.server).toEqual(initialConnection({ server: 'CLOSED' }).server);
    expect(closed.server.owedResets).toEqual([]);
  });

  const aborts: { state: TcpState; run: () => Run; side: Side; seq: number; fx: Effect[]; peerAfter: TcpState }[] = [
    { state: 'SYN_RECEIVED', run: synAckSent, side: S, seq: 301, fx: [stop(S, 'rtx')], peerAfter: 'CLOSED' },
    { state: 'ESTABLISHED', run: established, side: C, seq: 101, fx: [], peerAfter: 'CLOSED' },
    { state: 'FIN_WAIT_1', run: finWait1, side: C, seq: 102, fx: [stop(C, 'rtx')], peerAfter: 'CLOSED' },
    { state: 'FIN_WAIT_2', run: finWait2, side: C, seq: 102, fx: [], peerAfter: 'CLOSED' },
    { state: 'CLOSE_WAIT', run: closeWait, side: S, seq: 301, fx: [], peerAfter: 'CLOSED' },
  ];
  for (const a of aborts) {
    it(`${a.state} --send RST (abort)--> CLOSED`, () => {
      const r = a.run();
      // Deliver everything in flight first so that the RST is the next arrival.
      while (r.conn.wire.client.length) r.deliver(C);
      while (r.conn.wire.server.length) r.deliver(S);
      expect(r.conn[a.side].state).toBe(a.state);
      r.send(a.side, ['RST'], a.seq);
      expect(r.conn[a.side]).toMatchObject({ state: 'CLOSED', reset: true, rtxTimer: false });
      expect(r.fx).toEqual(a.fx);
      // With ACK too, at RCV.NXT.
      const withAck = a.run();
      while (withAck.conn.wire.client.length) withAck.deliver(C);
      while (withAck.conn.wire.server.length) withAck.deliver(S);
      withAck.send(a.side, ['RST', 'ACK'], a.seq, withAck.conn[a.side].rcvNxt);
      expect(withAck.conn[a.side].state).toBe('CLOSED');
      // The peer drops the connection (a SYN_SENT peer ignores a RST without ACK).
      r.deliver(a.side);
      expect(r.conn[peerOf(a.side)].state).toBe(a.peerAfter);
    });
  }

  // RFC 9293 3.10.5 and Linux (tcp_need_reset): an abort sends nothing from these states.
  const silentAborts: { state: TcpState; run: () => Run; side: Side }[] = [
    { state: 'SYN_SENT', run: synSent, side: C },
    { state: 'CLOSING', run: closing, side: C },
    { state: 'LAST_ACK', run: lastAck, side: S },
    { state: 'TIME_WAIT', run: timeWait, side: C },
  ];
  for (const a of silentAborts) {
    it(`${a.state} --send RST--> refused: an abort from ${a.state} sends no RST (segment/abort-sends-nothing)`, () => {
      const r = a.run();
      const ep = r.conn[a.side];
      expect(ep.state).toBe(a.state);
      for (const flags of [['RST'], ['RST', 'ACK']] as const) {
        const res = r.trySend(a.side, [...flags], ep.sndNxt, ep.rcvNxt);
        expect(res).toMatchObject({ ok: false, code: 'segment/abort-sends-nothing', facts: { state: a.state, side: a.side, field: 'flags', given: 'RST' } });
        expect(res.connection).toBe(r.conn);
      }
    });
  }

  it('CLOSED answers an ACK with RST seq = its ack; the old peer in TIME_WAIT accepts it', () => {
    const r = timeWait().xfer(C, ['ACK'], 102, 302).xfer(C, ['ACK'], 102, 302);
    expect(r.server.state).toBe('CLOSED');
    expect(r.arrival).toMatchObject({ outcome: 'ignored', why: 'no-connection' });
    expect(r.server.owedResets).toEqual([{ seqFromAck: 302, ackOfEnd: null }]);
    expect(autoNumbers(r.server, ['RST'], 0)).toEqual({ seq: 302, ack: 0 });
    r.xfer(S, ['RST'], 302);
    expect(r.server.state).toBe('CLOSED');
    expect(r.client).toMatchObject({ state: 'CLOSED', reset: true });
    expect(r.fx).toEqual([stop(C, 'time-wait')]);
  });

  it('CLOSED answers a segment without ACK with RST+ACK seq 0, ack = the segment\'s end', () => {
    const r = new Run(initialConnection({ server: 'CLOSED' })).send(C, ['SYN'], 0xfffffff0).deliver(C);
    expect(autoNumbers(r.server, ['RST', 'ACK'], 0)).toEqual({ seq: 0, ack: 0xfffffff1 });
    r.xfer(S, ['RST', 'ACK'], 0, 0xfffffff1);
    expect(r.client).toMatchObject({ state: 'CLOSED', reset: true });
  });
});

describe('32-bit wraparound (RFC 9293 3.4)', () => {
  it('ISNs near 2^32-1: numbers wrap through 0 on SYN, data and FIN', () => {
    const top = 0xffffffff;
    const sIsn = 0xfffffff6; // 2^32 - 10
    const r = new Run().send(C, ['SYN'], top);
    expect(nums(r.client)).toEqual({ state: 'SYN_SENT', sndUna: top, sndNxt: 0, rcvNxt: 0 });
    r.deliver(C);
    expect(r.server.rcvNxt).toBe(0);
    r.xfer(S, ['SYN', 'ACK'], sIsn, 0);
    expect(nums(r.client)).toEqual({ state: 'ESTABLISHED', sndUna: 0, sndNxt: 0, rcvNxt: sIsn + 1 });
    r.xfer(C, ['ACK'], 0, sIsn + 1);
    expect(nums(r.server)).toEqual({ state: 'ESTABLISHED', sndUna: sIsn + 1, sndNxt: sIsn + 1, rcvNxt: 0 });
    // 20 bytes from 2^32-9 wrap to 11; lost once and retransmitted.
    r.send(S, ['ACK'], sIsn + 1, 0, 20).drop(S).send(S, ['ACK'], sIsn + 1, 0, 20);
    expect(r.server.sndNxt).toBe(11);
    r.deliver(S);
    expect(nums(r.client)).toEqual({ state: 'ESTABLISHED', sndUna: 0, sndNxt: 0, rcvNxt: 11 });
    expect(r.client.bytesReceived).toBe(20);
    r.xfer(C, ['ACK'], 0, 11);
    expect(nums(r.server)).toEqual({ state: 'ESTABLISHED', sndUna: 11, sndNxt: 11, rcvNxt: 0 });
    r.xfer(C, ['FIN', 'ACK'], 0, 11).xfer(S, ['FIN', 'ACK'], 11, 1);
    expect(nums(r.client)).toEqual({ state: 'TIME_WAIT', sndUna: 1, sndNxt: 1, rcvNxt: 12 });
    r.xfer(C, ['ACK'], 1, 12);
    expect(r.server.state).toBe('CLOSED');
  });

  it('a held segment across the wrap is delivered when the gap fills', () => {
    const r = new Run().send(C, ['SYN'], 0xfffffff0).deliver(C)
      .xfer(S, ['SYN', 'ACK'], 9, 0xfffffff1).xfer(C, ['ACK'], 0xfffffff1, 10)
      .send(C, ['ACK'], 0xfffffff1, 10, 10).drop(C)
      .xfer(C, ['ACK'], 0xfffffffb, 10, 10);
    expect(r.server.rcvNxt).toBe(0xfffffff1);
    r.xfer(C, ['ACK'], 0xfffffff1, 10, 10);
    expect(r.server.rcvNxt).toBe(5);
    expect(r.server.bytesReceived).toBe(20);
  });

  it('sequence arithmetic helpers agree across the wrap', () => {
    expect(segmentLength(seg(C, ['SYN', 'FIN'], 0, 0, 3))).toBe(5);
    const r = new Run().send(C, ['SYN'], 0xffffffff).deliver(C);
    // An ack "one below" across the wrap is still off by one.
    const off = r.trySend(S, ['SYN', 'ACK'], 1, 0xffffffff);
    expect(off).toMatchObject({ ok: false, code: 'segment/ack-off-by-one', facts: { expected: 0, given: 0xffffffff } });
  });
});

describe('timers and effects', () => {
  it('a retransmission-timer timeout outside TIME_WAIT changes no state', () => {
    for (const make of [synSent, synAckSent, established, finWait1, closeWait, lastAck, closing]) {
      const r = make();
      const before = snapshot(r.conn);
      for (const side of [C, S] as const) {
        r.timeout(side);
        expect(r.fx).toEqual([]);
        expect(nums(r.conn[side])).toEqual(nums(before[side]));
        expect(r.conn[side].rtxTimer).toBe(false);
      }
      expect(r.conn.wire).toEqual(before.wire);
    }
  });

  it('a pure ACK starts no timer; anything occupying sequence space does', () => {
    const r = established();
    expect(r.trySend(C, ['ACK'], 101, 301)).toMatchObject({ ok: true, effects: [] });
    expect(r.trySend(C, ['ACK'], 101, 301, 1)).toMatchObject({ ok: true, effects: [start(C, 'rtx')] });
    expect(r.trySend(C, ['FIN', 'ACK'], 101, 301)).toMatchObject({ ok: true, effects: [start(C, 'rtx')] });
  });

  it('every accepted step leaves timeWaitTimer set exactly in TIME_WAIT', () => {
    const runs = [timeWait(), closing().xfer(C, ['ACK'], 102, 302).xfer(S, ['ACK'], 302, 102)];
    for (const r of runs) {
      for (const ep of [r.client, r.server] as Endpoint[]) expect(ep.timeWaitTimer).toBe(ep.state === 'TIME_WAIT');
    }
  });
});

describe('drop and deliver', () => {
  it('drop removes the oldest segment in flight and changes no endpoint', () => {
    const r = established().send(C, ['ACK'], 101, 301, 1).send(C, ['ACK'], 102, 301, 1);
    const before = snapshot(r.conn);
    r.drop(C);
    expect(r.conn.wire.client.map((f) => f.segment.seq)).toEqual([102]);
    expect(r.conn.client).toEqual(before.client);
    expect(r.conn.server).toEqual(before.server);
    expect(r.fx).toEqual([]);
  });

  it('deliver is first in, first out, per direction', () => {
    const r = established().send(C, ['ACK'], 101, 301, 1).send(S, ['ACK'], 301, 101, 2).send(C, ['ACK'], 102, 301, 1);
    r.deliver(C);
    expect(r.arrival).toMatchObject({ segment: { seq: 101 } });
    r.deliver(S).deliver(C);
    expect(r.arrival).toMatchObject({ segment: { seq: 102 } });
    expect(r.server.rcvNxt).toBe(103);
    expect(r.client.rcvNxt).toBe(303);
  });

  it('sent segments get increasing ids and are copied onto the wire', () => {
    const flags: ('ACK' | 'PSH')[] = ['ACK', 'PSH'];
    const r = established();
    const res = step(r.conn, { type: 'send', segment: seg(C, flags, 101, 301, 1) });
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    flags.push('PSH');
    expect(res.sent?.segment.flags).toEqual(['ACK', 'PSH']);
    expect(res.sent?.id).toBe(r.conn.nextSegmentId);
    expect(res.connection.nextSegmentId).toBe(r.conn.nextSegmentId + 1);
  });
});
