/**
 * A small real WebSocket client for the server tests, the benchmark and the e2e helpers:
 * connect, send, and wait (with a bound) for a message matching a predicate.
 */
import WebSocket from 'ws';
import { applyTeacherUpdate } from '../shared/game/teacher-feed.ts';
import type { TeacherView } from '../shared/game/views.ts';
import type { TeacherUpdate } from '../shared/protocol.ts';
import { PROTOCOL_VERSION } from '../shared/protocol-constants.ts';

/** A message from the server, loosely typed: tests narrow it with predicates. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Msg = { type: string; [k: string]: any };

/** A connected test client. */
export interface TestClient {
  ws: WebSocket;
  /**
   * Every message received so far, in order; a teacher/update is recorded as the view it
   * makes (`{type: 'view', seq, view, update}`, see mergedView).
   */
  messages: Msg[];
  /** Send a value as JSON. */
  send(msg: unknown): void;
  /** Send a raw text frame as is. */
  sendRaw(text: string | Buffer): void;
  /**
   * The first message not yet returned by a waitFor (or, with `fromIndex`, at or after that
   * index of `messages`) matching `pred`; rejects after `timeoutMs`.
   */
  waitFor(pred: (m: Msg) => boolean, timeoutMs?: number, label?: string, fromIndex?: number): Promise<Msg>;
  /** Resolves with the close code and reason when the socket closes. */
  closed: Promise<{ code: number; reason: string }>;
  /** Whether the socket is closed. */
  isClosed(): boolean;
  /** Close (normal closure) and wait for it. */
  close(): Promise<void>;
  /** Drop the socket without a closing handshake, like a network loss. */
  terminate(): void;
}

/** Open a WebSocket to `url` and resolve once it is open. */
export function connect(url: string, timeoutMs = 5000): Promise<TestClient> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: Msg[] = [];
    const waiters = new Set<() => void>();
    let cursor = 0;
    let isClosed = false;
    const closed = new Promise<{ code: number; reason: string }>((res) => {
      ws.on('close', (code, reason) => {
        isClosed = true;
        res({ code, reason: reason.toString() });
        for (const w of [...waiters]) w();
      });
    });
    ws.on('message', (data) => {
      let m: Msg;
      try {
        m = JSON.parse(data.toString()) as Msg;
      } catch {
        m = { type: '<not json>', text: data.toString() };
      }
      messages.push(m.type === 'teacher/update' ? mergedView(messages, m) : m);
      for (const w of [...waiters]) w();
    });
    const timer = setTimeout(() => { ws.terminate(); reject(new Error(`connect ${url}: timed out`)); }, timeoutMs);
    ws.once('error', (e) => { clearTimeout(timer); reject(e); });
    ws.once('open', () => {
      clearTimeout(timer);
      ws.on('error', () => { /* reported through close */ });
      resolve({
        ws,
        messages,
        send: (msg) => ws.send(JSON.stringify(msg)),
        sendRaw: (text) => ws.send(text),
        waitFor(pred, ms = 5000, label = 'message', fromIndex) {
          if (fromIndex !== undefined) cursor = Math.max(cursor, fromIndex);
          return new Promise<Msg>((res, rej) => {
            const check = (): boolean => {
              for (let i = cursor; i < messages.length; i++) {
                const m = messages[i]!;
                if (pred(m)) {
                  cursor = i + 1;
                  return finish(() => res(m));
                }
              }
              if (isClosed) return finish(() => rej(new Error(`waiting for ${label}: socket closed; got ${summary(messages.slice(cursor))}`)));
              return false;
            };
            const finish = (f: () => void): true => { clearTimeout(t); waiters.delete(wake); f(); return true; };
            const wake = (): void => { check(); };
            const t = setTimeout(() => {
              waiters.delete(wake);
              rej(new Error(`waiting for ${label}: timed out after ${ms} ms; unseen: ${summary(messages.slice(cursor))}`));
            }, ms);
            waiters.add(wake);
            check();
          });
        },
        closed,
        isClosed: () => isClosed,
        async close() {
          if (!isClosed) ws.close(1000);
          await Promise.race([closed, new Promise((r) => setTimeout(r, 2000))]);
          if (!isClosed) ws.terminate();
        },
        terminate: () => ws.terminate(),
      });
    });
  });
}

/**
 * A teacher/update recorded as the view it makes: `{type: 'view', seq, view, update}`, the
 * latest view (from a welcome, a view or an earlier update) with the update applied, and the
 * update as it came. So lastView, waitView and scans of `messages` for views work for teacher
 * clients as they do for students.
 */
function mergedView(messages: readonly Msg[], update: Msg): Msg {
  let base: TeacherView | undefined;
  for (let i = messages.length - 1; i >= 0 && !base; i--) {
    const m = messages[i]!;
    if (m.type === 'view' || m.type === 'welcome') base = m.view as TeacherView;
  }
  // Nothing to merge into (a server bug): kept as it came, so a wait for a view times out naming it.
  if (base?.role !== 'teacher') return update;
  return { type: 'view', seq: update.seq, view: applyTeacherUpdate(base, update as TeacherUpdate), update };
}

function summary(ms: Msg[]): string {
  const s = ms.map((m) => (m.type === 'error' ? `error(${String(m.code)})` : m.type)).join(', ');
  return s.length > 400 ? `${s.slice(0, 400)}…` : s || '(nothing)';
}

// ---------------------------------------------------------------------------------------
// Game helpers: open a room, join, read the latest view, play a card at level 1
// ---------------------------------------------------------------------------------------

