/**
 * The scenario catalogue: for every id in SCENARIO_IDS a title and goal (English and
 * Simplified Chinese), a starting position, who is expected to act first, the test that the
 * goal was reached, and, for the loss scenarios, which segment the wire loses.
 *
 * Starting positions past the handshake are built by playing the handshake through the
 * machine (`step`) with the pair's ISNs, so they are exactly what a real handshake leaves.
 */
import { initialConnection, step } from '../tcp/machine.ts';
import { seqAdd, seqLe } from '../tcp/seq.ts';
import type { Connection, InFlight, Segment, Side, TcpEvent, TcpState } from '../tcp/types.ts';
import type { Level, PairGame, ScenarioId } from './model.ts';
import type { Localized } from './views.ts';

/** Where a scenario starts. */
export type StartPosition =
  /** Client CLOSED, server LISTEN: a handshake is to come. */
  | 'listen'
  /** Both CLOSED: each side will open actively (simultaneous open). */
  | 'both-closed'
  /** Client CLOSED, server CLOSED with no listener: the SYN will be refused. */
  | 'no-listener'
  /** Both ESTABLISHED, after a handshake played with the pair's ISNs. */
  | 'established';

/** What a scenario's lose rule sees of a legal move: the segment, and the mover's state before and after. */
export interface SentContext {
  game: PairGame;
  sent: InFlight;
  before: TcpState;
  after: TcpState;
}

export interface Scenario {
  id: ScenarioId;
  title: Localized;
  goal: Localized;
  start: StartPosition;
  firstMover: Side | 'both';
  /** True once the game shows the scenario's goal reached. */
  goalReached(game: PairGame): boolean;
  /** When present: true for a just-sent segment that the wire will lose (the server drops it instead of delivering it). */
  loses?(ctx: SentContext): boolean;
}

// ---------------------------------------------------------------------------------------
// Facts about a game's history, for the goal tests
// ---------------------------------------------------------------------------------------

const has = (seg: Segment, flag: Segment['flags'][number]): boolean => seg.flags.includes(flag);

/** The side that sent the first FIN of this game, or null. */
export function firstFinFrom(game: PairGame): Side | null {
  for (const e of game.history) if (e.kind === 'sent' && has(e.segment.segment, 'FIN')) return e.segment.segment.from;
  return null;
}

/** True when a segment was accepted at `to` moving it from state `before` (if given) to `after` (if given). */
function accepted(game: PairGame, to: Side, test: (a: { segment: Segment; before: TcpState; after: TcpState }) => boolean): boolean {
  return game.history.some((e) => e.kind === 'arrived' && e.arrival.outcome === 'accepted' && e.arrival.to === to && test(e.arrival));
}

/** Both endpoints closed gracefully after a handshake: each in TIME_WAIT or CLOSED, neither by a reset. */
export function teardownComplete(game: PairGame): boolean {
  const { client, server } = game.connection;
  const closedWell = (s: TcpState, reset: boolean) => (s === 'TIME_WAIT' || s === 'CLOSED') && !reset;
  return game.handshakeDone && closedWell(client.state, client.reset) && closedWell(server.state, server.reset);
}

/** Both endpoints ESTABLISHED. */
export function bothEstablished(conn: Connection): boolean {
  return conn.client.state === 'ESTABLISHED' && conn.server.state === 'ESTABLISHED';
}

const dataBothWays = (game: PairGame): boolean =>
  game.connection.client.bytesReceived > 0 && game.connection.server.bytesReceived > 0;

/**
 * A segment carrying data was lost, and its bytes were then sent again, accepted by the
 * receiver (its RCV.NXT moved past them) and acknowledged back (the sender's SND.UNA moved
 * past them). New data sent beyond the hole, held by the receiver, is none of these.
 */
