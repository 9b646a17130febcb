/**
 * The review pages' pure parts: a replay's steps as the ladder (flow graph) the student
 * table draws, each step in words (what the live region says), the replay's address with
 * its round and step, and the numbers the overview prints (durations, shares, the score
 * columns). No DOM, no fetch: the unit tests drive them with replays folded from real logs.
 */
import type { ClassReport, Replay, ReplayStep, ReplayWireSegment } from '../../../shared/review/types.ts';
import { explainIgnored, explainRefusal } from '../../../shared/tcp/reasons.ts';
import type { InFlight, Segment, Side } from '../../../shared/tcp/types.ts';
import type { Lang, Translate } from '../i18n/index.tsx';
import { endOfArrival, ladderEnded, ladderRefused, ladderSent, type LadderEntry } from './ladder.ts';
import { segmentLabel } from './segment.ts';

/** A wire segment of a replay as a segment. */
export const wireSegment = (w: ReplayWireSegment): Segment => ({ from: w.from, flags: [...w.flags], seq: w.seq, ack: w.ack, len: w.len });

/** A replay step's wire as the Wire component's lanes. */
export const wireOfStep = (step: ReplayStep): Record<Side, InFlight[]> => ({
  client: step.wire.client.map((w) => ({ id: w.id, segment: wireSegment(w) })),
  server: step.wire.server.map((w) => ({ id: w.id, segment: wireSegment(w) })),
});

/** Which timer a timeout step fired: 2MSL when the side was in TIME_WAIT, else retransmission. */
export function timerOf(steps: readonly ReplayStep[], index: number): 'rtx' | 'time-wait' | null {
  const ev = steps[index]?.event;
  const before = steps[index - 1];
  if (!ev || ev.kind !== 'timeout' || !before) return null;
  return before.endpoints[ev.side].state === 'TIME_WAIT' ? 'time-wait' : 'rtx';
}

/**
 * Steps 1…`upTo` of a replay as ladder entries, their time being the step number: a legal
 * send is an arrow that ends where it arrived or was lost, a refused one a stub, a timer a
 * note. Segment ids come from the wire (a send adds one, a delivery or loss takes the oldest).
 */
export function replayLadder(steps: readonly ReplayStep[], upTo: number): LadderEntry[] {
  let out: LadderEntry[] = [];
  const last = Math.min(upTo, steps.length - 1);
  for (let i = 1; i <= last; i++) {
    const s = steps[i]!;
    const prev = steps[i - 1]!;
    const ev = s.event;
    if (!ev) continue;
    switch (ev.kind) {
      case 'send': {
        if (s.verdict && !s.verdict.ok) { out = ladderRefused(out, ev.segment, s.verdict.code, i); break; }
        const known = new Set(prev.wire[ev.segment.from].map((w) => w.id));
        const added = s.wire[ev.segment.from].find((w) => !known.has(w.id));
        if (added) out = ladderSent(out, { id: added.id, segment: ev.segment }, i);
        break;
      }
      case 'deliver':
        if (s.arrival) out = ladderEnded(out, s.arrival.id, endOfArrival(s.arrival, i));
        break;
      case 'drop': {
        const head = prev.wire[ev.from][0];
        if (head && !s.wire[ev.from].some((w) => w.id === head.id)) out = ladderEnded(out, head.id, { at: i, outcome: 'lost' });
        break;
      }
      case 'timeout': {
        const timer = timerOf(steps, i)!;
        out = [...out, timer === 'rtx'
          ? { kind: 'timer', side: ev.side, at: i, timer }
          : { kind: 'timer', side: ev.side, at: i, timer, state: s.endpoints[ev.side].state }];
        break;
      }
    }
  }
  return out;
}

/** Who a side is in a replay: the player who moved, else the replay's name for that end, else "client"/"server". */
export function whoIs(replay: Replay, side: Side, t: Translate, step?: ReplayStep): string {
  if (step?.nickname && step.event?.kind === 'send' && step.event.segment.from === side) return step.nickname;
  return replay.names[side] || t(side === 'client' ? 'side.client' : 'side.server');
}

