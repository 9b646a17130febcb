/**
 * Group commit: rows appended in one turn share one transaction; each room hears "committed"
 * in order and only after its rows are in the file; a room whose rows cannot be written
 * fails alone. Against a real SQLite file, and a real server whose answers are checked
 * against the log at the moment they are sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Journal } from './journal.ts';
import Database from 'better-sqlite3';
import { DB_FILE, openSqliteStore, type SqliteStore, type StoredEvent } from './store.ts';
import { startServer, type RunningServer } from './server.ts';
import { classWithPair, card, lastView, type TestClient } from './test-client.ts';
import type { Peer } from './room-runtime.ts';
import { PROTOCOL_VERSION, type ServerMessage } from '../shared/protocol.ts';

const dirs: string[] = [];
const stores: SqliteStore[] = [];
const servers: RunningServer[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.close()));
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function freshStore(): SqliteStore {
  const dir = mkdtempSync(path.join(tmpdir(), 'synack-journal-'));
  dirs.push(dir);
  const store = openSqliteStore(dir);
  stores.push(store);
  for (const code of ['AAAAAA', 'BBBBBB']) {
    store.createRoom({ code, kind: 'class', keyHash: 'k', createdAt: 0, closed: false }, { seq: 1, at: 0, actor: 'teacher', event: { type: 'room/created', code, kind: 'class', keyHash: 'k', at: 0 } });
  }
  return store;
}

const paused = (seq: number): StoredEvent => ({ seq, at: seq, actor: 'teacher', event: { type: 'round/paused', by: 'teacher' } });
const turn = () => new Promise<void>((r) => setImmediate(r));

describe('Journal', () => {
  it('writes the rows of one turn, from several rooms, in one transaction, and tells each in order once they are in the file', async () => {
    const store = freshStore();
    const journal = new Journal(store);
    const heard: string[] = [];
    const hear = (label: string, code: string, seq: number) => (failure: Error | null) => {
      // At this moment the row must already be readable from the file.
      const inLog = store.eventsOf(code).some((e) => e.seq === seq);
      heard.push(`${label}:${failure ? 'failed' : 'ok'}:${inLog ? 'in-log' : 'missing'}`);
    };
    journal.append('AAAAAA', paused(2), hear('A2', 'AAAAAA', 2));
    journal.append('BBBBBB', paused(2), hear('B2', 'BBBBBB', 2));
    journal.append('AAAAAA', paused(3), hear('A3', 'AAAAAA', 3));
    expect(journal.pending).toBe(3);
    expect(heard).toEqual([]);
    await turn();
    expect(heard).toEqual(['A2:ok:in-log', 'B2:ok:in-log', 'A3:ok:in-log']);
    expect(journal.stats).toEqual({ commits: 1, rows: 3 });
  });

  it('a room whose row cannot be written fails alone: the other rooms of the batch are committed', async () => {
    const store = freshStore();
    // Another writer already took BBBBBB's seq 2.
    store.appendEvent('BBBBBB', paused(2));
    const journal = new Journal(store);
    const heard: string[] = [];
    const hear = (label: string) => (failure: Error | null) => { heard.push(`${label}:${failure ? 'failed' : 'ok'}`); };
    journal.append('AAAAAA', paused(2), hear('A2'));
    journal.append('BBBBBB', paused(2), hear('B2'));
    journal.append('BBBBBB', paused(3), hear('B3'));
    journal.append('AAAAAA', paused(3), hear('A3'));
    await turn();
    expect(heard).toEqual(['A2:ok', 'B2:failed', 'B3:failed', 'A3:ok']);
    expect(store.eventsOf('AAAAAA').map((e) => e.seq)).toEqual([1, 2, 3]);
    // Nothing of B's failed batch is in the file (its seq 3 went down with its seq 2).
    expect(store.eventsOf('BBBBBB').map((e) => e.seq)).toEqual([1, 2]);
  });
});

/** An in-process connection: what the server sends it, and whether the log had the move when it did. */
function recordingPeer(id: number, store: SqliteStore, code: string): Peer & { got: ServerMessage[]; loggedWhenAnswered: boolean[] } {
  const got: ServerMessage[] = [];
  const loggedWhenAnswered: boolean[] = [];
  const peer: Peer & { got: ServerMessage[]; loggedWhenAnswered: boolean[] } = {
    id, address: '127.0.0.1', viewer: null, room: null, got, loggedWhenAnswered,
    isOpen: () => true,
    send(msg: ServerMessage) {
      if (msg.type === 'move/result') {
        const seatId = peer.viewer?.role === 'student' ? peer.viewer.seatId : '';
        loggedWhenAnswered.push(store.eventsOf(code).some((e) => e.event.type === 'move' && e.event.seatId === seatId));
      }
      got.push(msg);
    },
    sendText(json: string) { got.push(JSON.parse(json) as ServerMessage); },
    close() {},
  };
  return peer;
}

