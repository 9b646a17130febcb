/**
 * One test per refusal reason code (REASON_CODES in types.ts), with the student mistakes
 * issue 2 lists. Each asserts the code, the facts (state, side, field, expected, given),
 * that the connection is returned untouched, and that both explanations fill every
 * placeholder. The last test checks that every code was exercised here.
 */
import { describe, expect, it } from 'vitest';
import { initialConnection, step } from './machine.ts';
import { explainIgnored, explainRefusal } from './reasons.ts';
import { IGNORE_REASONS, REASON_CODES, type Connection, type ReasonCode, type RefusalFacts, type TcpEvent } from './types.ts';
import {
  C, Run, S, closeWait, closing, established, finWait1, finWait2, seg, snapshot, synAckSent, synReceived, synSent, timeWait,
} from './test-helpers.ts';

const exercised = new Set<ReasonCode>();

/** Asserts that `ev` is refused with exactly this code and these facts, and changes nothing. */
function expectRefused(conn: Connection, ev: TcpEvent, code: ReasonCode, facts: RefusalFacts): void {
  const before = snapshot(conn);
  const r = step(conn, ev);
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.code).toBe(code);
  expect(r.facts).toEqual(facts);
  expect(r.connection).toBe(conn);
  expect(conn).toEqual(before);
  for (const lang of ['en', 'zh-CN'] as const) {
    const text = explainRefusal(r.code, r.facts, lang);
    expect(text.length).toBeGreaterThan(10);
    expect(text).not.toMatch(/[{}]/);
    expect(text, `${code} (${lang}) uses a fact the refusal does not carry`).not.toContain('?');
  }
  exercised.add(code);
}

const send = (from: 'client' | 'server', flags: Parameters<typeof seg>[1], seqNo: number, ack = 0, len = 0): TcpEvent =>
  ({ type: 'send', segment: seg(from, flags, seqNo, ack, len) });

