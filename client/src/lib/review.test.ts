import { describe, expect, it } from 'vitest';
import type { Actor, LogEntry, RoomEvent } from '../../../shared/game/model.ts';
import { RoomSim } from '../../../shared/game/sim.ts';
import { pairRoundReplay, traceReplay } from '../../../shared/review/replay.ts';
import { buildReport } from '../../../shared/review/report.ts';
import type { Replay } from '../../../shared/review/types.ts';
import { explainIgnored, explainRefusal } from '../../../shared/tcp/reasons.ts';
import { translator } from '../i18n/index.tsx';
import { parseLocation } from './router.ts';
import {
  clampStep, describeStep, downloadName, formatDuration, formatShare, parseReplayQuery, replayLadder, replayPath,
  scoreColumns, scoreTotals, signed, stepAnnouncement, stepForKey,
} from './review.ts';

const en = translator('en');
const zh = translator('zh-CN');

/** The sim's accepted events as log rows, with the actor the server would write. */
function logOf(sim: RoomSim): LogEntry[] {
  return sim.log.map((event: RoomEvent, i) => {
    const actor: Actor = 'by' in event ? event.by : event.type === 'move' ? `seat:${event.seatId}` : event.type === 'seat/joined' ? `seat:${event.seatId}` : 'server';
    return { seq: i + 1, at: 1_767_225_600_000 + i * 1000, actor, event };
  });
}

/** Ada (client) and Lin (server): a handshake with a refused early ACK, then a teardown with a lost FIN resent; the timer closes TIME_WAIT. */
function played(): { sim: RoomSim; replay: Replay } {
  const sim = new RoomSim();
  sim.join('s1', 'Ada');
  sim.join('s2', 'Lin');
  sim.pair('p1', 's1', 's2');
  sim.start('lifecycle', 1, { p1: { client: 100, server: 1000 } });
  const must = (seat: string, flags: Parameters<RoomSim['play']>[1], len = 0, overrides: Parameters<RoomSim['play']>[3] = {}) => {
    const r = sim.play(seat, flags, len, overrides);
    if (!r.ok || !r.verdict?.ok) throw new Error(`${seat} ${flags.join('+')} was not legal`);
  };
  must('s1', ['SYN']);                        // 1 send
  sim.play('s1', ['ACK']);                     // 2 refused: no SYN+ACK yet
  sim.deliverAll('p1');                        // 3 SYN arrives
  must('s2', ['SYN', 'ACK']); sim.deliverAll('p1'); // 4, 5
  must('s1', ['ACK']); sim.deliverAll('p1');   // 6, 7
  must('s1', ['FIN', 'ACK']);                  // 8
  sim.must({ type: 'wire/dropped', pairId: 'p1', from: 'client', id: 4, by: 'teacher' }); // 9 lost
  must('s1', ['FIN', 'ACK'], 0, { seq: 101 }); sim.deliverAll('p1'); // 10, 11: retransmitted with the FIN's own number
  must('s2', ['ACK']); sim.deliverAll('p1');   // 12, 13
  must('s2', ['FIN', 'ACK']); sim.deliverAll('p1'); // 14, 15
  must('s1', ['ACK']); sim.deliverAll('p1');   // 16, 17
  sim.must({ type: 'timer/fired', pairId: 'p1', side: 'client', timer: 'time-wait' }); // 18
  const r = pairRoundReplay(logOf(sim), 'p1', 1);
  if (!r.ok) throw new Error(r.code);
  return { sim, replay: r.replay };
}