export function lostDataRecovered(game: PairGame): boolean {
  const sent = new Map<number, Segment>();
  let lost: Segment | null = null;
  for (const e of game.history) {
    if (e.kind === 'sent') sent.set(e.segment.id, e.segment.segment);
    else if (e.kind === 'dropped' && !lost && (sent.get(e.id)?.len ?? 0) > 0) lost = sent.get(e.id)!;
  }
  if (!lost) return false;
  const end = seqAdd(lost.seq, lost.len);
  const from = lost.from;
  const to = from === 'client' ? 'server' : 'client';
  let afterLoss = false;
  let retransmitted = false;
  for (const e of game.history) {
    if (e.kind === 'dropped') afterLoss = true;
    else if (afterLoss && e.kind === 'sent' && e.segment.segment.from === from && e.segment.segment.len > 0
      && seqLe(e.segment.segment.seq, lost.seq) && seqLe(end, seqAdd(e.segment.segment.seq, e.segment.segment.len))) retransmitted = true;
  }
  return retransmitted && seqLe(end, game.connection[to].rcvNxt) && seqLe(end, game.connection[from].sndUna);
}

/**
 * The lesson of lost final ACK: the final ACK was lost, the FIN retransmitted, and it reached
 * the client in TIME_WAIT (which acknowledges it again and restarts 2MSL); the server then
 * closed from LAST_ACK on that ACK.
 */
export function finAnsweredFromTimeWait(game: PairGame): boolean {
  const closer = firstFinFrom(game);
  if (!closer || !anyDrop(game)) return false;
  const other = closer === 'client' ? 'server' : 'client';
  return accepted(game, closer, (a) => has(a.segment, 'FIN') && a.before === 'TIME_WAIT' && a.after === 'TIME_WAIT')
    && accepted(game, other, (a) => a.before === 'LAST_ACK' && a.after === 'CLOSED');
}

const isPureAck = (seg: Segment): boolean =>
  seg.len === 0 && has(seg, 'ACK') && !has(seg, 'SYN') && !has(seg, 'FIN') && !has(seg, 'RST');

const anyDrop = (game: PairGame): boolean => game.history.some((e) => e.kind === 'dropped');

// ---------------------------------------------------------------------------------------
// The catalogue
// ---------------------------------------------------------------------------------------

const l = (en: string, zh: string): Localized => ({ en, 'zh-CN': zh });