/** The segment an event moved: the one sent, or the head of the lane delivered from or lost. */
export function segmentOfStep(steps: readonly ReplayStep[], index: number): Segment | null {
  const s = steps[index];
  const ev = s?.event;
  if (!s || !ev) return null;
  if (ev.kind === 'send') return ev.segment;
  if (ev.kind === 'deliver' && s.arrival) return s.arrival.segment;
  if (ev.kind === 'drop') {
    const head = steps[index - 1]?.wire[ev.from][0];
    return head ? wireSegment(head) : null;
  }
  return null;
}

export type StepTone = 'start' | 'ok' | 'wrong' | 'info' | 'warn' | 'lost' | 'timer';

/** A step in words: its tone (never shown by colour alone), a one-line sentence and, for a refused or ignored segment, the rule. */
export interface StepWords {
  tone: StepTone;
  /** Legal / Refused / Arrived / Ignored / Lost / Timer / Start. */
  tag: string;
  text: string;
  explanation?: string;
  code?: string;
}

/** What happened at step `index`, in the page's language. */
export function describeStep(replay: Replay, index: number, t: Translate, lang: Lang): StepWords {
  const steps = replay.steps;
  const s = steps[index];
  if (!s || !s.event) {
    const start = steps[0]!.endpoints;
    return {
      tone: 'start', tag: t('review.tag.start'),
      text: t('review.step.start', { client: whoIs(replay, 'client', t), server: whoIs(replay, 'server', t), clientState: start.client.state, serverState: start.server.state }),
    };
  }
  const ev = s.event;
  const seg = segmentOfStep(steps, index);
  const label = seg ? segmentLabel(seg) : '';
  switch (ev.kind) {
    case 'send': {
      const who = whoIs(replay, ev.segment.from, t, s);
      if (s.verdict && !s.verdict.ok) {
        return {
          tone: 'wrong', tag: t('review.tag.refused'), code: s.verdict.code,
          text: t('review.step.refused', { who, segment: label }),
          explanation: explainRefusal(s.verdict.code, s.verdict.facts, lang),
        };
      }
      return { tone: 'ok', tag: t('review.tag.legal'), text: t('review.step.sent', { who, segment: label }) };
    }
    case 'deliver': {
      const a = s.arrival;
      if (!a) return { tone: 'info', tag: t('review.tag.arrived'), text: t('review.step.nothing') };
      const to = whoIs(replay, a.to, t);
      if (a.outcome === 'accepted') {
        return a.before === a.after
          ? { tone: 'info', tag: t('review.tag.arrived'), text: t('review.step.arrivedSame', { segment: label, to, state: a.after }) }
          : { tone: 'info', tag: t('review.tag.arrived'), text: t('review.step.arrived', { segment: label, to, before: a.before, after: a.after }) };
      }
      return {
        tone: 'warn', tag: t('review.tag.ignored'), code: a.why,
        text: t('review.step.ignored', { segment: label, to }),
        explanation: explainIgnored(a.why, a.state, lang),
      };
    }
    case 'drop': {
      const from = whoIs(replay, ev.from, t);
      const key = s.by === 'teacher' ? 'review.step.lostTeacher' : s.by === 'scenario' ? 'review.step.lostScenario' : 'review.step.lost';
      return { tone: 'lost', tag: t('review.tag.lost'), text: t(key, { segment: label, from }) };
    }
    case 'timeout': {
      const who = whoIs(replay, ev.side, t);
      return timerOf(steps, index) === 'time-wait'
        ? { tone: 'timer', tag: t('review.tag.timer'), text: t('review.step.timeWait', { who, state: s.endpoints[ev.side].state }) }
        : { tone: 'timer', tag: t('review.tag.timer'), text: t('review.step.rtx', { who }) };
    }
  }
}