describe('a replay as the ladder', () => {
  it('is empty at the start and grows one entry per send, refusal and timer', () => {
    const { replay } = played();
    expect(replayLadder(replay.steps, 0)).toEqual([]);
    const all = replayLadder(replay.steps, replay.steps.length - 1);
    expect(all.map((e) => e.kind)).toEqual([
      'segment', 'refused', 'segment', 'segment', 'segment', 'segment', 'segment', 'segment', 'segment', 'timer',
    ]);
    // Steps beyond the end are the end.
    expect(replayLadder(replay.steps, 999)).toEqual(all);
  });

  it('ends each arrow where it arrived, was ignored or was lost, at that step', () => {
    const { replay } = played();
    const entries = replayLadder(replay.steps, replay.steps.length - 1);
    const syn = entries[0]!;
    expect(syn).toMatchObject({ kind: 'segment', from: 'client', sentAt: 1, segment: { flags: ['SYN'], seq: 100 }, end: { at: 3, outcome: 'accepted', before: 'LISTEN', after: 'SYN_RECEIVED' } });
    expect(entries[1]).toMatchObject({ kind: 'refused', from: 'client', at: 2, code: 'segment/ack-before-synack' });
    const lostFin = entries.find((e) => e.kind === 'segment' && e.sentAt === 8)!;
    expect(lostFin).toMatchObject({ segment: { flags: ['FIN', 'ACK'] }, end: { at: 9, outcome: 'lost' } });
    const resent = entries.find((e) => e.kind === 'segment' && e.sentAt === 10)!;
    expect(resent).toMatchObject({ end: { at: 11, outcome: 'accepted', after: 'CLOSE_WAIT' } });
    expect(entries.at(-1)).toEqual({ kind: 'timer', side: 'client', at: 18, timer: 'time-wait', state: 'CLOSED' });
  });

  it('leaves a segment in flight (no end) until the step that delivers it', () => {
    const { replay } = played();
    const atOne = replayLadder(replay.steps, 1);
    expect(atOne).toHaveLength(1);
    expect(atOne[0]).not.toHaveProperty('end');
    expect(replayLadder(replay.steps, 3)[0]).toHaveProperty('end.outcome', 'accepted');
  });

  it('draws a trace (a capture\'s stream) the same way, an ignored arrival included', () => {
    const replay = traceReplay({
      name: 'stray ACK',
      initial: { client: 'CLOSED', server: 'LISTEN' },
      steps: [
        { send: { from: 'client', flags: ['SYN'], seq: 10, ack: 0, len: 0 } },
        { send: { from: 'server', flags: ['SYN', 'ACK'], seq: 50, ack: 11, len: 0 } },
        { send: { from: 'client', flags: ['ACK'], seq: 11, ack: 51, len: 0 } },
        { send: { from: 'client', flags: ['ACK'], seq: 11, ack: 51, len: 0 } },
      ],
    });
    const entries = replayLadder(replay.steps, replay.steps.length - 1);
    expect(entries).toHaveLength(4);
    expect(entries.every((e) => e.kind === 'segment' && e.end?.outcome)).toBe(true);
    const last = entries.at(-1)!;
    expect(last.kind === 'segment' && last.end?.outcome).toBe('ignored');
  });
});

describe('a step in words', () => {
  it('names the mover, the segment and the verdict: "Step 4 of 18: Lin sent SYN+ACK seq=1000 ack=101 — legal"', () => {
    const { replay } = played();
    expect(replay.steps).toHaveLength(19);
    expect(stepAnnouncement(replay, 4, en, 'en')).toBe('Step 4 of 18: Lin sent SYN+ACK seq=1000 ack=101 — legal');
    expect(stepAnnouncement(replay, 4, zh, 'zh-CN')).toBe('第 4 步，共 18 步：Lin 发送了 SYN+ACK seq=1000 ack=101 — 合法');
    expect(stepAnnouncement(replay, 0, en, 'en')).toBe('Step 0 of 18: the starting position: Ada (client) in CLOSED, Lin (server) in LISTEN');
  });

  it('explains a refused move with the rule, as the student was told', () => {
    const { replay } = played();
    const w = describeStep(replay, 2, en, 'en');
    const v = replay.steps[2]!.verdict;
    if (!v || v.ok) throw new Error('step 2 is the refused ACK');
    expect(w).toEqual({
      tone: 'wrong', tag: 'Refused', code: 'segment/ack-before-synack',
      text: 'Ada tried to send ACK seq=101 ack=0 — refused',
      explanation: explainRefusal('segment/ack-before-synack', v.facts, 'en'),
    });
    expect(w.explanation).toContain('You are in SYN_SENT');
    expect(describeStep(replay, 2, zh, 'zh-CN').explanation).toBe(explainRefusal('segment/ack-before-synack', v.facts, 'zh-CN'));
  });

  it('says arrivals with the states they changed, losses with who lost them, and timers', () => {
    const { replay } = played();
    expect(describeStep(replay, 3, en, 'en')).toMatchObject({ tone: 'info', text: 'SYN seq=100 arrived at Lin: LISTEN → SYN_RECEIVED' });
    expect(describeStep(replay, 3, zh, 'zh-CN').text).toBe('SYN seq=100 到达 Lin：LISTEN 状态 → SYN_RECEIVED 状态');
    expect(describeStep(replay, 9, en, 'en')).toMatchObject({ tone: 'lost', text: 'FIN+ACK seq=101 ack=1001 from Ada was lost: the teacher dropped it' });
    expect(describeStep(replay, 18, en, 'en')).toMatchObject({ tone: 'timer', text: 'Ada’s 2MSL timer expired: now CLOSED' });
  });

  it('says why an ignored arrival was ignored (as the table does)', () => {
    const replay = traceReplay({
      name: 'duplicate ACK',
      initial: { client: 'CLOSED', server: 'LISTEN' },
      steps: [
        { send: { from: 'client', flags: ['SYN'], seq: 10, ack: 0, len: 0 } },
        { send: { from: 'server', flags: ['SYN', 'ACK'], seq: 50, ack: 11, len: 0 } },
        { send: { from: 'client', flags: ['ACK'], seq: 11, ack: 51, len: 0 } },
        { send: { from: 'client', flags: ['ACK'], seq: 11, ack: 51, len: 0 } },
      ],
    }, { client: '10.0.0.1:5000', server: '10.0.0.2:80' });
    const last = replay.steps.length - 1;
    const a = replay.steps[last]!.arrival;
    if (!a || a.outcome !== 'ignored') throw new Error('the last arrival is ignored');
    expect(describeStep(replay, last, en, 'en')).toEqual({
      tone: 'warn', tag: 'Ignored', code: a.why, text: 'ACK seq=11 ack=51 arrived at 10.0.0.2:80, who ignored it',
      explanation: explainIgnored(a.why, a.state, 'en'),
    });
  });
});

