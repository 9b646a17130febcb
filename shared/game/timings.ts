/**
 * The rule the server's timers must keep for TIME_WAIT to mean what it means in real TCP:
 * 2MSL is far longer than a retransmission timeout. In lost final ACK the server's FIN is
 * retransmitted one RTO after it was sent and needs one wire trip to reach the client, whose
 * ACK needs another; the client must still be in TIME_WAIT to answer it. Real stacks wait
 * 60 s against an RTO of about 1 s. The rule asks for twice that worst case, so a slow
 * student still answers from TIME_WAIT: 2MSL ≥ 2 × (RTO + 2 × latency).
 */

/** The server's three wire and TCP timings, in ms. */
export interface Timings { latencyMs: number; rtxMs: number; timeWaitMs: number }

/** The range a room's timings may be set within (the host screen's timers), in ms. */
export const TIMING_LIMITS = {
  latencyMs: { min: 0, max: 10_000 },
  rtxMs: { min: 200, max: 120_000 },
  timeWaitMs: { min: 1_000, max: 600_000 },
} as const satisfies Record<keyof Timings, { min: number; max: number }>;

/** The smallest 2MSL the rule allows with this latency and retransmission timeout. */
export const minTimeWaitMs = (t: Pick<Timings, 'latencyMs' | 'rtxMs'>): number => 2 * (t.rtxMs + 2 * t.latencyMs);

/** Null when the timings keep the rule; otherwise one line that says what is wrong and what would be right. */
export function timeWaitProblem(t: Timings): string | null {
  const min = minTimeWaitMs(t);
  if (t.timeWaitMs >= min) return null;
  return `TIME_WAIT_MS ${t.timeWaitMs} is too short for RTX_MS ${t.rtxMs} and WIRE_LATENCY_MS ${t.latencyMs}: `
    + `2MSL must be at least 2 × (RTO + 2 × latency) = ${min} ms, or a retransmitted FIN finds the client already CLOSED `
    + `(lost final ACK rounds are refused until it is)`;
}
