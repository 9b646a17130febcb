import { describe, expect, it } from 'vitest';
import { initialConnection } from '../tcp/machine.ts';
import type { Connection, Side } from '../tcp/types.ts';
import { QUIZ_BANK } from './bank.ts';
import { establishedWith, sendAndDeliver } from './drive.ts';
import { QUIZ_PRESETS, presetQuestions, questionById, selectQuestions } from './quiz.ts';
import { OPTION_IDS, QUIZ_TOPICS, type Localized, type OrderQuestion, type PlannedSegment, type QuizQuestion } from './types.ts';

const texts = (q: QuizQuestion): Localized[] => [
  q.prompt, q.explanation,
  ...(q.kind === 'single' || q.kind === 'multi' ? q.options.map((o) => o.text) : []),
  ...(q.kind === 'order' ? q.items.map((o) => o.text) : []),
];
const both = (t: Localized) => `${t.en}\n${t['zh-CN']}`;
const allText = (q: QuizQuestion) => texts(q).map(both).join('\n');
const inTopic = (topic: QuizQuestion['topic']) => QUIZ_BANK.filter((q) => q.topic === topic);

describe('the quiz bank: shape', () => {
  it('has at least 40 questions with unique ids', () => {
    expect(QUIZ_BANK.length).toBeGreaterThanOrEqual(40);
    expect(new Set(QUIZ_BANK.map((q) => q.id)).size).toBe(QUIZ_BANK.length);
  });

  it('every prompt, option, item and explanation is non-empty in English and Simplified Chinese', () => {
    for (const q of QUIZ_BANK) {
      for (const t of texts(q)) {
        expect(Object.keys(t).sort(), q.id).toEqual(['en', 'zh-CN']);
        expect(t.en.trim(), q.id).not.toBe('');
        expect(t['zh-CN'].trim(), q.id).not.toBe('');
      }
      // The Chinese prompt and explanation are written in Chinese, not copied from the English.
      expect(q.prompt['zh-CN'], q.id).toMatch(/[\u4e00-\u9fff]/);
      expect(q.explanation['zh-CN'], q.id).toMatch(/[\u4e00-\u9fff]/);
      // A worked explanation: a few sentences, not a word.
      expect(q.explanation.en.length, q.id).toBeGreaterThan(80);
    }
  });

  it('levels are 1–3 and topics are known', () => {
    for (const q of QUIZ_BANK) {
      expect([1, 2, 3], q.id).toContain(q.level);
      expect(QUIZ_TOPICS, q.id).toContain(q.topic);
    }
  });

  it('options and items have stable ids a, b, c, … in order, and distinct texts', () => {
    for (const q of QUIZ_BANK) {
      const opts = q.kind === 'single' || q.kind === 'multi' ? q.options : q.kind === 'order' ? q.items : [];
      expect(opts.length, q.id).toBeGreaterThanOrEqual(q.kind === 'order' ? 3 : 2);
      expect(opts.map((o) => o.id), q.id).toEqual(OPTION_IDS.slice(0, opts.length));
      expect(new Set(opts.map((o) => o.text.en)).size, q.id).toBe(opts.length);
      expect(new Set(opts.map((o) => o.text['zh-CN'])).size, q.id).toBe(opts.length);
    }
  });

  it('single has exactly one correct option, multi at least two and at least one wrong, and says so in its prompt', () => {
    for (const q of QUIZ_BANK) {
      if (q.kind === 'single') {
        expect(q.options.filter((o) => o.id === q.correct), q.id).toHaveLength(1);
      } else if (q.kind === 'multi') {
        const ids = q.options.map((o) => o.id);
        expect(q.correct.length, q.id).toBeGreaterThanOrEqual(2);
        expect(q.correct.length, q.id).toBeLessThan(q.options.length);
        expect(new Set(q.correct).size, q.id).toBe(q.correct.length);
        for (const id of q.correct) expect(ids, q.id).toContain(id);
        expect(q.prompt.en, q.id).toContain('Choose all that apply');
        expect(q.prompt['zh-CN'], q.id).toContain('多选');
      }
    }
  });

  it('the correct answer of a single question is not always in the same place', () => {
    const places = new Set(QUIZ_BANK.flatMap((q) => (q.kind === 'single' ? [q.correct] : [])));
    expect(places.size).toBeGreaterThanOrEqual(3);
  });

  it('order answers are permutations of the items', () => {
    for (const q of QUIZ_BANK) {
      if (q.kind !== 'order') continue;
      expect([...q.answer].sort(), q.id).toEqual(q.items.map((i) => i.id).sort());
    }
  });

  it('no text leans on colour or position to tell options apart', () => {
    const colour = /\b(red|green|blue|yellow|orange|purple|colou?r)\b|\b(on|to) the (left|right)\b|红色|绿色|蓝色|黄色|颜色|左边|右边|上面|下面/i;
    for (const q of QUIZ_BANK) for (const t of texts(q)) expect(both(t), q.id).not.toMatch(colour);
  });

  it('has every kind of fixed question', () => {
    expect(new Set(QUIZ_BANK.map((q) => q.kind))).toEqual(new Set(['single', 'multi', 'order']));
  });
});