describe('the replay\'s address', () => {
  it('carries the round and the step, and the router hands them back', () => {
    const path = replayPath('K7QM2X', 'p1', 2, 5);
    expect(path).toBe('/review/K7QM2X/pair/p1?round=2&step=5');
    const route = parseLocation('/', `#${path}`);
    expect(route.path).toBe('/review/K7QM2X/pair/p1');
    expect(parseReplayQuery(route.query)).toEqual({ round: 2, step: 5 });
    expect(replayPath('K7QM2X', 'p1', 2)).toBe('/review/K7QM2X/pair/p1?round=2');
  });

  it('reads missing or malformed numbers as null, and keeps a step within the replay', () => {
    expect(parseReplayQuery(new URLSearchParams('round=x&step=-1'))).toEqual({ round: null, step: null });
    expect(parseReplayQuery(new URLSearchParams(''))).toEqual({ round: null, step: null });
    expect(parseReplayQuery(new URLSearchParams('round=1&step=1e3'))).toEqual({ round: 1, step: null });
    expect(clampStep(null, 19)).toBe(0);
    expect(clampStep(7, 19)).toBe(7);
    expect(clampStep(99, 19)).toBe(18);
    expect(clampStep(3, 1)).toBe(0);
  });

  it('steps with the arrow keys, Home and End, and not past either end', () => {
    expect(stepForKey('ArrowRight', 3, 19)).toBe(4);
    expect(stepForKey('ArrowLeft', 3, 19)).toBe(2);
    expect(stepForKey('ArrowLeft', 0, 19)).toBe(0);
    expect(stepForKey('ArrowRight', 18, 19)).toBe(18);
    expect(stepForKey('Home', 9, 19)).toBe(0);
    expect(stepForKey('End', 0, 19)).toBe(18);
    expect(stepForKey('a', 0, 19)).toBeNull();
  });
});

describe('the overview\'s numbers', () => {
  it('durations, shares and signed points in words', () => {
    expect(formatDuration(45_400, en)).toBe('45 s');
    expect(formatDuration(125_000, en)).toBe('2 min 05 s');
    expect(formatDuration(3_720_000, en)).toBe('1 h 02 min');
    expect(formatDuration(125_000, zh)).toBe('2 分 05 秒');
    expect(formatShare(null)).toBe('—');
    expect(formatShare(6 / 7)).toBe('86%');
    expect([signed(12), signed(-5), signed(0)]).toEqual(['+12', '−5', '0']);
  });

  it('score columns per round add up to each student\'s total and to the class total', () => {
    const { sim } = played();
    sim.must({ type: 'round/ended', by: 'teacher' });
    sim.start('handshake', 1, { p1: { client: 200, server: 2000 } });
    sim.play('s1', ['SYN']);
    const report = buildReport(logOf(sim));
    const cols = scoreColumns(report);
    expect(cols).toEqual(['1', '2']);
    for (const s of report.students) {
      expect(cols.reduce((n, c) => n + (s.scoreByRound[c] ?? 0), 0), s.nickname).toBe(s.score);
    }
    const totals = scoreTotals(report);
    expect(totals.total).toBe(report.students.reduce((n, s) => n + s.score, 0));
    expect(cols.reduce((n, c) => n + (totals.byRound[c] ?? 0), 0)).toBe(totals.total);
    // A round's pair score is the same round's column summed over the pair.
    for (const r of report.rounds) for (const p of r.pairs) expect(p.score).toBe(report.students.filter((s) => s.seatId === p.seats.client || s.seatId === p.seats.server).reduce((n, s) => n + (s.scoreByRound[String(r.number)] ?? 0), 0));
  });

  it('a download is saved under the server\'s file name, never a path', () => {
    expect(downloadName('attachment; filename="synack-K7QM2X.csv"', 'x.csv')).toBe('synack-K7QM2X.csv');
    expect(downloadName("attachment; filename*=UTF-8''synack%20K7QM2X.json", 'x.json')).toBe('synack K7QM2X.json');
    expect(downloadName('attachment; filename="../../etc/passwd"', 'x')).toBe('.._.._etc_passwd');
    expect(downloadName(null, 'fallback.csv')).toBe('fallback.csv');
    expect(downloadName('attachment', 'fallback.csv')).toBe('fallback.csv');
  });
});
