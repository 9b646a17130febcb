/**
 * A capture's stream in the review's replay view: the converted trace stepped through the
 * shared machine (shared/review/replay.ts `traceReplay`, as `npm run replay` judges it), each
 * segment sent marked with its frame, its time and Wireshark's relative numbers. Pure.
 */
import { traceReplay } from '../review/replay.ts';
import type { Replay } from '../review/types.ts';
import type { StreamTrace } from './to-trace.ts';

/** The replay of a converted stream; `ignored` is left for the caller to word (the notes' codes are in `stream.ignored`). */
export function streamReplay(stream: StreamTrace, title: string): Replay {
  const replay = traceReplay(stream.trace, { client: stream.client, server: stream.server });
  const bySendStep = new Map(stream.segments.filter((s) => s.step !== null).map((s) => [s.step!, s]));
  for (const step of replay.steps) {
    if (step.event?.kind !== 'send' || step.traceStep === undefined) continue;
    const seg = bySendStep.get(step.traceStep);
    if (!seg) continue;
    step.relative = { seq: seg.relSeq, ack: seg.relAck ?? 0 };
    step.packet = { number: seg.frame, timeUs: Math.round((seg.time ?? 0) * 1e6) };
  }
  return { ...replay, title };
}