export const SCENARIOS: Record<ScenarioId, Scenario> = {
  'handshake': {
    id: 'handshake',
    title: l('Three-way handshake', '三次握手'),
    goal: l('Open the connection: the client sends SYN, the server answers SYN+ACK, the client ACKs. Both must reach ESTABLISHED.',
      '建立连接：客户端发送 SYN，服务器回复 SYN+ACK，客户端发送 ACK。双方都要进入 ESTABLISHED 状态。'),
    start: 'listen',
    firstMover: 'client',
    goalReached: (g) => g.handshakeDone,
  },
  'teardown': {
    id: 'teardown',
    title: l('Four-way teardown (client closes first)', '四次挥手（客户端先关闭）'),
    goal: l('The connection is open. The client closes first with FIN; each side ACKs the other\'s FIN, until the client is in TIME_WAIT and the server CLOSED.',
      '连接已建立。客户端先发送 FIN（终止）关闭；双方各自确认对方的 FIN，直到客户端进入 TIME_WAIT 状态、服务器进入 CLOSED 状态。'),
    start: 'established',
    firstMover: 'client',
    goalReached: (g) => teardownComplete(g) && firstFinFrom(g) === 'client',
  },
  'lifecycle': {
    id: 'lifecycle',
    title: l('Full lifecycle', '完整生命周期'),
    goal: l('Open the connection with the three-way handshake, send data both ways (each side at least once), then close it with FINs.',
      '用三次握手建立连接，双向发送数据（每方至少一次），然后用 FIN（终止）关闭连接。'),
    start: 'listen',
    firstMover: 'client',
    goalReached: (g) => teardownComplete(g) && dataBothWays(g),
  },
  'server-closes': {
    id: 'server-closes',
    title: l('Server closes first', '服务器先关闭'),
    goal: l('The connection is open. This time the server closes first with FIN: it ends in TIME_WAIT, the client in CLOSED.',
      '连接已建立。这次由服务器先发送 FIN（终止）关闭：服务器最后处于 TIME_WAIT 状态，客户端处于 CLOSED 状态。'),
    start: 'established',
    firstMover: 'server',
    goalReached: (g) => teardownComplete(g) && firstFinFrom(g) === 'server',
  },
  'half-close': {
    id: 'half-close',
    title: l('Half-close', '半关闭'),
    goal: l('The client closes its direction with FIN; the server, in CLOSE_WAIT, still sends data, which the client (in FIN_WAIT_2) accepts. Then the server closes too.',
      '客户端用 FIN（终止）关闭自己的发送方向；服务器在 CLOSE_WAIT 状态仍发送数据，客户端（处于 FIN_WAIT_2 状态）接收。然后服务器也关闭。'),
    start: 'established',
    firstMover: 'client',
    goalReached: (g) => teardownComplete(g) && firstFinFrom(g) === 'client'
      && accepted(g, 'client', (a) => a.segment.len > 0 && (a.before === 'FIN_WAIT_1' || a.before === 'FIN_WAIT_2')),
  },
  'simultaneous-open': {
    id: 'simultaneous-open',
    title: l('Simultaneous open', '同时打开'),
    goal: l('Both ends are CLOSED and both open at once: send your SYNs so they cross on the wire. Each goes SYN_SENT → SYN_RECEIVED, answers with SYN+ACK, and reaches ESTABLISHED.',
      '双方都处于 CLOSED 状态并同时主动打开：发送 SYN，让它们在线路上交叉。双方都经历 SYN_SENT 状态 → SYN_RECEIVED 状态，再用 SYN+ACK 应答，进入 ESTABLISHED 状态。'),
    start: 'both-closed',
    firstMover: 'both',
    goalReached: (g) => g.handshakeDone
      && (['client', 'server'] as const).every((s) => accepted(g, s, (a) => a.before === 'SYN_SENT' && a.after === 'SYN_RECEIVED')),
  },
  'simultaneous-close': {
    id: 'simultaneous-close',
    title: l('Simultaneous close', '同时关闭'),
    goal: l('The connection is open. Both sides send FIN before the other\'s FIN arrives: each goes FIN_WAIT_1 → CLOSING → TIME_WAIT.',
      '连接已建立。双方在收到对方的 FIN（终止）之前都发送 FIN：各自经历 FIN_WAIT_1 状态 → CLOSING 状态 → TIME_WAIT 状态。'),
    start: 'established',
    firstMover: 'both',
    goalReached: (g) => teardownComplete(g)
      && (['client', 'server'] as const).every((s) => accepted(g, s, (a) => a.after === 'CLOSING')),
  },
  'lost-segment': {
    id: 'lost-segment',
    title: l('Lost segment and retransmission', '报文段丢失与重传'),
    goal: l('The connection is open. The client sends data, but the wire loses it. When the retransmission timer expires, send it again (same sequence number) until the server accepts it.',
      '连接已建立。客户端发送数据，但线路把它丢失了。超时重传计时器到期后，用相同的序号重新发送，直到服务器接收。'),
    start: 'established',
    firstMover: 'client',
    goalReached: (g) => lostDataRecovered(g),
    // The client's first data segment is lost; nothing else.
    loses: ({ game, sent }) => sent.segment.from === 'client' && sent.segment.len > 0
      && !game.history.some((e) => e.kind === 'sent' && e.segment.segment.from === 'client' && e.segment.segment.len > 0),
  },
  'lost-final-ack': {
    id: 'lost-final-ack',
    title: l('Lost final ACK (why TIME_WAIT waits)', '最后的 ACK 丢失（TIME_WAIT 状态为何要等待）'),
    goal: l('Close the connection, client first. The client\'s last ACK is lost: the server, still in LAST_ACK, retransmits its FIN, and the client, waiting in TIME_WAIT, acknowledges it again (and its 2MSL wait starts over). In the end both ends are closed.',
      '客户端先关闭连接。客户端最后的 ACK 丢失：仍处于 LAST_ACK 状态的服务器重传 FIN（终止），在 TIME_WAIT 状态中等待的客户端再次确认（并重新开始 2MSL 的等待）。最终双方都关闭。'),
    start: 'established',
    firstMover: 'client',
    goalReached: (g) => teardownComplete(g) && firstFinFrom(g) === 'client' && finAnsweredFromTimeWait(g),
    // The first pure ACK sent from TIME_WAIT (the final ACK) is lost.
    loses: ({ game, sent, before }) => before === 'TIME_WAIT' && isPureAck(sent.segment) && !anyDrop(game),
  },
  'refused': {
    id: 'refused',
    title: l('Connection refused', '连接被拒绝'),
    goal: l('No program listens on the server\'s port (it is CLOSED). The client sends SYN; the server must answer with RST+ACK; the client\'s connection attempt ends (CLOSED).',
      '服务器端口上没有程序监听（处于 CLOSED 状态）。客户端发送 SYN；服务器必须用 RST+ACK 应答；客户端的连接尝试结束（进入 CLOSED 状态）。'),
    start: 'no-listener',
    firstMover: 'client',
    goalReached: (g) => g.connection.client.state === 'CLOSED' && accepted(g, 'client', (a) => has(a.segment, 'RST')),
  },
  'abort': {
    id: 'abort',
    title: l('Abort (RST)', '中止连接（RST）'),
    goal: l('The connection is open. The client aborts it with RST (at its SND.NXT); the server accepts the RST, and both ends of the connection are gone at once, without FINs.',
      '连接已建立。客户端用 RST（复位，序号为其 SND.NXT）中止连接；服务器接受 RST，连接的两端立即关闭，不经过 FIN（终止）。'),
    start: 'established',
    firstMover: 'client',
    goalReached: (g) => {
      const { client, server } = g.connection;
      return client.state === 'CLOSED' && server.state === 'CLOSED' && client.reset && server.reset
        && (accepted(g, 'client', (a) => has(a.segment, 'RST')) || accepted(g, 'server', (a) => has(a.segment, 'RST')));
    },
  },
};

