/**
 * Replays for review: one TCP connection stepped event by event through the shared machine,
 * both ends revealed. A pair's round is cut out of a room's log by folding the log with the
 * room reducer (so it is exactly what the players saw); a trace (a capture's stream, say) is
 * stepped the way `replay` judges it. Pure.
 */
import { initialConnection, step } from '../tcp/machine.ts';
import type { Connection, Endpoint, Segment, Side, TcpEvent } from '../tcp/types.ts';
import type { Trace } from '../tcp/trace.ts';
import { traceStepEvents } from '../tcp/trace.ts';
import type { LogEntry, Room } from '../game/model.ts';
import { applyEvent, createRoom } from '../game/room.ts';
import { SCENARIOS } from '../game/scenarios.ts';
import type { Replay, ReplayEndpoint, ReplayEvent, ReplayStep } from './types.ts';

const endpointOf = (e: Endpoint): ReplayEndpoint => ({
  state: e.state, iss: e.iss, irs: e.irs, sndUna: e.sndUna, sndNxt: e.sndNxt, rcvNxt: e.rcvNxt,
  rtx: e.rtxTimer, timeWait: e.timeWaitTimer && e.state === 'TIME_WAIT', bytesReceived: e.bytesReceived,
});

const wireOf = (c: Connection): ReplayStep['wire'] => ({
  client: c.wire.client.map((f) => ({ id: f.id, from: f.segment.from, flags: [...f.segment.flags], seq: f.segment.seq, ack: f.segment.ack, len: f.segment.len })),
  server: c.wire.server.map((f) => ({ id: f.id, from: f.segment.from, flags: [...f.segment.flags], seq: f.segment.seq, ack: f.segment.ack, len: f.segment.len })),
});

/** The starting position of a replay. */
export function startStep(conn: Connection): ReplayStep {
  return { index: 0, event: null, verdict: null, arrival: null, endpoints: { client: endpointOf(conn.client), server: endpointOf(conn.server) }, wire: wireOf(conn) };
}

const toReplayEvent = (ev: TcpEvent): ReplayEvent => {
  switch (ev.type) {
    case 'send': return { kind: 'send', segment: { ...ev.segment, flags: [...ev.segment.flags] } };
    case 'deliver': return { kind: 'deliver', from: ev.from };
    case 'drop': return { kind: 'drop', from: ev.from };
    case 'timeout': return { kind: 'timeout', side: ev.side };
  }
};

/** Step one event: the next connection (unchanged when refused) and the step it makes. */
export function replayStep(conn: Connection, ev: TcpEvent, index: number): { connection: Connection; step: ReplayStep } {
  const r = step(conn, ev);
  const next = r.ok ? r.connection : conn;
  return {
    connection: next,
    step: {
      index,
      event: toReplayEvent(ev),
      verdict: ev.type !== 'send' ? null : r.ok ? { ok: true } : { ok: false, code: r.code, facts: { ...r.facts } },
      arrival: r.ok && r.arrival ? structuredClone(r.arrival) : null,
      endpoints: { client: endpointOf(next.client), server: endpointOf(next.server) },
      wire: wireOf(next),
    },
  };
}

/**
 * A trace as a replay: each trace step's events (a `send` that delivers at once is two
 * events: the send, then its arrival), judged as `npm run replay` judges them.
 */
export function traceReplay(trace: Trace, names: Record<Side, string> = { client: 'client', server: 'server' }): Replay {
  let conn = initialConnection(trace.initial ?? {});
  const steps: ReplayStep[] = [startStep(conn)];
  for (const s of trace.steps) {
    for (const ev of traceStepEvents(s)) {
      const r = replayStep(conn, ev, steps.length);
      steps.push(r.step);
      conn = r.connection;
      // A refused send is not delivered either.
      if (r.step.verdict && !r.step.verdict.ok) break;
    }
  }
  return { source: 'capture', title: trace.name, names, steps };
}

/** Why a pair's round cannot be replayed. */
export type PairRoundMiss = 'round/not-found' | 'pair/not-found';

/** The room after each event of a log, as a fold (the first entry is room/created). */
export function* foldLog(log: readonly LogEntry[]): Generator<{ entry: LogEntry; before: Room; after: Room }> {
  const first = log[0];
  if (!first || first.event.type !== 'room/created') return;
  let room = createRoom(first.event);
  for (let i = 1; i < log.length; i++) {
    const entry = log[i]!;
    const r = applyEvent(room, entry.event);
    if (!r.ok) return; // a damaged log: what came before is still true
    yield { entry, before: room, after: r.room };
    room = r.room;
  }
}

/**
 * One pair's round from a room's log: its starting position and every event that touched
 * its connection (moves, refused ones included, deliveries, losses, timers), with who moved,
 * when, the points, and the states after. Built by folding the log with the room reducer,
 * so it is what the players saw. A game started afresh within the round (roles swapped
 * after the goal) replaces the earlier one: the replay is the pair's last game of the round.
 */