describe('refusals: the student mistakes issue 2 lists', () => {
  it('segment/ack-before-synack: ACK before the SYN+ACK arrived', () => {
    expectRefused(synSent().conn, send(C, ['ACK'], 101, 301), 'segment/ack-before-synack',
      { state: 'SYN_SENT', side: C, field: 'flags', given: 'ACK' });
    // The SYN+ACK is on its way but has not arrived: still nothing to acknowledge.
    expectRefused(synAckSent().conn, send(C, ['ACK'], 101, 301), 'segment/ack-before-synack',
      { state: 'SYN_SENT', side: C, field: 'flags', given: 'ACK' });
    expectRefused(synSent().conn, send(C, ['SYN', 'ACK'], 100, 1), 'segment/ack-before-synack',
      { state: 'SYN_SENT', side: C, field: 'flags', given: 'SYN+ACK' });
  });

  it('segment/ack-off-by-one: forgetting that the SYN counts (third ACK, and SYN+ACK)', () => {
    const r = synAckSent().deliver(S);
    expectRefused(r.conn, send(C, ['ACK'], 101, 300), 'segment/ack-off-by-one',
      { state: 'ESTABLISHED', side: C, field: 'ack', expected: 301, given: 300 });
    expectRefused(synReceived().conn, send(S, ['SYN', 'ACK'], 300, 100), 'segment/ack-off-by-one',
      { state: 'SYN_RECEIVED', side: S, field: 'ack', expected: 101, given: 100 });
  });

  it('segment/ack-off-by-one: forgetting that the FIN counts', () => {
    expectRefused(closeWait().conn, send(S, ['ACK'], 301, 101), 'segment/ack-off-by-one',
      { state: 'CLOSE_WAIT', side: S, field: 'ack', expected: 102, given: 101 });
    expectRefused(timeWait().conn, send(C, ['ACK'], 102, 301), 'segment/ack-off-by-one',
      { state: 'TIME_WAIT', side: C, field: 'ack', expected: 302, given: 301 });
  });

  it('segment/ack-mismatch: an ack that is not RCV.NXT (including one short after data, which is no SYN/FIN slip)', () => {
    expectRefused(established().conn, send(C, ['ACK'], 101, 250), 'segment/ack-mismatch',
      { state: 'ESTABLISHED', side: C, field: 'ack', expected: 301, given: 250 });
    const afterData = established().xfer(C, ['ACK'], 101, 301, 10);
    expectRefused(afterData.conn, send(S, ['ACK'], 301, 110), 'segment/ack-mismatch',
      { state: 'ESTABLISHED', side: S, field: 'ack', expected: 111, given: 110 });
    // An abort with ACK must acknowledge RCV.NXT too.
    expectRefused(established().conn, send(C, ['RST', 'ACK'], 101, 7), 'segment/ack-mismatch',
      { state: 'ESTABLISHED', side: C, field: 'ack', expected: 301, given: 7 });
  });

  it('segment/ack-unreceived: acknowledging bytes never received', () => {
    expectRefused(established().conn, send(C, ['ACK'], 101, 311), 'segment/ack-unreceived',
      { state: 'ESTABLISHED', side: C, field: 'ack', expected: 301, given: 311 });
    // One past RCV.NXT is not "off by one" the SYN/FIN way: that octet never arrived.
    expectRefused(closeWait().conn, send(S, ['ACK'], 301, 103), 'segment/ack-unreceived',
      { state: 'CLOSE_WAIT', side: S, field: 'ack', expected: 102, given: 103 });
  });

  it('segment/seq-not-advanced: seq not advanced after data', () => {
    const acked = established().xfer(C, ['ACK'], 101, 301, 10).xfer(S, ['ACK'], 301, 111);
    expectRefused(acked.conn, send(C, ['ACK'], 101, 301, 5), 'segment/seq-not-advanced',
      { state: 'ESTABLISHED', side: C, field: 'seq', expected: 111, given: 101 });
    const inFlight = established().send(C, ['ACK'], 101, 301, 10);
    // More bytes than were sent from that seq: new data that did not move on.
    expectRefused(inFlight.conn, send(C, ['ACK'], 101, 301, 15), 'segment/seq-not-advanced',
      { state: 'ESTABLISHED', side: C, field: 'seq', expected: 111, given: 101 });
    // A pure ACK or a FIN at the old seq, while the data is still unacknowledged.
    expectRefused(inFlight.conn, send(C, ['ACK'], 101, 301), 'segment/seq-not-advanced',
      { state: 'ESTABLISHED', side: C, field: 'seq', expected: 111, given: 101 });
    expectRefused(inFlight.conn, send(C, ['FIN', 'ACK'], 101, 301), 'segment/seq-not-advanced',
      { state: 'ESTABLISHED', side: C, field: 'seq', expected: 111, given: 101 });
    // Forgetting that the own SYN counts: the first data at the ISN.
    expectRefused(established().conn, send(S, ['ACK'], 300, 101, 5), 'segment/seq-not-advanced',
      { state: 'ESTABLISHED', side: S, field: 'seq', expected: 301, given: 300 });
  });

  it('segment/data-after-fin: data after one\'s own FIN', () => {
    expectRefused(finWait2().conn, send(C, ['ACK'], 102, 301, 5), 'segment/data-after-fin',
      { state: 'FIN_WAIT_2', side: C, field: 'len', expected: 0, given: 5 });
    expectRefused(finWait1().conn, send(C, ['ACK', 'PSH'], 102, 301, 1), 'segment/data-after-fin',
      { state: 'FIN_WAIT_1', side: C, field: 'len', expected: 0, given: 1 });
    // In LAST_ACK too: a server that closed its half cannot send more.
    const lastAck = finWait2().send(S, ['FIN', 'ACK'], 301, 102);
    expectRefused(lastAck.conn, send(S, ['ACK'], 302, 102, 3), 'segment/data-after-fin',
      { state: 'LAST_ACK', side: S, field: 'len', expected: 0, given: 3 });
  });

  it('segment/fin-before-established: FIN before the connection is synchronized', () => {
    expectRefused(initialConnection(), send(C, ['FIN'], 100), 'segment/fin-before-established',
      { state: 'CLOSED', side: C, field: 'flags', given: 'FIN' });
    expectRefused(synSent().conn, send(C, ['FIN', 'ACK'], 101, 0), 'segment/fin-before-established',
      { state: 'SYN_SENT', side: C, field: 'flags', given: 'FIN+ACK' });
    expectRefused(initialConnection(), send(S, ['FIN'], 300), 'segment/fin-before-established',
      { state: 'LISTEN', side: S, field: 'flags', given: 'FIN' });
    // FIN+ACK from SYN_RECEIVED is legal (RFC 9293 3.10.4): that state is not refused.
    expect(step(synAckSent().conn, send(S, ['FIN', 'ACK'], 301, 101)).ok).toBe(true);
  });

  it('segment/synack-without-syn: a SYN+ACK from LISTEN or CLOSED with no SYN waiting for an answer', () => {
    expectRefused(initialConnection(), send(S, ['SYN', 'ACK'], 300, 1), 'segment/synack-without-syn',
      { state: 'LISTEN', side: S, field: 'flags', given: 'SYN+ACK' });
    expectRefused(initialConnection(), send(C, ['SYN', 'ACK'], 100, 1), 'segment/synack-without-syn',
      { state: 'CLOSED', side: C, field: 'flags', given: 'SYN+ACK' });
    // The SYN that arrived at a closed port was answered with its RST: none waits any more.
    const answered = new Run(initialConnection({ server: 'CLOSED' })).send(C, ['SYN'], 100).deliver(C).send(S, ['RST', 'ACK'], 0, 101);
    expectRefused(answered.conn, send(S, ['SYN', 'ACK'], 300, 101), 'segment/synack-without-syn',
      { state: 'CLOSED', side: S, field: 'flags', given: 'SYN+ACK' });
  });

  it('segment/no-listener: answering a SYN that reached a CLOSED port (nothing listens) other than with RST+ACK', () => {
    // The "refused" scenario: the server has no listener and the client's SYN reached it.
    const refused = new Run(initialConnection({ server: 'CLOSED' })).send(C, ['SYN'], 100).deliver(C);
    for (const [flags, given] of [[['SYN', 'ACK'], 'SYN+ACK'], [['ACK'], 'ACK'], [['ACK', 'PSH'], 'ACK+PSH']] as const) {
      expectRefused(refused.conn, send(S, [...flags], 300, 101, given === 'ACK+PSH' ? 3 : 0), 'segment/no-listener',
        { state: 'CLOSED', side: S, field: 'flags', expected: 'RST+ACK', given });
    }
    // A simultaneous open before the server's own SYN: the client's SYN found a CLOSED port.
    const early = new Run(initialConnection({ client: 'CLOSED', server: 'CLOSED' })).send(C, ['SYN'], 100).deliver(C);
    expectRefused(early.conn, send(S, ['SYN', 'ACK'], 300, 101), 'segment/no-listener',
      { state: 'CLOSED', side: S, field: 'flags', expected: 'RST+ACK', given: 'SYN+ACK' });
    // Its own SYN (opening actively) is still allowed, and so is the RST+ACK.
    expect(step(early.conn, send(S, ['SYN'], 300)).ok).toBe(true);
    expect(step(refused.conn, send(S, ['RST', 'ACK'], 0, 101)).ok).toBe(true);
  });

  it('segment/syn-needs-ack: a bare SYN answering a SYN', () => {
    expectRefused(synReceived().conn, send(S, ['SYN'], 300), 'segment/syn-needs-ack',
      { state: 'SYN_RECEIVED', side: S, field: 'flags', expected: 'SYN+ACK', given: 'SYN' });
  });

  it('segment/connection-reset: sending on a reset connection', () => {
    const r = new Run(initialConnection({ server: 'CLOSED' })).send(C, ['SYN'], 100).deliver(C)
      .xfer(S, ['RST', 'ACK'], 0, 101);
    expect(r.client).toMatchObject({ state: 'CLOSED', reset: true });
    expectRefused(r.conn, send(C, ['ACK'], 101, 1), 'segment/connection-reset',
      { state: 'CLOSED', side: C, field: 'flags', given: 'ACK' });
    expectRefused(r.conn, send(C, ['ACK', 'PSH'], 101, 1, 4), 'segment/connection-reset',
      { state: 'CLOSED', side: C, field: 'flags', given: 'ACK+PSH' });
    expectRefused(r.conn, send(C, ['RST'], 101), 'segment/connection-reset',
      { state: 'CLOSED', side: C, field: 'flags', given: 'RST' });
    // The side that sent the abort is reset too.
    const aborted = established().send(C, ['RST'], 101);
    expectRefused(aborted.conn, send(C, ['ACK'], 101, 301), 'segment/connection-reset',
      { state: 'CLOSED', side: C, field: 'flags', given: 'ACK' });
    // A new connection is fine.
    expect(step(r.conn, send(C, ['SYN'], 7)).ok).toBe(true);
  });
});

