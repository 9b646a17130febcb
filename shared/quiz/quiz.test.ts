import { describe, expect, it } from 'vitest';
import { seededRandom } from '../seeded-random.ts';
import { QUIZ_BANK } from './bank.ts';
import { generateNumberQuestion } from './numbers.ts';
import { checkAnswer, publicQuestion, questionById } from './quiz.ts';
import type { MultiQuestion, OrderQuestion, QuizQuestion, SingleQuestion } from './types.ts';

const SECRET_KEYS = ['correct', 'answer', 'explanation', 'replay', 'params', 'numberKind'];

/** Every key anywhere in a JSON value. */
function keysDeep(x: unknown): string[] {
  if (Array.isArray(x)) return x.flatMap(keysDeep);
  if (x !== null && typeof x === 'object') return Object.entries(x).flatMap(([k, v]) => [k, ...keysDeep(v)]);
  return [];
}

const get = <T extends QuizQuestion>(id: string): T => {
  const q = questionById(id);
  if (!q) throw new Error(`no question ${id}`);
  return q as T;
};

describe('publicQuestion', () => {
  const withNumbers: QuizQuestion[] = [...QUIZ_BANK, generateNumberQuestion('fin-ack', seededRandom(1), 3)];

  it('carries no answer and no explanation, for every question', () => {
    for (const q of withNumbers) {
      const json = JSON.stringify(publicQuestion(q, seededRandom(7)));
      const keys = keysDeep(JSON.parse(json));
      for (const k of SECRET_KEYS) expect(keys, `${q.id}: ${k}`).not.toContain(k);
      expect(json, q.id).not.toContain(q.explanation.en);
      expect(keys.sort(), q.id).toEqual(expect.arrayContaining(['id', 'kind', 'topic', 'level', 'prompt']));
    }
  });

  it('keeps the prompt and, for single and multi, the options in their stable order', () => {
    const q = get<SingleQuestion>('hs-first-segment');
    const p = publicQuestion(q, seededRandom(1));
    expect(p).toEqual({ id: q.id, kind: 'single', topic: q.topic, level: q.level, prompt: q.prompt, options: q.options });
  });

  it('shows order items shuffled, never in the answer order, for many seeds', () => {
    const orders = QUIZ_BANK.filter((q): q is OrderQuestion => q.kind === 'order');
    for (const q of orders) {
      const seen = new Set<string>();
      for (let seed = 0; seed < 200; seed++) {
        const p = publicQuestion(q, seededRandom(seed));
        if (p.kind !== 'order') throw new Error('not an order question');
        const shown = p.items.map((i) => i.id);
        expect(shown, `${q.id} seed ${seed}`).not.toEqual(q.answer);
        expect([...shown].sort(), q.id).toEqual(q.items.map((i) => i.id).sort());
        for (const item of p.items) expect(item.text, q.id).toEqual(q.items.find((i) => i.id === item.id)?.text);
        seen.add(shown.join(''));
      }
      // Shuffled, not merely rotated: several orders appear.
      expect(seen.size, q.id).toBeGreaterThan(1);
    }
  });

  it('does not share objects with the bank (a caller editing its copy changes nothing)', () => {
    const q = get<SingleQuestion>('hs-count');
    const p = publicQuestion(q, seededRandom(3));
    if (p.kind !== 'single') throw new Error('kind');
    (p.options[0] as { text: { en: string } }).text.en = 'changed';
    expect(q.options[0]?.text.en).toBe('Four');
  });
});

describe('checkAnswer', () => {
  it('single: only the correct id', () => {
    const q = get<SingleQuestion>('st-server-after-synack');
    expect(checkAnswer(q, 'c')).toBe(true);
    for (const wrong of ['a', 'b', 'd', ['c'], null, undefined, 3, 'C']) expect(checkAnswer(q, wrong)).toBe(false);
  });

  it('multi: exactly the right set, in any order', () => {
    const q = get<MultiQuestion>('td-fin-facts');
    expect(q.correct).toEqual(['a', 'b', 'd']);
    expect(checkAnswer(q, ['a', 'b', 'd'])).toBe(true);
    expect(checkAnswer(q, ['d', 'a', 'b'])).toBe(true);
    for (const wrong of [['a', 'b'], ['a', 'b', 'c', 'd'], ['a', 'b', 'd', 'd'], ['a', 'a', 'b'], 'abd', [], [1, 2, 4], null]) {
      expect(checkAnswer(q, wrong), JSON.stringify(wrong)).toBe(false);
    }
  });

  it('order: the exact order only', () => {
    const q = get<OrderQuestion>('td-order-four');
    expect(checkAnswer(q, ['c', 'd', 'a', 'b'])).toBe(true);
    for (const wrong of [['c', 'a', 'd', 'b'], ['c', 'd', 'a'], ['c', 'd', 'a', 'b', 'b'], 'cdab', null]) {
      expect(checkAnswer(q, wrong), JSON.stringify(wrong)).toBe(false);
    }
  });

  it('number: the exact unsigned 32-bit value only', () => {
    const q = generateNumberQuestion('data-ack', seededRandom(11), 3);
    expect(checkAnswer(q, q.answer)).toBe(true);
    for (const wrong of [q.answer + 0.5, String(q.answer), q.answer + 2 ** 32, -1, NaN, null, [q.answer], (q.answer + 1) >>> 0]) {
      expect(checkAnswer(q, wrong), String(wrong)).toBe(false);
    }
  });
});