/** The sentence the live region says: "Step 5 of 12: Lin sent SYN+ACK seq=1000 ack=101 — legal." */
export function stepAnnouncement(replay: Replay, index: number, t: Translate, lang: Lang): string {
  const w = describeStep(replay, index, t, lang);
  return t('review.step.of', { n: index, total: replay.steps.length - 1, what: w.text });
}

// ---------------------------------------------------------------------------------------
// Addresses
// ---------------------------------------------------------------------------------------

/** The app path of a class's overview. */
export const classPath = (code: string): string => `/review/${encodeURIComponent(code)}`;

/** The app path of a pair's replay at a round and step. */
export const replayPath = (code: string, pairId: string, round: number, step?: number): string =>
  `/review/${encodeURIComponent(code)}/pair/${encodeURIComponent(pairId)}?round=${round}${step === undefined ? '' : `&step=${step}`}`;

const wholeNumber = (raw: string | null): number | null => (raw !== null && /^\d{1,9}$/.test(raw) ? Number(raw) : null);

/** A replay address's round and step: whole numbers, or null when missing or malformed. */
export function parseReplayQuery(query: URLSearchParams): { round: number | null; step: number | null } {
  return { round: wholeNumber(query.get('round')), step: wholeNumber(query.get('step')) };
}

/** A step number kept within a replay of `steps` steps (0 … steps−1); none asked for is the start. */
export const clampStep = (step: number | null, steps: number): number => Math.max(0, Math.min(step ?? 0, Math.max(0, steps - 1)));

/** The step a key press goes to, or null when the key does not step. */
export function stepForKey(key: string, current: number, steps: number): number | null {
  const last = Math.max(0, steps - 1);
  switch (key) {
    case 'ArrowLeft': return Math.max(0, current - 1);
    case 'ArrowRight': return Math.min(last, current + 1);
    case 'Home': return 0;
    case 'End': return last;
    default: return null;
  }
}

// ---------------------------------------------------------------------------------------
// Numbers on the overview
// ---------------------------------------------------------------------------------------

/** A duration in words: "45 s", "2 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number, t: Translate): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return t('review.duration.h', { h, m: two(m) });
  if (m > 0) return t('review.duration.m', { m, s: two(s) });
  return t('review.duration.s', { s });
}

/** legal / moves as a whole percentage, or "—" before any move. */
export const formatShare = (share: number | null): string => (share === null ? '—' : `${Math.round(share * 100)}%`);

/** Points with their sign: "+12", "−5", "0". */
export const signed = (n: number): string => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');

/**
 * The round columns of the students' table: every round of the class, and any other round
 * a student earned points in (points before the first round count under round 0), in order,
 * so that the columns of a row add up to its total.
 */
export function scoreColumns(report: ClassReport): string[] {
  const cols = new Set(report.rounds.map((r) => String(r.number)));
  for (const s of report.students) for (const k of Object.keys(s.scoreByRound)) cols.add(k);
  return [...cols].sort((a, b) => Number(a) - Number(b));
}

/** The class's points per round column and in all, the sums of the students' rows. */
export function scoreTotals(report: ClassReport): { byRound: Record<string, number>; total: number } {
  const byRound: Record<string, number> = {};
  let total = 0;
  for (const s of report.students) {
    total += s.score;
    for (const [k, v] of Object.entries(s.scoreByRound)) byRound[k] = (byRound[k] ?? 0) + v;
  }
  return { byRound, total };
}

/** The file name a download's Content-Disposition gives, else the fallback. */
export function downloadName(contentDisposition: string | null, fallback: string): string {
  if (!contentDisposition) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(contentDisposition);
  if (star) {
    try { return sanitizeName(decodeURIComponent(star[1]!.trim().replace(/^"|"$/g, ''))) || fallback; } catch { /* fall through */ }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/i.exec(contentDisposition);
  const name = plain ? (plain[2] ?? plain[1]!).trim() : '';
  return sanitizeName(name) || fallback;
}

/** No directories, no control characters. */
const sanitizeName = (name: string): string => name.replace(/[\\/]/g, '_').replace(/\p{Cc}/gu, '').trim();
