/**
 * The sandbox's game: one connection judged by shared/tcp in the browser, with the
 * ladder and feedback it produces. A pure reducer; the page chooses ISNs (randomness
 * stays out of here) and runs no timers: the player lets 2MSL pass with a button.
 */
import { autoNumbers, initialConnection, step } from '../../../shared/tcp/machine.ts';
import type { Connection, Flag, Segment, Side, TcpState } from '../../../shared/tcp/types.ts';
import type { Level } from '../../../shared/game/model.ts';
import type { FeedbackEvent, FeedbackItem } from '../lib/feedback.ts';
import { endOfArrival, ladderEnded, ladderRefused, ladderSent, type LadderEntry } from '../lib/ladder.ts';

export interface SandboxState {
  conn: Connection;
  level: Level;
  isn: Record<Side, number>;
  /** Advances by one for every action, accepted or not: the ladder's time. */
  tick: number;
  ladder: LadderEntry[];
  feedback: FeedbackItem[];
}

export type SandboxAction =
  | { type: 'send'; segment: Segment }
  | { type: 'deliver'; from: Side }
  | { type: 'drop'; from: Side }
  | { type: 'timeout'; side: Side }
  | { type: 'reset'; level: Level; isn: Record<Side, number> };

/** At most this many feedback lines are kept. */
const FEEDBACK_KEPT = 30;

/** A fresh sandbox: the client CLOSED, the server LISTENing. */
export function initialSandbox(level: Level, isn: Record<Side, number>): SandboxState {
  return { conn: initialConnection(), level, isn, tick: 0, ladder: [], feedback: [] };
}

function withFeedback(s: SandboxState, ev: FeedbackEvent): FeedbackItem[] {
  const id = (s.feedback[s.feedback.length - 1]?.id ?? 0) + 1;
  return [...s.feedback, { ...ev, id }].slice(-FEEDBACK_KEPT);
}

/** Apply one action. */
export function sandboxReducer(s: SandboxState, a: SandboxAction): SandboxState {
  if (a.type === 'reset') return initialSandbox(a.level, a.isn);
  const tick = s.tick + 1;
  switch (a.type) {
    case 'send': {
      const r = step(s.conn, { type: 'send', segment: a.segment });
      if (!r.ok) {
        return {
          ...s, tick,
          ladder: ladderRefused(s.ladder, a.segment, r.code, tick),
          feedback: withFeedback(s, { kind: 'refused', side: a.segment.from, segment: a.segment, code: r.code, facts: r.facts }),
        };
      }
      return {
        ...s, tick, conn: r.connection,
        ladder: r.sent ? ladderSent(s.ladder, r.sent, tick) : s.ladder,
        feedback: withFeedback(s, { kind: 'sent', side: a.segment.from, segment: a.segment, state: r.connection[a.segment.from].state }),
      };
    }
    case 'deliver': {
      const r = step(s.conn, { type: 'deliver', from: a.from });
      if (!r.ok || !r.arrival) return s;
      return {
        ...s, tick, conn: r.connection,
        ladder: ladderEnded(s.ladder, r.arrival.id, endOfArrival(r.arrival, tick)),
        feedback: withFeedback(s, { kind: 'arrival', arrival: r.arrival }),
      };
    }
    case 'drop': {
      const head = s.conn.wire[a.from][0];
      const r = step(s.conn, { type: 'drop', from: a.from });
      if (!r.ok || !head) return s;
      return {
        ...s, tick, conn: r.connection,
        ladder: ladderEnded(s.ladder, head.id, { at: tick, outcome: 'lost' }),
        feedback: withFeedback(s, { kind: 'lost', from: a.from, segment: head.segment }),
      };
    }
    case 'timeout': {
      if (s.conn[a.side].state !== 'TIME_WAIT') return s;
      const r = step(s.conn, { type: 'timeout', side: a.side });
      if (!r.ok) return s;
      const state = r.connection[a.side].state;
      return {
        ...s, tick, conn: r.connection,
        ladder: [...s.ladder, { kind: 'timer', side: a.side, at: tick, timer: 'time-wait', state }],
        feedback: withFeedback(s, { kind: 'timer', side: a.side, state }),
      };
    }
  }
}

/** The cards the sandbox's diagram tries: every kind of segment a hand builds (data as ACK+PSH). */
const CANDIDATES: ReadonlyArray<{ flags: Flag[]; len: number }> = [
  { flags: ['SYN'], len: 0 },
  { flags: ['SYN', 'ACK'], len: 0 },
  { flags: ['ACK'], len: 0 },
  { flags: ['ACK', 'PSH'], len: 1 },
  { flags: ['FIN', 'ACK'], len: 0 },
  { flags: ['RST'], len: 0 },
  { flags: ['RST', 'ACK'], len: 0 },
];

/**
 * The moves the sandbox's state diagram lights for `side`: each candidate card, with the
 * numbers level 1 fills in, that the machine accepts now, and the state it leads to. From the
 * machine itself, so the drawing cannot disagree with the judge.
 */
export function sandboxMoves(conn: Connection, side: Side, isn: number): { flags: Flag[]; to: TcpState }[] {
  return CANDIDATES.flatMap(({ flags, len }) => {
    const { seq, ack } = autoNumbers(conn[side], flags, isn);
    const r = step(conn, { type: 'send', segment: { from: side, flags, seq, ack, len } });
    return r.ok ? [{ flags: [...flags], to: r.connection[side].state }] : [];
  });
}