/** POST /api/rooms: a new room's code and key. */
export async function openRoom(baseUrl: string, kind: 'class' | 'practice' = 'class'): Promise<{ code: string; key: string }> {
  const res = await fetch(`${baseUrl}/api/rooms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind }) });
  if (res.status !== 201) throw new Error(`POST /api/rooms: ${res.status} ${await res.text()}`);
  return (await res.json()) as { code: string; key: string };
}

/** Connect as the teacher (hello with the key) and wait for the welcome. */
export async function teacher(wsUrl: string, code: string, key: string): Promise<TestClient> {
  const c = await connect(wsUrl);
  c.send({ type: 'hello', v: PROTOCOL_VERSION, code, key });
  await c.waitFor((m) => m.type === 'welcome' || m.type === 'error', 5000, 'teacher welcome').then((m) => {
    if (m.type !== 'welcome') throw new Error(`hello refused: ${m.code}`);
  });
  return c;
}

/** A student's connection with its seat id and token. */
export interface Student { c: TestClient; seatId: string; token: string }

/** Connect and join with a nickname; wait for the welcome. */
export async function student(wsUrl: string, code: string, nickname: string): Promise<Student> {
  const c = await connect(wsUrl);
  c.send({ type: 'join', v: PROTOCOL_VERSION, code, nickname });
  const m = await c.waitFor((x) => x.type === 'welcome' || x.type === 'error', 5000, `welcome of ${nickname}`);
  if (m.type !== 'welcome') throw new Error(`join ${nickname} refused: ${m.code} ${m.message}`);
  return { c, seatId: m.you.seatId, token: m.you.token };
}

/** Reconnect a seat with its token; wait for the welcome. */
export async function resume(wsUrl: string, code: string, token: string, lastSeq = 0): Promise<TestClient> {
  const c = await connect(wsUrl);
  c.send({ type: 'resume', v: PROTOCOL_VERSION, code, token, lastSeq });
  const m = await c.waitFor((x) => x.type === 'welcome' || x.type === 'error', 5000, 'resume welcome');
  if (m.type !== 'welcome') throw new Error(`resume refused: ${m.code} ${m.message}`);
  return c;
}

/** The latest view this client received (from a welcome or a view message). */
export function lastView(c: TestClient): Msg['view'] {
  for (let i = c.messages.length - 1; i >= 0; i--) {
    const m = c.messages[i]!;
    if (m.type === 'view' || m.type === 'welcome') return m.view;
  }
  return undefined;
}

/** The latest view if it already satisfies `pred`, else the next view that does. */
export async function waitView(c: TestClient, pred: (view: Msg['view']) => boolean, timeoutMs = 5000, label = 'view'): Promise<Msg['view']> {
  const now = lastView(c);
  if (now && pred(now)) return now;
  // Only views still to come: older ones were superseded by the latest.
  const m = await c.waitFor((x) => (x.type === 'view' || x.type === 'welcome') && pred(x.view), timeoutMs, label, c.messages.length);
  return m.view;
}

/** Wait until this student's own endpoint is in `state`. */
export function waitState(c: TestClient, state: string, timeoutMs = 5000): Promise<Msg['view']> {
  return waitView(c, (v) => v?.pair?.game?.endpoint?.state === state, timeoutMs, `state ${state}`);
}

/** The card a level-1 player sends with these flags: numbers from the view's hints. */
export function card(view: Msg['view'], flags: string[], len = 0): { flags: string[]; seq: number; ack: number; len: number } {
  const game = view?.pair?.game;
  if (!game?.hints) throw new Error('no game or no hints in the view');
  const key = (['SYN', 'ACK', 'RST'] as const).filter((f) => flags.includes(f)).join('+') || 'none';
  const n = game.hints.auto[key];
  if (!n) throw new Error(`no hint for ${key}`);
  return { flags, seq: n.seq, ack: n.ack, len };
}

/** Send a move built from the latest view and wait for its answer (move/result or error). */
export async function play(c: TestClient, flags: string[], len = 0, override: Partial<{ seq: number; ack: number; stateSeq: number }> = {}): Promise<Msg> {
  const view = lastView(c);
  const segment = { ...card(view, flags, len), ...(override.seq !== undefined ? { seq: override.seq } : {}), ...(override.ack !== undefined ? { ack: override.ack } : {}) };
  c.send({ type: 'move', stateSeq: override.stateSeq ?? view.pair.game.stateSeq, segment });
  const answer = await c.waitFor((m) => m.type === 'move/result' || (m.type === 'error' && m.ref === 'move'), 5000, `answer to ${flags.join('+')}`);
  // A logged move is followed at once by the room's new view: wait for it, so the next move starts from it.
  if (answer.type === 'move/result') await c.waitFor((m) => m.type === 'view', 5000, 'view after the move');
  return answer;
}

/** A class room with a teacher and two students paired by hand, a round of `scenario` running at level 1. */
export async function classWithPair(baseUrl: string, wsUrl: string, scenario = 'handshake'): Promise<{ code: string; key: string; t: TestClient; a: Student; b: Student }> {
  const { code, key } = await openRoom(baseUrl);
  const t = await teacher(wsUrl, code, key);
  const a = await student(wsUrl, code, 'Ada');
  const b = await student(wsUrl, code, 'Lin');
  t.send({ type: 'pair/set', client: a.seatId, server: b.seatId });
  t.send({ type: 'round/start', scenario, level: 1, speedBonus: false });
  for (const s of [a, b]) await waitView(s.c, (v) => v.round.status === 'running' && v.pair?.game != null);
  return { code, key, t, a, b };
}
