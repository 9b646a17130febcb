import { describe, expect, it } from 'vitest';
import { autoNumbers } from '../../../shared/tcp/machine.ts';
import type { Flag, Side } from '../../../shared/tcp/types.ts';
import { initialSandbox, sandboxMoves, sandboxReducer, type SandboxState } from './sandbox-model.ts';

const ISN = { client: 100, server: 300 };

/** Send a level-1 card from `side` (numbers as the hand fills them in), then deliver it. */
function play(s: SandboxState, side: Side, flags: Flag[]): SandboxState {
  const { seq, ack } = autoNumbers(s.conn[side], flags, ISN[side]);
  const sent = sandboxReducer(s, { type: 'send', segment: { from: side, flags, seq, ack, len: 0 } });
  if (sent.conn === s.conn) throw new Error(`${side} ${flags.join('+')} refused`);
  return sandboxReducer(sent, { type: 'deliver', from: side });
}

const lit = (s: SandboxState, side: Side) => sandboxMoves(s.conn, side, ISN[side]).map((m) => `${m.flags.join('+')}→${m.to}`);

describe('sandboxMoves (the sandbox diagram\'s lit moves, from the machine)', () => {
  it('lights only SYN → SYN_SENT for a CLOSED client (no RST for a segment that never came)', () => {
    expect(lit(initialSandbox(1, ISN), 'client')).toEqual(['SYN→SYN_SENT']);
  });

  it('lights the RST edges back to CLOSED and the moves that stay, once established', () => {
    let s = initialSandbox(1, ISN);
    s = play(s, 'client', ['SYN']);
    s = play(s, 'server', ['SYN', 'ACK']);
    s = play(s, 'client', ['ACK']);
    expect(lit(s, 'client')).toEqual(['ACK→ESTABLISHED', 'ACK+PSH→ESTABLISHED', 'FIN+ACK→FIN_WAIT_1', 'RST→CLOSED', 'RST+ACK→CLOSED']);
    // Every lit move is one the machine accepts: sending it changes the connection.
    for (const m of sandboxMoves(s.conn, 'server', ISN.server)) {
      const { seq, ack } = autoNumbers(s.conn.server, m.flags, ISN.server);
      const len = m.flags.includes('PSH') ? 1 : 0;
      const next = sandboxReducer(s, { type: 'send', segment: { from: 'server', flags: m.flags, seq, ack, len } });
      expect(next.conn.server.state, m.flags.join('+')).toBe(m.to);
    }
  });

  it('after the teardown a TIME_WAIT client may only acknowledge again', () => {
    let s = initialSandbox(1, ISN);
    s = play(s, 'client', ['SYN']);
    s = play(s, 'server', ['SYN', 'ACK']);
    s = play(s, 'client', ['ACK']);
    s = play(s, 'client', ['FIN', 'ACK']);
    s = play(s, 'server', ['ACK']);
    s = play(s, 'server', ['FIN', 'ACK']);
    expect(s.conn.client.state).toBe('TIME_WAIT');
    expect(lit(s, 'client')).toEqual(['ACK→TIME_WAIT']);
    // LAST_ACK sends no abort RST (RFC 9293 3.10.5): only a repeated ACK is legal there.
    expect(lit(s, 'server')).toEqual(['ACK→LAST_ACK']);
  });
});
