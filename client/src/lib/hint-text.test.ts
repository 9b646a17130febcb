import { describe, expect, it } from 'vitest';
import { ORACLE_WAITS, ORACLE_WHYS } from '../../../shared/game/oracle.ts';
import { RoomSim } from '../../../shared/game/sim.ts';
import { viewFor } from '../../../shared/game/view-for.ts';
import { translator } from '../i18n/index.tsx';
import { hintSentences } from './hint-text.ts';

const en = translator('en');
const zh = translator('zh-CN');

describe('a hint in words', () => {
  it('names the retransmission with its old sequence number, the state it leaves you in, and why', () => {
    const hint = { kind: 'send' as const, segment: { flags: ['FIN' as const, 'ACK' as const], seq: 3001, ack: 701, len: 0 }, why: 'retransmit' as const, to: 'FIN_WAIT_1' as const };
    expect(hintSentences(hint, 'client', 'FIN_WAIT_1', en)).toEqual([
      'Send FIN+ACK seq=3001 ack=701. You stay in FIN_WAIT_1.',
      'Your retransmission timer expired and FIN+ACK seq=3001 ack=701 is still unacknowledged: send it again with the same sequence number.',
    ]);
    expect(hintSentences(hint, 'client', 'FIN_WAIT_1', zh)).toEqual([
      '发送 FIN+ACK seq=3001 ack=701。你仍处于 FIN_WAIT_1 状态。',
      '你的超时重传计时器已到期，而 FIN+ACK seq=3001 ack=701 仍未被确认：用相同的序号再发送一次。',
    ]);
  });

  it('has words for every reason and every wait, in both languages, with no placeholder left', () => {
    for (const t of [en, zh]) {
      for (const why of ORACLE_WHYS) {
        const s = hintSentences({ kind: 'send', segment: { flags: ['ACK'], seq: 1, ack: 2, len: 0 }, why, to: 'ESTABLISHED' }, 'server', 'SYN_RECEIVED', t);
        expect(s.join(' '), why).not.toMatch(/[{}]/);
        expect(s[0]).toContain('ESTABLISHED');
      }
      for (const w of ORACLE_WAITS) expect(hintSentences({ kind: 'wait', for: w }, 'client', 'TIME_WAIT', t)[0], w).not.toMatch(/[{}]/);
    }
  });

  it('speaks of what the view says after a hint is bought (hint/given), without playing the move', () => {
    const sim = new RoomSim('practice');
    sim.join('s1', 'Ada');
    sim.join('s2', 'Lin');
    sim.pair('p1', 's1', 's2');
    sim.start('handshake', 2, { p1: { client: 9000, server: 300 } });
    sim.must({ type: 'hint/given', pairId: 'p1', seatId: 's1' });
    const game = viewFor(sim.room, { role: 'student', seatId: 's1' }, [])!.pair!.game!;
    expect(game.endpoint.state).toBe('CLOSED');
    expect(game.wire.mine).toEqual([]);
    expect(hintSentences(game.hint!, 'client', game.endpoint.state, en)).toEqual([
      'Send SYN seq=9000. Then you are in SYN_SENT.',
      'You open the connection: your SYN carries your ISN as its sequence number, and no ACK yet.',
    ]);
  });
});