describe('refusals: the other codes', () => {
  it('segment/ack-required: an endpoint that received the peer\'s SYN sends without ACK', () => {
    expectRefused(established().conn, send(C, ['PSH'], 101, 0, 5), 'segment/ack-required',
      { state: 'ESTABLISHED', side: C, field: 'flags', expected: 'ACK', given: 'PSH' });
    expectRefused(synAckSent().conn, send(S, ['FIN'], 301), 'segment/ack-required',
      { state: 'SYN_RECEIVED', side: S, field: 'flags', expected: 'ACK', given: 'FIN' });
    expectRefused(closeWait().conn, send(S, ['FIN'], 301), 'segment/ack-required',
      { state: 'CLOSE_WAIT', side: S, field: 'flags', expected: 'ACK', given: 'FIN' });
  });

  it('segment/seq-mismatch: seq ahead of SND.NXT, or a retransmitted SYN/FIN at the wrong place', () => {
    expectRefused(established().conn, send(C, ['ACK'], 150, 301, 5), 'segment/seq-mismatch',
      { state: 'ESTABLISHED', side: C, field: 'seq', expected: 101, given: 150 });
    expectRefused(synSent().conn, send(C, ['SYN'], 101), 'segment/seq-mismatch',
      { state: 'SYN_SENT', side: C, field: 'seq', expected: 100, given: 101 });
    expectRefused(synAckSent().conn, send(S, ['SYN', 'ACK'], 299, 101), 'segment/seq-mismatch',
      { state: 'SYN_RECEIVED', side: S, field: 'seq', expected: 300, given: 299 });
    // Data, then FIN, both unacknowledged: a "FIN retransmission" that moves the FIN. The
    // expected value is the FIN's own number, and following it is accepted.
    const r = established().send(C, ['ACK'], 101, 301, 10).send(C, ['FIN', 'ACK'], 111, 301);
    expectRefused(r.conn, send(C, ['FIN', 'ACK'], 101, 301, 5), 'segment/seq-mismatch',
      { state: 'FIN_WAIT_1', side: C, field: 'seq', expected: 111, given: 101 });
    expect(step(r.conn, send(C, ['FIN', 'ACK'], 111, 301)).ok).toBe(true);
    // The SYN's expected value is the ISS, and following it is accepted too.
    expect(step(synSent().conn, send(C, ['SYN'], 100)).ok).toBe(true);
    expect(step(synAckSent().conn, send(S, ['SYN', 'ACK'], 300, 101)).ok).toBe(true);
  });

  it('segment/data-after-fin: a data retransmission that runs into the FIN\'s number', () => {
    const r = established().send(C, ['ACK'], 101, 301, 10).send(C, ['FIN', 'ACK'], 111, 301);
    expectRefused(r.conn, send(C, ['ACK'], 105, 301, 7), 'segment/data-after-fin',
      { state: 'FIN_WAIT_1', side: C, field: 'len', expected: 6, given: 7 });
    expect(step(r.conn, send(C, ['ACK'], 105, 301, 6)).ok).toBe(true);
  });

  it('segment/fin-already-sent: a second FIN at SND.NXT, the first unacknowledged or acknowledged', () => {
    expectRefused(finWait1().conn, send(C, ['FIN', 'ACK'], 102, 301), 'segment/fin-already-sent',
      { state: 'FIN_WAIT_1', side: C, field: 'seq', expected: 101, given: 102 });
    expect(step(finWait1().conn, send(C, ['FIN', 'ACK'], 101, 301)).ok).toBe(true);
    expectRefused(finWait2().conn, send(C, ['FIN', 'ACK'], 102, 301), 'segment/fin-already-sent',
      { state: 'FIN_WAIT_2', side: C, field: 'seq', expected: 101, given: 102 });
    expectRefused(timeWait().conn, send(C, ['FIN', 'ACK'], 102, 302), 'segment/fin-already-sent',
      { state: 'TIME_WAIT', side: C, field: 'seq', expected: 101, given: 102 });
  });

  it('segment/syn-missing: the passive side answers a SYN without its own SYN', () => {
    expectRefused(synReceived().conn, send(S, ['ACK'], 300, 101), 'segment/syn-missing',
      { state: 'SYN_RECEIVED', side: S, field: 'flags', expected: 'SYN+ACK', given: 'ACK' });
    expectRefused(synReceived().conn, send(S, ['FIN', 'ACK'], 300, 101), 'segment/syn-missing',
      { state: 'SYN_RECEIVED', side: S, field: 'flags', expected: 'SYN+ACK', given: 'FIN+ACK' });
  });

  it('segment/syn-in-synchronized-state: SYN once synchronized', () => {
    expectRefused(established().conn, send(C, ['SYN'], 100), 'segment/syn-in-synchronized-state',
      { state: 'ESTABLISHED', side: C, field: 'flags', given: 'SYN' });
    expectRefused(closeWait().conn, send(S, ['SYN', 'ACK'], 300, 102), 'segment/syn-in-synchronized-state',
      { state: 'CLOSE_WAIT', side: S, field: 'flags', given: 'SYN+ACK' });
  });

  it('segment/data-before-established: data in SYN_SENT or SYN_RECEIVED', () => {
    expectRefused(synSent().conn, send(C, ['PSH'], 101, 0, 5), 'segment/data-before-established',
      { state: 'SYN_SENT', side: C, field: 'flags', given: 'PSH' });
    expectRefused(synAckSent().conn, send(S, ['ACK', 'PSH'], 301, 101, 5), 'segment/data-before-established',
      { state: 'SYN_RECEIVED', side: S, field: 'len', expected: 0, given: 5 });
  });

  it('segment/data-on-syn: payload on a SYN', () => {
    expectRefused(initialConnection(), send(C, ['SYN'], 100, 0, 5), 'segment/data-on-syn',
      { state: 'CLOSED', side: C, field: 'len', expected: 0, given: 5 });
    expectRefused(synReceived().conn, send(S, ['SYN', 'ACK'], 300, 101, 5), 'segment/data-on-syn',
      { state: 'SYN_RECEIVED', side: S, field: 'len', expected: 0, given: 5 });
  });

  it('segment/no-connection: sending without a connection', () => {
    expectRefused(initialConnection(), send(C, ['ACK'], 100, 1), 'segment/no-connection',
      { state: 'CLOSED', side: C, field: 'flags', given: 'ACK' });
    expectRefused(initialConnection(), send(S, ['ACK', 'PSH'], 300, 1, 3), 'segment/no-connection',
      { state: 'LISTEN', side: S, field: 'flags', given: 'ACK+PSH' });
    // After a clean close: CLOSED, not reset.
    const closed = timeWait().xfer(C, ['ACK'], 102, 302);
    expectRefused(closed.conn, send(S, ['ACK'], 302, 102), 'segment/no-connection',
      { state: 'CLOSED', side: S, field: 'flags', given: 'ACK' });
  });

  it('segment/rst-nothing-to-answer: a RST with no arriving segment to answer and no connection to abort', () => {
    expectRefused(initialConnection(), send(S, ['RST'], 0), 'segment/rst-nothing-to-answer',
      { state: 'LISTEN', side: S, field: 'flags', given: 'RST' });
    expectRefused(initialConnection(), send(C, ['RST'], 0), 'segment/rst-nothing-to-answer',
      { state: 'CLOSED', side: C, field: 'flags', given: 'RST' });
  });

  it('segment/abort-sends-nothing: an abort from SYN_SENT, CLOSING, LAST_ACK or TIME_WAIT (RFC 9293 3.10.5)', () => {
    expectRefused(synSent().conn, send(C, ['RST'], 101), 'segment/abort-sends-nothing',
      { state: 'SYN_SENT', side: C, field: 'flags', given: 'RST' });
    expectRefused(closing().conn, send(C, ['RST'], 102), 'segment/abort-sends-nothing',
      { state: 'CLOSING', side: C, field: 'flags', given: 'RST' });
    const lastAck = finWait2().send(S, ['FIN', 'ACK'], 301, 102);
    expectRefused(lastAck.conn, send(S, ['RST', 'ACK'], 302, 102), 'segment/abort-sends-nothing',
      { state: 'LAST_ACK', side: S, field: 'flags', given: 'RST' });
    expectRefused(timeWait().conn, send(C, ['RST'], 102), 'segment/abort-sends-nothing',
      { state: 'TIME_WAIT', side: C, field: 'flags', given: 'RST' });
  });

  it('segment/syn-missing: a RST from a passive SYN_RECEIVED that has not answered (no SND.NXT to abort at)', () => {
    expectRefused(synReceived().conn, send(S, ['RST'], 0), 'segment/syn-missing',
      { state: 'SYN_RECEIVED', side: S, field: 'flags', expected: 'SYN+ACK', given: 'RST' });
  });

  it('segment/rst-seq-mismatch: an abort not at SND.NXT, or a reply with the wrong numbers', () => {
    expectRefused(established().conn, send(C, ['RST'], 150), 'segment/rst-seq-mismatch',
      { state: 'ESTABLISHED', side: C, field: 'seq', expected: 101, given: 150 });
    // CLOSED owes RST seq = the stray ACK's ack (302).
    const stray = timeWait().xfer(C, ['ACK'], 102, 302).xfer(C, ['ACK'], 102, 302);
    expectRefused(stray.conn, send(S, ['RST'], 303), 'segment/rst-seq-mismatch',
      { state: 'CLOSED', side: S, field: 'seq', expected: 302, given: 303 });
    // CLOSED owes RST+ACK seq 0, ack 101 for a SYN.
    const refused = new Run(initialConnection({ server: 'CLOSED' })).send(C, ['SYN'], 100).deliver(C);
    expectRefused(refused.conn, send(S, ['RST', 'ACK'], 0, 100), 'segment/rst-seq-mismatch',
      { state: 'CLOSED', side: S, field: 'ack', expected: 101, given: 100 });
    expectRefused(refused.conn, send(S, ['RST', 'ACK'], 5, 101), 'segment/rst-seq-mismatch',
      { state: 'CLOSED', side: S, field: 'seq', expected: 0, given: 5 });
    // Without ACK a SYN_SENT peer would ignore it.
    expectRefused(refused.conn, send(S, ['RST'], 0), 'segment/rst-seq-mismatch',
      { state: 'CLOSED', side: S, field: 'flags', expected: 'RST+ACK', given: 'RST' });
  });

  it('segment/flag-not-allowed-in-state: RST combined with SYN or FIN, or carrying data; SYN with FIN', () => {
    expectRefused(initialConnection(), send(C, ['SYN', 'FIN'], 100), 'segment/flag-not-allowed-in-state',
      { state: 'CLOSED', side: C, field: 'flags', given: 'SYN+FIN' });
    expectRefused(synAckSent().conn, send(S, ['SYN', 'FIN', 'ACK'], 300, 101), 'segment/flag-not-allowed-in-state',
      { state: 'SYN_RECEIVED', side: S, field: 'flags', given: 'SYN+FIN+ACK' });
    expectRefused(established().conn, send(C, ['RST', 'FIN'], 101), 'segment/flag-not-allowed-in-state',
      { state: 'ESTABLISHED', side: C, field: 'flags', given: 'RST+FIN' });
    expectRefused(initialConnection(), send(C, ['SYN', 'RST'], 100), 'segment/flag-not-allowed-in-state',
      { state: 'CLOSED', side: C, field: 'flags', given: 'SYN+RST' });
    expectRefused(established().conn, send(C, ['RST'], 101, 0, 3), 'segment/flag-not-allowed-in-state',
      { state: 'ESTABLISHED', side: C, field: 'len', expected: 0, given: 3 });
  });

  it('segment/invalid: malformed segments and events', () => {
    const conn = established().conn;
    expectRefused(conn, send(C, ['ACK'], -1, 301), 'segment/invalid', { state: 'ESTABLISHED', side: C, given: 'seq' });
    expectRefused(conn, send(C, ['ACK'], 2 ** 32, 301), 'segment/invalid', { state: 'ESTABLISHED', side: C, given: 'seq' });
    expectRefused(conn, send(C, ['ACK'], 101, 1.5), 'segment/invalid', { state: 'ESTABLISHED', side: C, given: 'ack' });
    expectRefused(conn, send(C, ['ACK'], 101, 301, -2), 'segment/invalid', { state: 'ESTABLISHED', side: C, given: 'len' });
    expectRefused(conn, send(C, ['ACK', 'ACK'], 101, 301), 'segment/invalid', { state: 'ESTABLISHED', side: C, given: 'flags' });
    expectRefused(conn, send(C, ['URG' as 'ACK'], 101, 301), 'segment/invalid', { state: 'ESTABLISHED', side: C, given: 'flags' });
    expectRefused(conn, send('bob' as 'client', ['ACK'], 101, 301), 'segment/invalid', { state: 'ESTABLISHED', side: C, given: 'from' });
    // Garbage events never throw.
    const garbage: unknown[] = [
      null, undefined, 42, {}, { type: 'jump' }, { type: 'send' }, { type: 'send', segment: null },
      { type: 'send', segment: { from: 'client' } }, { type: 'deliver', from: 'bob' }, { type: 'drop' },
      { type: 'timeout', side: 7 },
    ];
    for (const g of garbage) {
      const r = step(conn, g as TcpEvent);
      expect(r, JSON.stringify(g)).toMatchObject({ ok: false, code: 'segment/invalid' });
      expect(r.connection).toBe(conn);
    }
  });

  it('segment/window-exceeded: more than 2^30 bytes unacknowledged (the largest window; beyond it sequence numbers would be ambiguous)', () => {
    const r = established().send(C, ['ACK'], 101, 301, 2 ** 30);
    expect(r.client.sndNxt).toBe(101 + 2 ** 30);
    expectRefused(r.conn, send(C, ['ACK'], 101 + 2 ** 30, 301, 1), 'segment/window-exceeded',
      { state: 'ESTABLISHED', side: C, field: 'len', expected: 0, given: 1 });
    const part = established().send(C, ['ACK'], 101, 301, 2 ** 30 - 10);
    expectRefused(part.conn, send(C, ['ACK'], 101 + 2 ** 30 - 10, 301, 11), 'segment/window-exceeded',
      { state: 'ESTABLISHED', side: C, field: 'len', expected: 10, given: 11 });
  });

  it('wire/empty: deliver or drop with nothing in flight', () => {
    expectRefused(initialConnection(), { type: 'deliver', from: C }, 'wire/empty', { state: 'CLOSED', side: C });
    expectRefused(initialConnection(), { type: 'drop', from: S }, 'wire/empty', { state: 'LISTEN', side: S });
    expectRefused(synSent().conn, { type: 'deliver', from: S }, 'wire/empty', { state: 'LISTEN', side: S });
  });
});

