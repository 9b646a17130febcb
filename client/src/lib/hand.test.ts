import { describe, expect, it } from 'vitest';
import type { Flag } from '../../../shared/tcp/types.ts';
import { autoFromHints } from '../../../shared/protocol-constants.ts';
import { emptyHand, gameMark, handReducer, handSegment, sameGame, type Hand, type HandAction } from './hand.ts';

const run = (...actions: HandAction[]): Hand => actions.reduce(handReducer, emptyHand);
const toggle = (flag: Flag): HandAction => ({ type: 'toggle', flag });

// Level 1 in FIN_WAIT_1 after the RTO: the oracle says FIN+ACK seq=3001 again; SND.NXT is 3002.
const hints = {
  auto: { ACK: { seq: 3002, ack: 701 }, none: { seq: 3002, ack: 0 } },
  retransmit: { flags: ['FIN', 'ACK'], seq: 3001, ack: 701, len: 0 },
  moves: [{ flags: ['FIN', 'ACK'], seq: 3001, ack: 701, len: 0 }, { flags: ['ACK', 'PSH'], seq: 3002, ack: 701, len: 5 }],
};
const level1 = (flags: readonly Flag[]) => autoFromHints(hints, flags);

describe('the hand (a pure reducer)', () => {
  it('clears everything: a refused FIN does not turn the next ACK into FIN+ACK', () => {
    const refused = run(toggle('FIN'), { type: 'touch' });
    const next = [{ type: 'clear' } as const, toggle('ACK')].reduce(handReducer, refused);
    expect(next.flags).toEqual(['ACK']);
    expect(next.touched).toBe(false);
    expect(handSegment(next, 'client', level1).segment).toEqual({ from: 'client', flags: ['ACK'], seq: 3002, ack: 701, len: 0 });
  });

  it('keeps the flags in card order whatever order they were picked in', () => {
    expect(run(toggle('ACK'), toggle('SYN')).flags).toEqual(['SYN', 'ACK']);
    expect(run(toggle('ACK'), toggle('SYN'), toggle('ACK')).flags).toEqual(['SYN']);
  });

  it('at level 1 fills in the oracle move with those flags: the retransmission\'s old seq', () => {
    expect(handSegment(run(toggle('ACK'), toggle('FIN')), 'client', level1).segment)
      .toEqual({ from: 'client', flags: ['ACK', 'FIN'], seq: 3001, ack: 701, len: 0 });
  });

  it('takes a data move\'s length until the player types one; D toggles it off and on', () => {
    const data = run(toggle('ACK'), toggle('PSH'));
    expect(handSegment(data, 'client', level1)).toMatchObject({ lenText: '5', len: 5, segment: { seq: 3002, len: 5 } });
    const off = handReducer(data, { type: 'data', current: 5 });
    expect(handSegment(off, 'client', level1)).toMatchObject({ lenText: '0', len: 0 });
    const on = handReducer(off, { type: 'data', current: 0 });
    expect(handSegment(on, 'client', level1).len).toBe(100);
    expect(handSegment(handReducer(data, { type: 'len', value: '12' }), 'client', level1).len).toBe(12);
  });

  it('a picked suggestion sets its flags and numbers, and holds while its flags do', () => {
    const picked = handReducer(run(toggle('RST'), { type: 'seq', value: '9' }), { type: 'pick', card: { flags: ['ACK', 'FIN'], seq: 3001, ack: 701, len: 0 } });
    expect(picked.flags).toEqual(['ACK', 'FIN']);
    expect(picked.seq).toBe('');
    // Its own numbers, even where the hints' table would say otherwise.
    const out = handSegment(picked, 'client', () => ({ seq: 1, ack: 1 }));
    expect(out).toMatchObject({ pickedHolds: true, segment: { seq: 3001, ack: 701 } });
    const changed = handReducer(picked, toggle('FIN'));
    expect(handSegment(changed, 'client', level1)).toMatchObject({ pickedHolds: false, segment: { flags: ['ACK'], seq: 3002 } });
  });

  it('a picked suggestion no longer on offer (something arrived since) gives way to the current numbers', () => {
    const card = { flags: ['ACK'] as Flag[], seq: 201, ack: 1001, len: 0 };
    const picked = handReducer(emptyHand, { type: 'pick', card });
    const now = () => ({ seq: 201, ack: 1004 });
    expect(handSegment(picked, 'client', now, [card]).segment?.ack).toBe(1001);
    expect(handSegment(picked, 'client', now, [{ ...card, ack: 1004 }])).toMatchObject({ pickedHolds: false, segment: { ack: 1004 } });
  });

  it('at levels 2–3 sends the typed numbers, the ack only with ACK', () => {
    const h = run(toggle('SYN'), { type: 'seq', value: '9000' }, { type: 'ack', value: 'x' });
    expect(handSegment(h, 'server', null).segment).toEqual({ from: 'server', flags: ['SYN'], seq: 9000, ack: 0, len: 0 });
    expect(handSegment(handReducer(h, toggle('ACK')), 'server', null)).toMatchObject({ ack: null, segment: null });
    expect(handSegment(run(toggle('ACK'), { type: 'seq', value: '99999999999' }), 'server', null).seq).toBeNull();
    expect(handSegment(run({ type: 'len', value: '1461' }), 'server', null).len).toBeNull();
  });
});

describe('sameGame (when the hand starts afresh)', () => {
  const view = (round: number, ladder: number[], isn = 900, isnChosen = false, pairId = 'p1') => gameMark({
    round: { number: round },
    pair: { pairId, side: 'client', game: { ladder: ladder.map((logSeq) => ({ logSeq })), endpoint: { isn, isnChosen } } },
  });

  it('is the same game while its ladder grows and once the ISN is chosen', () => {
    expect(sameGame(view(1, []), view(1, [7]))).toBe(true);
    expect(sameGame(view(1, [7]), view(1, [7, 9], 901, true))).toBe(true);
  });

  it('is a new game in a new round, a new pair, a restarted game or with a fresh suggested ISN', () => {
    expect(sameGame(view(1, [7, 9]), view(2, []))).toBe(false);
    expect(sameGame(view(1, [7]), view(1, [7], 900, false, 'p2'))).toBe(false);
    expect(sameGame(view(1, [7, 9]), view(1, []))).toBe(false);
    expect(sameGame(view(1, [7]), view(1, [12]))).toBe(false);
    expect(sameGame(view(1, []), view(1, [], 400))).toBe(false);
    expect(sameGame(view(1, [7], 901, true), view(1, [7, 9], 400, false))).toBe(false);
    expect(sameGame(view(1, [7]), gameMark({ round: { number: 1 }, pair: null }))).toBe(false);
  });
});
