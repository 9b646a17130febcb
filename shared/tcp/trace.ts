/** Trace format v1 (../../../shared/protocol/trace-format.md): its schema and its replay. */
import { z } from 'zod';
import { TCP_STATES, type Connection, type ReasonCode, type Segment, type Side, type TcpEvent, type TcpState } from './types.ts';
import { initialConnection, step } from './machine.ts';
import { explainRefusal } from './reasons.ts';

import { flagSetSchema, sideSchema as side, u32Schema as u32 } from './schema.ts';

export const segmentSchema = z.strictObject({
  from: side,
  flags: flagSetSchema,
  seq: u32,
  ack: u32.default(0),
  len: z.number().int().min(0).max(0x7fffffff).default(0),
});

const expectSchema = z.strictObject({
  client: z.enum(TCP_STATES).optional(),
  server: z.enum(TCP_STATES).optional(),
  ok: z.boolean().optional(),
}).optional();

const stepSchema = z.union([
  z.strictObject({ send: segmentSchema, deliver: z.literal(false).optional(), expect: expectSchema, note: z.string().optional() }),
  z.strictObject({ deliver: side, expect: expectSchema, note: z.string().optional() }),
  z.strictObject({ drop: side, expect: expectSchema, note: z.string().optional() }),
  z.strictObject({ timeout: side, expect: expectSchema, note: z.string().optional() }),
]);

export const traceSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  initial: z.strictObject({ client: z.enum(['CLOSED', 'LISTEN']), server: z.enum(['CLOSED', 'LISTEN']) }).partial().optional(),
  steps: z.array(stepSchema),
});

export type Trace = z.infer<typeof traceSchema>;
export type TraceStep = Trace['steps'][number];

/** One line of replay output. */
export interface ReplayLine {
  step: number;
  ok: boolean;
  reason?: ReasonCode;
  message?: string;
  client: TcpState;
  server: TcpState;
}

/** Parse unknown JSON as a trace: the trace, or a one-line description of what is wrong. */
export function parseTrace(json: unknown): { ok: true; trace: Trace } | { ok: false; error: string } {
  const r = traceSchema.safeParse(json);
  if (r.success) return { ok: true, trace: r.data };
  const issue = r.error.issues[0];
  const where = issue ? issue.path.join('.') || '(top level)' : '(top level)';
  return { ok: false, error: `not a valid trace: ${where}: ${issue?.message ?? 'invalid'}` };
}

/** The machine events one trace step stands for. */
export function traceStepEvents(s: TraceStep): TcpEvent[] {
  if ('send' in s) {
    const seg = s.send as Segment;
    return s.deliver === false ? [{ type: 'send', segment: seg }] : [{ type: 'send', segment: seg }, { type: 'deliver', from: seg.from }];
  }
  if ('deliver' in s) return [{ type: 'deliver', from: s.deliver as Side }];
  if ('drop' in s) return [{ type: 'drop', from: s.drop as Side }];
  return [{ type: 'timeout', side: s.timeout as Side }];
}

/** Run a trace through the state machine: one line per step, as the replay command prints. */
export function replayTrace(trace: Trace): { lines: ReplayLine[]; connection: Connection } {
  let conn = initialConnection(trace.initial ?? {});
  const lines: ReplayLine[] = [];
  trace.steps.forEach((s, i) => {
    let next = conn;
    let refusal: { code: ReasonCode; message: string } | null = null;
    for (const ev of traceStepEvents(s)) {
      const r = step(next, ev);
      if (!r.ok) { refusal = { code: r.code, message: explainRefusal(r.code, r.facts) }; break; }
      next = r.connection;
    }
    // An illegal step leaves both states as they were.
    if (refusal === null) conn = next;
    lines.push(refusal === null
      ? { step: i, ok: true, client: conn.client.state, server: conn.server.state }
      : { step: i, ok: false, reason: refusal.code, message: refusal.message, client: conn.client.state, server: conn.server.state });
  });
  return { lines, connection: conn };
}