export function pairRoundReplay(log: readonly LogEntry[], pairId: string, round: number): { ok: true; replay: Replay } | { ok: false; code: PairRoundMiss } {
  let steps: ReplayStep[] | null = null;
  let conn: Connection | null = null;
  let seenRound = false;
  let names: Record<Side, string> = { client: '', server: '' };
  let scenario: Replay['scenario'];
  let level: Replay['level'];
  for (const { entry, before, after } of foldLog(log)) {
    if (after.round.number !== round) {
      if (before.round.number === round) break; // the next round started
      continue;
    }
    seenRound = true;
    const pair = after.pairs.find((p) => p.id === pairId);
    const game = pair?.game;
    if (!pair || !game) continue;
    const prevGame = before.round.number === round ? before.pairs.find((p) => p.id === pairId)?.game : undefined;
    if (game === prevGame) continue;
    if (!prevGame || game.history.length === 0 || !steps || !conn) {
      // The pair's game starts here: the round start, a mid-round pairing, or a swap.
      conn = game.connection;
      steps = [startStep(conn)];
      const nick = (id: string) => after.seats.find((x) => x.id === id)?.nickname ?? id;
      names = { client: nick(pair.seats.client), server: nick(pair.seats.server) };
      scenario = after.round.scenario;
      level = after.round.level;
    }
    const added = game.history.slice(prevGame && game.history.length >= prevGame.history.length ? prevGame.history.length : 0);
    for (const h of added) {
      let ev: TcpEvent;
      let seatId: string | undefined;
      let by: ReplayStep['by'];
      switch (h.kind) {
        case 'sent': ev = { type: 'send', segment: h.segment.segment }; seatId = h.seatId; break;
        case 'refused': ev = { type: 'send', segment: h.segment }; seatId = h.seatId; break;
        case 'arrived': ev = { type: 'deliver', from: h.arrival.segment.from }; break;
        case 'dropped': ev = { type: 'drop', from: h.from }; by = entry.actor === 'teacher' || entry.actor.startsWith('seat:') ? 'teacher' : 'scenario'; break;
        case 'timer': ev = { type: 'timeout', side: h.side }; break;
      }
      const r = replayStep(conn, ev, steps.length);
      conn = r.connection;
      const step: ReplayStep = { ...r.step, logSeq: entry.seq, at: entry.at };
      if (by) step.by = by;
      if (seatId) {
        const seat = after.seats.find((x) => x.id === seatId);
        step.seatId = seatId;
        if (seat) {
          step.nickname = seat.nickname;
          step.points = seat.score - (before.seats.find((x) => x.id === seatId)?.score ?? 0);
        }
      }
      steps.push(step);
    }
  }
  if (!seenRound) return { ok: false, code: 'round/not-found' };
  if (!steps) return { ok: false, code: 'pair/not-found' };
  const title = scenario ? SCENARIOS[scenario].title.en : `round ${round}`;
  return {
    ok: true,
    replay: {
      source: 'room', title, names, steps, round, pairId,
      ...(scenario ? { scenario } : {}), ...(level ? { level } : {}),
    },
  };
}

/**
 * A pair's round as a trace in format v1, which `npm run replay` judges with the same
 * verdicts the players got: every segment is sent without delivery and delivered, dropped
 * or timed out exactly when the game did; a scenario that starts ESTABLISHED begins with the
 * handshake that got it there.
 */
export function replayToTrace(replay: Replay): Trace {
  const steps: Trace['steps'] = [];
  const start = replay.steps[0]!.endpoints;
  const established = start.client.state === 'ESTABLISHED' && start.server.state === 'ESTABLISHED';
  if (established) {
    // The start position's ISSs: the handshake that put both ends in ESTABLISHED.
    const c = (start.client.iss ?? 0) >>> 0;
    const s = (start.server.iss ?? 0) >>> 0;
    steps.push(
      { send: { from: 'client', flags: ['SYN'], seq: c, ack: 0, len: 0 } },
      { send: { from: 'server', flags: ['SYN', 'ACK'], seq: s, ack: (c + 1) >>> 0, len: 0 } },
      { send: { from: 'client', flags: ['ACK'], seq: (c + 1) >>> 0, ack: (s + 1) >>> 0, len: 0 } },
    );
  }
  for (const st of replay.steps.slice(1)) {
    const ev = st.event!;
    switch (ev.kind) {
      case 'send': steps.push({ send: { ...ev.segment, flags: [...ev.segment.flags] } as Segment, deliver: false }); break;
      case 'deliver': steps.push({ deliver: ev.from }); break;
      case 'drop': steps.push({ drop: ev.from }); break;
      case 'timeout': steps.push({ timeout: ev.side }); break;
    }
  }
  const initial = established ? undefined : { client: start.client.state as 'CLOSED' | 'LISTEN', server: start.server.state as 'CLOSED' | 'LISTEN' };
  return {
    name: `${replay.title}: ${replay.names.client} (client) and ${replay.names.server} (server), round ${replay.round ?? ''}`.trim(),
    description: `Exported from room log${replay.pairId ? `, pair ${replay.pairId}` : ''}.`,
    ...(initial ? { initial } : {}),
    steps,
  };
}