describe('the explanation catalogue', () => {
  const facts: RefusalFacts = { state: 'ESTABLISHED', side: 'client', field: 'ack', expected: 12345, given: 67890 };

  it('every reason code has a non-empty English and Simplified Chinese explanation, placeholders filled', () => {
    for (const code of REASON_CODES) {
      const en = explainRefusal(code, facts, 'en');
      const zh = explainRefusal(code, facts, 'zh-CN');
      expect(en.length, code).toBeGreaterThan(10);
      expect(zh.length, code).toBeGreaterThan(5);
      expect(en).not.toEqual(zh);
      expect(zh, code).toMatch(/[\u4e00-\u9fff]/);
      for (const t of [en, zh]) {
        expect(t, code).not.toMatch(/[{}]/);
        expect(t, code).not.toContain('?');
      }
      // The default language is English.
      expect(explainRefusal(code, facts)).toBe(en);
    }
  });

  it('every ignore reason has both explanations, with the state filled in', () => {
    for (const why of IGNORE_REASONS) {
      const en = explainIgnored(why, 'SYN_SENT', 'en');
      const zh = explainIgnored(why, 'SYN_SENT', 'zh-CN');
      expect(en.length).toBeGreaterThan(10);
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      for (const t of [en, zh]) expect(t).not.toMatch(/[{}?]/);
    }
    expect(explainIgnored('not-expected-in-state', 'LISTEN')).toContain('LISTEN');
  });

  it('explanations name the values: expected and given appear in the text', () => {
    const text = explainRefusal('segment/ack-off-by-one', { state: 'ESTABLISHED', side: 'client', field: 'ack', expected: 301, given: 300 });
    expect(text).toContain('301');
    expect(text).toContain('300');
    expect(explainRefusal('segment/ack-before-synack', { state: 'SYN_SENT', side: 'client' }, 'zh-CN')).toContain('SYN_SENT');
  });
});

describe('coverage of the reason codes', () => {
  // Tests in a file run in order: this one runs after every refusal test above.
  it('every code in REASON_CODES was produced by a test above', () => {
    const missing = REASON_CODES.filter((c) => !exercised.has(c));
    expect(missing).toEqual([]);
  });
});