/** The catalogue entry for an id. */
export const scenarioOf = (id: ScenarioId): Scenario => SCENARIOS[id];

/**
 * The connection a scenario starts from, for a pair using these ISNs. Positions after the
 * handshake are reached by playing SYN, SYN+ACK, ACK through `step`.
 */
export function startConnection(id: ScenarioId, isn: Record<Side, number>): Connection {
  switch (SCENARIOS[id].start) {
    case 'listen': return initialConnection({ client: 'CLOSED', server: 'LISTEN' });
    case 'both-closed': return initialConnection({ client: 'CLOSED', server: 'CLOSED' });
    case 'no-listener': return initialConnection({ client: 'CLOSED', server: 'CLOSED' });
    case 'established': return handshakeConnection(isn);
  }
}

/** A connection on which the handshake was played with these ISNs: both ESTABLISHED, the wire empty. */
export function handshakeConnection(isn: Record<Side, number>): Connection {
  const c = isn.client >>> 0;
  const s = isn.server >>> 0;
  const events: TcpEvent[] = [
    { type: 'send', segment: { from: 'client', flags: ['SYN'], seq: c, ack: 0, len: 0 } },
    { type: 'deliver', from: 'client' },
    { type: 'send', segment: { from: 'server', flags: ['SYN', 'ACK'], seq: s, ack: (c + 1) >>> 0, len: 0 } },
    { type: 'deliver', from: 'server' },
    { type: 'send', segment: { from: 'client', flags: ['ACK'], seq: (c + 1) >>> 0, ack: (s + 1) >>> 0, len: 0 } },
    { type: 'deliver', from: 'client' },
  ];
  let conn = initialConnection();
  for (const ev of events) {
    const r = step(conn, ev);
    // Unreachable with u32 ISNs; a machine that refuses its own handshake is a bug to surface.
    if (!r.ok) throw new Error(`the handshake was refused at ${ev.type}: ${r.code}`);
    conn = r.connection;
  }
  return conn;
}

/**
 * ISNs for one pair, from a random source in [0, 1). Levels 1–2 use small round numbers
 * (client 100–900, server 1000–9000, easy to tell apart and to add to); level 3 any 32-bit number.
 */
export function pickIsns(level: Level, random: () => number): Record<Side, number> {
  const pick = (n: number) => Math.min(n - 1, Math.floor(random() * n));
  if (level === 3) return { client: pick(2 ** 32) >>> 0, server: pick(2 ** 32) >>> 0 };
  return { client: 100 * (1 + pick(9)), server: 1000 * (1 + pick(9)) };
}