describe('the quiz bank: coverage', () => {
  it('covers every topic, each with at least two questions', () => {
    for (const t of QUIZ_TOPICS) expect(inTopic(t).length, t).toBeGreaterThanOrEqual(2);
  });

  it('teaches the three-segment teardown (ACK and FIN in one FIN+ACK) beside the four-segment one', () => {
    const td = inTopic('teardown').map(allText).join('\n');
    expect(td).toContain('FIN+ACK');
    expect(td).toMatch(/three segments/);
    expect(td).toMatch(/four/i);
    expect(td).toContain('四次挥手');
    expect(td).toContain('三个报文段');
  });

  it('says what TIME_WAIT is for and who enters it', () => {
    const tw = inTopic('time-wait').map(allText).join('\n');
    expect(tw).toMatch(/final ACK is lost/);
    expect(tw).toMatch(/old duplicate/);
    expect(tw).toMatch(/first FIN/);
    expect(tw).toContain('2MSL');
    // Not always the client: the server-closes-first case is asked.
    expect(questionById('tw-server-first')).toMatchObject({ kind: 'single', correct: 'b' });
  });

  it('asks about CLOSE_WAIT, LAST_ACK, CLOSING and RST', () => {
    expect(inTopic('close-wait').map(allText).join('\n')).toMatch(/LAST_ACK/);
    expect(inTopic('simultaneous-close').map(allText).join('\n')).toMatch(/CLOSING/);
    expect(inTopic('rst').map(allText).join('\n')).toMatch(/refused/);
  });

  it('teaches HTTP/1.1 persistence (Connection: close, HTTP/1.0) and the WebSocket upgrade (101 on the same connection)', () => {
    const http = inTopic('http').map(allText).join('\n');
    expect(http).toContain('Connection: close');
    expect(http).toContain('HTTP/1.0');
    expect(http).toMatch(/many requests/);
    const ws = inTopic('websocket').map(allText).join('\n');
    expect(ws).toContain('101 Switching Protocols');
    expect(ws).toContain('Upgrade');
    expect(ws).toMatch(/same TCP connection/);
  });

  it('half-close questions teach that data still flows towards the end that sent FIN', () => {
    const hc = inTopic('half-close');
    expect(hc.length).toBeGreaterThanOrEqual(3);
    expect(hc.map(allText).join('\n')).toMatch(/Data keeps flowing/);
    expect(hc.map(allText).join('\n')).toContain('数据仍然从服务器流向客户端');
  });

  it('keeps TCP state names in English in the Chinese texts', () => {
    for (const q of QUIZ_BANK) {
      for (const t of texts(q)) {
        const en = t.en.match(/\b[A-Z]+(?:_[A-Z0-9]+)+\b/g) ?? [];
        for (const state of en) expect(t['zh-CN'], `${q.id}: ${state}`).toContain(state);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------
// The classroom material says no data can flow during a teardown. It can (half-close).
// ---------------------------------------------------------------------------------------

const TEARDOWN_WORDS = /teardown|clos|FIN|挥手|释放|关闭/i;
const NO_DATA_CLAIMS: RegExp[] = [
  /\bno (more )?data\b/i,
  /\bnothing (can|may) (be sent|flow)/i,
  /\bdata (can ?not|can't|cannot|may not|does not|doesn't|no longer) (flow|be sent|be transferred|be exchanged|travel)/i,
  /\b(can ?not|can't|cannot|may not) (send|transfer|exchange) (any )?data\b/i,
  /没有数据/, /不(能|再|可以)(再)?(传输|传送|发送|收发|交换)(任何)?数据/, /无法(传输|传送|发送|收发)数据/,
  /数据(不能|无法|不再|不可以)/, /停止(传输|发送|收发)数据/,
];
/** A text that says data cannot flow while a connection closes. */
const claimsNoDataInTeardown = (s: string): boolean => TEARDOWN_WORDS.test(s) && NO_DATA_CLAIMS.some((re) => re.test(s));

describe('the bank never claims that no data can flow during a teardown', () => {
  it('the detector catches the wrong claim in both languages (so the test below can fail)', () => {
    for (const wrong of [
      'No data flows during the teardown.',
      'Once a FIN is sent, data cannot flow in either direction.',
      'During the four-way teardown the server cannot send any data.',
      '四次挥手期间不能传输数据。',
      '挥手过程中没有数据传输。',
      '发送 FIN 之后，双方都不再发送数据。',
      '连接释放时数据不能再流动。',
    ]) expect(claimsNoDataInTeardown(wrong), wrong).toBe(true);
    expect(claimsNoDataInTeardown('Data keeps flowing from the server to the client during the teardown.')).toBe(false);
  });

  it('no prompt, option or explanation makes it', () => {
    const bad = QUIZ_BANK.flatMap((q) => texts(q).flatMap((t) => [t.en, t['zh-CN']]).filter(claimsNoDataInTeardown).map((s) => `${q.id}: ${s}`));
    expect(bad).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
// Order questions of segments are replayed through the machine
// ---------------------------------------------------------------------------------------

const ISN: Record<Side, number> = { client: 4294967000, server: 77 };

function startOf(q: OrderQuestion): Connection {
  if (q.replay?.start !== 'established') return initialConnection();
  const e = establishedWith(ISN);
  if (!e.ok) throw new Error(`handshake refused: ${e.code}`);
  return e.connection;
}
const planned = (q: OrderQuestion, order: readonly string[]): PlannedSegment[] =>
  order.map((id) => {
    const s = q.replay?.segments[id as keyof NonNullable<OrderQuestion['replay']>['segments']];
    if (!s) throw new Error(`${q.id}: item ${id} has no segment`);
    return s;
  });

describe('order questions of segments, replayed through the machine', () => {
  const orders = QUIZ_BANK.filter((q): q is OrderQuestion => q.kind === 'order');
  const replayed = orders.filter((q) => q.replay);

  it('every handshake and teardown order question has a replay covering all its items', () => {
    const need = orders.filter((q) => q.topic === 'handshake' || q.topic === 'teardown');
    expect(need.length).toBeGreaterThanOrEqual(3);
    for (const q of need) {
      expect(q.replay, q.id).toBeDefined();
      expect(Object.keys(q.replay?.segments ?? {}).sort(), q.id).toEqual(q.items.map((i) => i.id).sort());
    }
  });

  it.each(replayed.map((q) => [q.id, q] as const))('%s: in the answer order every segment is accepted, ending where the question says', (_id, q) => {
    const r = sendAndDeliver(startOf(q), planned(q, q.answer), ISN);
    expect(r.ok ? 'accepted' : `segment ${r.index} (${q.answer[r.index]}): ${r.code}`).toBe('accepted');
    if (r.ok) {
      expect(r.connection.client.state).toBe(q.replay?.end.client);
      expect(r.connection.server.state).toBe(q.replay?.end.server);
    }
  });

  it.each(replayed.map((q) => [q.id, q] as const))('%s: the reverse order does not replay', (_id, q) => {
    expect(sendAndDeliver(startOf(q), planned(q, [...q.answer].reverse()), ISN).ok).toBe(false);
  });
});

describe('presets and selection', () => {
  it('every preset names 5–10 distinct questions of the bank', () => {
    expect(Object.keys(QUIZ_PRESETS)).toEqual(expect.arrayContaining(['handshake-basics', 'teardown', 'http-websocket', 'mixed']));
    for (const [name, ids] of Object.entries(QUIZ_PRESETS)) {
      expect(ids.length, name).toBeGreaterThanOrEqual(5);
      expect(ids.length, name).toBeLessThanOrEqual(10);
      expect(new Set(ids).size, name).toBe(ids.length);
      for (const id of ids) expect(questionById(id), `${name}: ${id}`).toBeDefined();
    }
    expect(presetQuestions('teardown').map((q) => q.id)).toEqual(QUIZ_PRESETS.teardown);
  });

  it('selects by topic and by level, in bank order', () => {
    const tw = selectQuestions({ topics: ['time-wait'] });
    expect(tw.length).toBeGreaterThan(0);
    expect(tw.every((q) => q.topic === 'time-wait')).toBe(true);
    const easy = selectQuestions({ levels: [1] });
    expect(easy.every((q) => q.level === 1)).toBe(true);
    const both = selectQuestions({ topics: ['handshake', 'states'], levels: [1, 2] });
    expect(both.every((q) => ['handshake', 'states'].includes(q.topic) && q.level <= 2)).toBe(true);
    expect(selectQuestions()).toEqual([...QUIZ_BANK]);
    expect(selectQuestions({ topics: [] })).toEqual([]);
    for (const level of [1, 2, 3] as const) expect(selectQuestions({ levels: [level] }).length, `level ${level}`).toBeGreaterThanOrEqual(5);
  });
});