describe('the server commits in groups', () => {
  it('moves of two rooms in the same turn share one commit, and each answer leaves only after its move is in the log', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'synack-journal-srv-'));
    dirs.push(dir);
    const srv = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, latencyMs: 50, timeWaitMs: 120_200, rtxMs: 60_000 });
    servers.push(srv);
    const classes = [await classWithPair(srv.url, srv.wsUrl), await classWithPair(srv.url, srv.wsUrl)];
    for (const c of classes) clients.push(c.t, c.a.c, c.b.c);
    const store = openSqliteStore(dir);
    stores.push(store);
    // The two clients take their seats over in-process connections, so both moves are handled in one turn.
    const peers = await Promise.all(classes.map(async ({ code, a }, i) => {
      const peer = recordingPeer(100 + i, store, code);
      const r = await srv.hub.handle(peer, { type: 'resume', v: PROTOCOL_VERSION, code, token: a.token, lastSeq: 0 });
      expect(r).toEqual({ ok: true });
      return peer;
    }));
    const before = { ...srv.hub.journal.stats };
    const answers = classes.map(({ a }, i) => {
      const view = lastView(a.c);
      return srv.hub.handle(peers[i]!, { type: 'move', stateSeq: view.pair.game.stateSeq, segment: { ...card(view, ['SYN']), flags: ['SYN'] } });
    });
    expect(srv.hub.journal.pending).toBe(2);
    expect(await Promise.all(answers)).toEqual([{ ok: true }, { ok: true }]);
    expect(srv.hub.journal.stats.commits - before.commits).toBe(1);
    expect(srv.hub.journal.stats.rows - before.rows).toBe(2);
    for (const peer of peers) {
      expect(peer.got.filter((m) => m.type === 'move/result')).toHaveLength(1);
      expect(peer.loggedWhenAnswered).toEqual([true]);
    }
  });
});

describe('a write that fails', () => {
  it('is answered server/internal, and the room rolls back to what is in the log: the same move then succeeds', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'synack-journal-fail-'));
    dirs.push(dir);
    const srv = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, latencyMs: 50, timeWaitMs: 120_200, rtxMs: 60_000, warn: () => {} });
    servers.push(srv);
    const { code, t, a, b } = await classWithPair(srv.url, srv.wsUrl);
    clients.push(t, a.c, b.c);
    // Another writer takes the seq the room's next row needs.
    const other = new Database(path.join(dir, DB_FILE));
    const seq = srv.hub.live(code)!.room.seq + 1;
    other.prepare('INSERT INTO events (room_code, seq, at, actor, type, payload) VALUES (?, ?, 0, ?, ?, ?)').run(code, seq, 'teacher', 'round/paused', '{"type":"round/paused","by":"teacher"}');
    const view = lastView(a.c);
    a.c.send({ type: 'move', stateSeq: view.pair.game.stateSeq, segment: card(view, ['SYN']) });
    const refused = await a.c.waitFor((m) => m.type === 'error' || m.type === 'move/result', 5000, 'answer');
    expect(refused).toMatchObject({ type: 'error', code: 'server/internal', ref: 'move' });
    expect(srv.hub.live(code)!.room.seq).toBe(seq - 1);

    other.prepare('DELETE FROM events WHERE room_code = ? AND seq = ?').run(code, seq);
    other.close();
    a.c.send({ type: 'move', stateSeq: view.pair.game.stateSeq, segment: card(view, ['SYN']) });
    const played = await a.c.waitFor((m) => m.type === 'error' || m.type === 'move/result', 5000, 'answer');
    expect(played).toMatchObject({ type: 'move/result', verdict: { ok: true } });
    expect(store(dir).eventsOf(code).at(-1)).toMatchObject({ seq, event: { type: 'move', seatId: a.seatId } });
  });
});

function store(dir: string): SqliteStore {
  const s = openSqliteStore(dir);
  stores.push(s);
  return s;
}
