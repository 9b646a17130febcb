/**
 * What the quiz does with a question: the censored copy a student sees before the reveal,
 * the check of an answer, the teacher's named presets, and selection by topic and level.
 * Answers may come from untyped JSON: a malformed one is simply not correct, never thrown on.
 */
import { isU32 } from '../tcp/seq.ts';
import { QUIZ_BANK } from './bank.ts';
import type { OptionId, PublicQuestion, QuizLevel, QuizOption, QuizQuestion, QuizTopic } from './types.ts';

/** Fisher–Yates with the random passed in; never the original order when there are two or more items. */
function shuffledAwayFrom(items: readonly QuizOption[], answer: readonly OptionId[], random: () => number): QuizOption[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(random() * (i + 1)));
    [out[i], out[j]] = [out[j] as QuizOption, out[i] as QuizOption];
  }
  // Shown in the answer order, the question would answer itself: rotate by one instead.
  if (out.length > 1 && out.every((o, i) => o.id === answer[i])) out.push(out.shift() as QuizOption);
  return out;
}

const copyOption = (o: QuizOption): QuizOption => ({ id: o.id, text: { en: o.text.en, 'zh-CN': o.text['zh-CN'] } });

/** What a student may see before the reveal: prompt, options (order items shuffled by `random`), kind, topic, level; no answer, no explanation. */
export function publicQuestion(q: QuizQuestion, random: () => number): PublicQuestion {
  const head = { id: q.id, topic: q.topic, level: q.level, prompt: { en: q.prompt.en, 'zh-CN': q.prompt['zh-CN'] } };
  switch (q.kind) {
    case 'single':
    case 'multi':
      return { ...head, kind: q.kind, options: q.options.map(copyOption) };
    case 'order':
      return { ...head, kind: 'order', items: shuffledAwayFrom(q.items, q.answer, random).map(copyOption) };
    case 'number':
      return { ...head, kind: 'number' };
    default: {
      const never: never = q;
      throw new Error(`unknown question kind ${String((never as { kind: unknown }).kind)}`);
    }
  }
}

const isStringArray = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');

/** True when `answer` is right: single the one id, multi exactly the right set, order the exact order, number the exact u32. */
export function checkAnswer(q: QuizQuestion, answer: unknown): boolean {
  switch (q.kind) {
    case 'single':
      return answer === q.correct;
    case 'multi': {
      if (!isStringArray(answer)) return false;
      const given = new Set(answer);
      return given.size === answer.length && given.size === q.correct.length && q.correct.every((id) => given.has(id));
    }
    case 'order':
      return isStringArray(answer) && answer.length === q.answer.length && answer.every((id, i) => id === q.answer[i]);
    case 'number':
      return isU32(answer) && answer === q.answer;
    default: {
      const never: never = q;
      return Boolean(never);
    }
  }
}

/** Named sets of fixed questions a teacher can run between rounds (5–10 each). */
export const QUIZ_PRESETS = {
  'handshake-basics': ['hs-first-segment', 'hs-answer-to-syn', 'hs-count', 'hs-order', 'st-client-after-syn', 'st-server-after-synack', 'st-server-established', 'sa-syn-counts'],
  'teardown': ['td-first-segment', 'td-four', 'td-three', 'td-order-four', 'td-order-three', 'cw-meaning', 'cw-last-ack', 'tw-why', 'tw-who'],
  'half-close-and-time-wait': ['hc-server-still-sends', 'hc-direction', 'hc-close-wait-may', 'tw-why', 'tw-who', 'tw-lost-ack', 'tw-server-first'],
  'http-websocket': ['http-many-requests', 'http-close', 'http-10', 'http-facts', 'ws-upgrade', 'ws-status', 'ws-same-connection', 'ws-order'],
  'mixed': ['hs-order', 'st-server-after-synack', 'td-three', 'tw-who', 'hc-server-still-sends', 'sc-closing', 'rst-closed-port', 'sa-fin-counts', 'http-many-requests', 'ws-upgrade'],
} as const satisfies Record<string, readonly string[]>;
export type QuizPresetId = keyof typeof QUIZ_PRESETS;

const BY_ID: ReadonlyMap<string, QuizQuestion> = new Map(QUIZ_BANK.map((q) => [q.id, q]));

/** The fixed question with this id, or undefined. */
export function questionById(id: string): QuizQuestion | undefined {
  return BY_ID.get(id);
}

/** The questions of a preset, in the preset's order. */
export function presetQuestions(id: QuizPresetId): QuizQuestion[] {
  return QUIZ_PRESETS[id].map((qid) => {
    const q = BY_ID.get(qid);
    // bank.test.ts checks every preset id exists, so this cannot happen in a tested build.
    if (!q) throw new Error(`preset ${id}: no question ${qid}`);
    return q;
  });
}

/** The fixed questions on any of these topics and at any of these levels (a missing filter allows all), in bank order. */
export function selectQuestions(filter: { topics?: readonly QuizTopic[]; levels?: readonly QuizLevel[] } = {}): QuizQuestion[] {
  return QUIZ_BANK.filter((q) =>
    (filter.topics === undefined || filter.topics.includes(q.topic)) &&
    (filter.levels === undefined || filter.levels.includes(q.level)));
}
