import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXAMPLES, type ClientMessage } from '../../../shared/protocol.ts';
import type { StudentView } from '../../../shared/game/views.ts';
import { sendAndWait, type CommandTarget } from './commands.ts';
import type { SessionState } from './session.ts';
import { soloCommands, soloReady, startSolo, type SoloChoice } from './solo.ts';

/** A session that records what is sent and lets the test play the server's answers. */
class FakeSession implements CommandTarget {
  state: SessionState = {
    status: { kind: 'open' }, welcomed: true, lost: false, view: null, seq: 1, seatId: 's1', error: null, ended: false,
  };
  sent: ClientMessage[] = [];
  online = true;
  private listeners = new Set<() => void>();
  send(msg: ClientMessage): boolean {
    if (!this.online) return false;
    this.sent.push(msg);
    return true;
  }
  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  set(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l();
  }
  get listenerCount(): number { return this.listeners.size; }
}

const base = EXAMPLES.server.view.view as StudentView;
/** A practice player's view: alone (no pair, no round), or paired with a bot on `side`, with the round as given. */
function playerView(o: { side?: 'client' | 'server'; round?: Partial<StudentView['round']> } = {}): StudentView {
  const round = { ...base.round, status: 'lobby' as const, number: 0, ...o.round };
  const pair = o.side && base.pair
    ? { ...base.pair, side: o.side, partner: { nickname: 'Bot 1', connected: true, bot: true }, game: round.status === 'running' ? base.pair.game : null }
    : null;
  return { ...base, room: { ...base.room, kind: 'practice' }, round, pair };
}

const choice: SoloChoice = { side: 'server', scenario: 'teardown', level: 2 };

afterEach(() => { vi.useRealTimers(); });

describe('playing alone against a bot', () => {
  it('seats the bot on the other side before it starts the round, with no speed bonus', () => {
    expect(soloCommands(choice)).toEqual([
      { type: 'bot/add', side: 'client' },
      { type: 'round/start', scenario: 'teardown', level: 2, speedBonus: false },
    ]);
    expect(soloCommands({ ...choice, side: 'client' })[0]).toEqual({ type: 'bot/add', side: 'server' });
  });

  it('is ready only once paired with a bot on the chosen side and the chosen round is running', () => {
    const ready = soloReady(choice);
    const at = (view: StudentView | null) => ready({ ...new FakeSession().state, view });
    expect(at(null)).toBe(false);
    expect(at(playerView())).toBe(false);
    expect(at(playerView({ side: 'server' }))).toBe(false); // paired, round not started yet
    const running = { status: 'running' as const, number: 1, scenario: 'teardown' as const, level: 2 as const };
    expect(at(playerView({ side: 'server', round: running }))).toBe(true);
    expect(at(playerView({ side: 'client', round: running }))).toBe(false);
    expect(at(playerView({ side: 'server', round: { ...running, scenario: 'handshake' } }))).toBe(false);
    expect(at(playerView({ side: 'server', round: { ...running, level: 1 } }))).toBe(false);
    const human = playerView({ side: 'server', round: running });
    expect(at({ ...human, pair: { ...human.pair!, partner: { ...human.pair!.partner, bot: false } } })).toBe(false);
  });

  it('sends both commands at once, in order, and resolves when the view shows the round', async () => {
    const s = new FakeSession();
    s.set({ view: playerView() });
    const done = startSolo(s, choice);
    expect(s.sent.map((m) => m.type)).toEqual(['bot/add', 'round/start']);
    s.set({ view: playerView({ side: 'server' }) });
    s.set({ view: playerView({ side: 'server', round: { status: 'running', number: 1, scenario: 'teardown', level: 2 } }) });
    const r = await done;
    expect(r.ok).toBe(true);
    expect(s.listenerCount).toBe(0);
  });

  it('answers with the first error the server sends after the commands, not an older one', async () => {
    const s = new FakeSession();
    s.set({ view: playerView(), error: { code: 'nickname/taken', message: 'old', n: 1 } });
    const done = startSolo(s, choice);
    s.set({ view: playerView({ side: 'server' }) });
    s.set({ error: { code: 'round/time-wait-too-short', message: '2MSL too short', ref: 'round/start', n: 2 } });
    expect(await done).toEqual({ ok: false, code: 'round/time-wait-too-short', message: '2MSL too short', ref: 'round/start' });
    expect(s.listenerCount).toBe(0);
  });

  it('says so when nothing could be sent, the connection drops, or the server does not answer', async () => {
    const off = new FakeSession();
    off.online = false;
    expect(await startSolo(off, choice)).toMatchObject({ ok: false, code: 'client/offline' });

    const dropped = new FakeSession();
    const r1 = startSolo(dropped, choice);
    dropped.set({ status: { kind: 'waiting', attempt: 1, retryInMs: 500 }, lost: true });
    expect(await r1).toMatchObject({ ok: false, code: 'client/offline' });

    vi.useFakeTimers();
    const silent = new FakeSession();
    const r2 = sendAndWait(silent, [{ type: 'round/end' }], () => false, 1000);
    vi.advanceTimersByTime(1000);
    expect(await r2).toMatchObject({ ok: false, code: 'client/timeout' });
    expect(silent.listenerCount).toBe(0);
  });
});
