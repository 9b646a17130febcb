/**
 * The quiz's shapes: a question is one of four kinds (single, multi, order, number), each
 * with a topic, a level, and its prompt and worked explanation in English and Simplified
 * Chinese. What a student may see before the reveal is `PublicQuestion` (see quiz.ts).
 */
import type { Flag, Side, TcpState } from '../tcp/types.ts';
import type { Localized } from '../game/views.ts';

export type { Localized };

/** What a question is about; every topic is covered by the bank (bank.test.ts). */
export const QUIZ_TOPICS = [
  'handshake', 'teardown', 'states', 'close-wait', 'time-wait', 'simultaneous-open',
  'simultaneous-close', 'rst', 'half-close', 'seq-ack', 'http', 'websocket',
] as const;
export type QuizTopic = (typeof QUIZ_TOPICS)[number];

/** 1 easy, 2 needs the rule, 3 needs the rule and its corner cases. */
export type QuizLevel = 1 | 2 | 3;
export const QUIZ_LEVELS: readonly QuizLevel[] = [1, 2, 3];

/** Stable option ids, in display order. */
export const OPTION_IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] as const;
export type OptionId = (typeof OPTION_IDS)[number];

/** One choice (or one item to put in order); its text stands on its own (no colours, no positions). */
export interface QuizOption {
  id: OptionId;
  text: Localized;
}

interface QuestionBase {
  /** Unique within the bank; generated number questions carry their parameters in it. */
  id: string;
  topic: QuizTopic;
  level: QuizLevel;
  prompt: Localized;
  /** The worked explanation shown at the reveal. */
  explanation: Localized;
}

export interface SingleQuestion extends QuestionBase {
  kind: 'single';
  options: QuizOption[];
  correct: OptionId;
}

export interface MultiQuestion extends QuestionBase {
  kind: 'multi';
  options: QuizOption[];
  /** At least two; the answer must be exactly this set. */
  correct: OptionId[];
}

/** One segment of an order question, sent with the numbers a correct endpoint uses and delivered at once. */
export interface PlannedSegment {
  from: Side;
  flags: Flag[];
  len?: number;
}

/** How an order question of segments is checked against the machine (bank.test.ts replays it). */
export interface OrderReplay {
  /** 'listen': client CLOSED, server LISTEN; 'established': after a handshake. */
  start: 'listen' | 'established';
  /** The segment each item stands for. */
  segments: Partial<Record<OptionId, PlannedSegment>>;
  /** Where both ends are once every segment arrived. */
  end: { client: TcpState; server: TcpState };
}

export interface OrderQuestion extends QuestionBase {
  kind: 'order';
  items: QuizOption[];
  /** The item ids in the right order: a permutation of the items. */
  answer: OptionId[];
  replay?: OrderReplay;
}

/** The kinds of generated number questions (numbers.ts). */
export const NUMBER_KINDS = [
  'synack-ack', 'handshake-ack', 'data-ack', 'server-data-ack', 'fin-seq', 'fin-ack',
] as const;
export type NumberKind = (typeof NUMBER_KINDS)[number];

/** The parameters a number question was built from. */
export interface NumberParams {
  clientIsn: number;
  serverIsn: number;
  /** Payload bytes in the data segment (1–1460); 0 for kinds without one. */
  len: number;
}

export interface NumberQuestion extends QuestionBase {
  kind: 'number';
  numberKind: NumberKind;
  params: NumberParams;
  /** An unsigned 32-bit integer, read from the segment the machine accepted. */
  answer: number;
}

export type QuizQuestion = SingleQuestion | MultiQuestion | OrderQuestion | NumberQuestion;
export type QuizKind = QuizQuestion['kind'];

/** What a student sees before the reveal: no answer, no explanation. */
export type PublicQuestion =
  | { id: string; kind: 'single' | 'multi'; topic: QuizTopic; level: QuizLevel; prompt: Localized; options: QuizOption[] }
  | { id: string; kind: 'order'; topic: QuizTopic; level: QuizLevel; prompt: Localized; items: QuizOption[] }
  | { id: string; kind: 'number'; topic: QuizTopic; level: QuizLevel; prompt: Localized };
