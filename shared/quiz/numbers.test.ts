import { describe, expect, it } from 'vitest';
import { seededRandom } from '../seeded-random.ts';
import { isU32 } from '../tcp/seq.ts';
import { MAX_LEN, buildNumberQuestion, generateNumberQuestion } from './numbers.ts';
import { publicQuestion } from './quiz.ts';
import { NUMBER_KINDS, type NumberKind, type NumberParams, type QuizLevel } from './types.ts';

/**
 * The answers again, by plain modulo-2^32 arithmetic with BigInt, independent of the machine:
 * SYN and FIN take one number each, the ack is the next byte expected.
 */
function expected(kind: NumberKind, p: NumberParams): number {
  const c = BigInt(p.clientIsn);
  const s = BigInt(p.serverIsn);
  const n = BigInt(p.len);
  const v = {
    'synack-ack': c + 1n,
    'handshake-ack': s + 1n,
    'data-ack': c + 1n + n,
    'server-data-ack': s + 1n + n,
    'fin-seq': c + 1n + n,
    'fin-ack': c + 1n + n + 1n,
  }[kind];
  return Number(v % 2n ** 32n);
}

/** The ISN the kind counts from. */
const baseIsn = (kind: NumberKind, p: NumberParams) => (kind === 'handshake-ack' || kind === 'server-data-ack' ? p.serverIsn : p.clientIsn);
const hasData = (kind: NumberKind) => kind !== 'synack-ack' && kind !== 'handshake-ack';

const LEVELS: QuizLevel[] = [1, 2, 3];

describe('generated number questions', () => {
  it('agree with independent modulo-2^32 arithmetic, for every kind and level over many seeds', () => {
    for (const kind of NUMBER_KINDS) {
      for (const level of LEVELS) {
        for (let seed = 0; seed < 150; seed++) {
          const q = generateNumberQuestion(kind, seededRandom(seed * 7919 + level), level);
          expect(isU32(q.answer)).toBe(true);
          expect(q.answer, `${kind} L${level} seed ${seed} ${JSON.stringify(q.params)}`).toBe(expected(kind, q.params));
          expect(q).toMatchObject({ kind: 'number', numberKind: kind, level, topic: 'seq-ack' });
          if (hasData(kind)) {
            expect(q.params.len).toBeGreaterThanOrEqual(1);
            expect(q.params.len).toBeLessThanOrEqual(MAX_LEN);
          } else {
            expect(q.params.len).toBe(0);
          }
        }
      }
    }
  });

  it('never repeat an (ISN, length) pair within a run of 20, over many seeds', () => {
    for (const level of LEVELS) {
      for (let seed = 0; seed < 100; seed++) {
        const random = seededRandom(seed + 1000 * level);
        const seen = new Set<string>();
        for (let i = 0; i < 20; i++) {
          const kind = NUMBER_KINDS[i % NUMBER_KINDS.length] as NumberKind;
          const q = generateNumberQuestion(kind, random, level);
          const pair = `${baseIsn(kind, q.params)}/${q.params.len}`;
          expect(seen.has(pair), `level ${level} seed ${seed} question ${i}: ${pair} again`).toBe(false);
          seen.add(pair);
        }
      }
    }
  });

  it('draw ISNs across the whole 32-bit range at level 3, including just below 2^32, so answers wrap', () => {
    const isns: number[] = [];
    let wrapped = 0;
    for (let seed = 0; seed < 400; seed++) {
      const kind = NUMBER_KINDS[seed % NUMBER_KINDS.length] as NumberKind;
      const q = generateNumberQuestion(kind, seededRandom(seed), 3);
      isns.push(q.params.clientIsn, q.params.serverIsn);
      if (hasData(kind) && q.answer < baseIsn(kind, q.params)) wrapped++;
      expect(q.prompt.en).toContain('modulo 2^32');
    }
    expect(isns.filter((x) => x >= 2 ** 32 - MAX_LEN).length).toBeGreaterThan(100);
    expect(isns.filter((x) => x < 2 ** 31).length).toBeGreaterThan(20);
    expect(isns.filter((x) => x >= 2 ** 31 && x < 2 ** 32 - 2 ** 20).length).toBeGreaterThan(20);
    expect(wrapped).toBeGreaterThan(40);
  });

  it('keep ISNs small at levels 1 and 2', () => {
    for (let seed = 0; seed < 100; seed++) {
      expect(generateNumberQuestion('fin-ack', seededRandom(seed), 1).params.clientIsn).toBeLessThan(10_000);
      expect(generateNumberQuestion('fin-ack', seededRandom(seed), 2).params.clientIsn).toBeLessThan(1_000_000);
    }
  });

  it('wrap exactly at the edge: the worked cases', () => {
    expect(buildNumberQuestion('synack-ack', { clientIsn: 4294967295, serverIsn: 1, len: 0 }, 3).answer).toBe(0);
    // The brief's example: ISN 4294967290, SYN then 10 bytes: the server acks 5.
    expect(buildNumberQuestion('data-ack', { clientIsn: 4294967290, serverIsn: 1, len: 10 }, 3).answer).toBe(5);
    expect(buildNumberQuestion('fin-seq', { clientIsn: 4294967290, serverIsn: 1, len: 5 }, 3).answer).toBe(0);
    expect(buildNumberQuestion('fin-ack', { clientIsn: 4294967290, serverIsn: 1, len: 5 }, 3).answer).toBe(1);
    expect(buildNumberQuestion('server-data-ack', { clientIsn: 1, serverIsn: 4294967295, len: 1460 }, 3).answer).toBe(1460);
    expect(buildNumberQuestion('handshake-ack', { clientIsn: 1, serverIsn: 4294967295, len: 0 }, 3).answer).toBe(0);
  });

  it('are the same for the same draws, with ids naming their parameters', () => {
    const a = generateNumberQuestion('fin-seq', seededRandom(42), 3);
    const b = generateNumberQuestion('fin-seq', seededRandom(42), 3);
    expect(a).toEqual(b);
    expect(a.id).toBe(`number/fin-seq/3/${a.params.clientIsn}/${a.params.serverIsn}/${a.params.len}`);
  });

  it('state the numbers in both languages, explain the answer, and hide it from the public view', () => {
    const q = buildNumberQuestion('data-ack', { clientIsn: 4294967290, serverIsn: 9, len: 10 }, 3);
    expect(q.prompt.en).toContain('4294967290');
    expect(q.prompt.en).toContain('10 bytes');
    expect(q.prompt['zh-CN']).toContain('4294967290');
    expect(q.explanation.en).toContain(': 5.');
    expect(q.explanation.en).toMatch(/wraps/);
    expect(q.explanation['zh-CN']).toMatch(/回绕/);
    const p = publicQuestion(q, seededRandom(1));
    expect(p).toEqual({ id: q.id, kind: 'number', topic: 'seq-ack', level: 3, prompt: q.prompt });
  });
});
