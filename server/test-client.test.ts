/**
 * The test client records a teacher/update as the view it makes, so lastView and waitView
 * work for teacher connections whether the server sends views or updates. Against a bare
 * ws server that plays the protocol's worked example (welcome, then two updates).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { applyTeacherUpdate } from '../shared/game/teacher-feed.ts';
import type { TeacherView } from '../shared/game/views.ts';
import { EXAMPLES } from '../shared/protocol.ts';
import { connect, lastView, waitView } from './test-client.ts';

const welcome = EXAMPLES.server['welcome (teacher)'];
const move = EXAMPLES.server['teacher/update'];
const added = EXAMPLES.server['teacher/update (pair added)'];

let wss: WebSocketServer;
let url: string;

beforeAll(async () => {
  wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
  wss.on('connection', (ws) => {
    ws.send(JSON.stringify(welcome));
    // The updates only when asked, so the test sees the views one by one.
    ws.on('message', (d) => ws.send(JSON.stringify(d.toString() === 'move' ? move : added)));
  });
});
afterAll(() => new Promise<void>((r) => wss.close(() => r())));

describe('test client: teacher/update', () => {
  it('is recorded as the merged view, with the update kept beside it', async () => {
    const c = await connect(url);
    try {
      await c.waitFor((m) => m.type === 'welcome');
      expect(lastView(c)).toEqual(welcome.view);
      c.sendRaw('move');
      const afterMove = await waitView(c, (v) => v.pairs[0].game.connection.client.state === 'SYN_SENT');
      expect(afterMove).toEqual(applyTeacherUpdate(welcome.view as TeacherView, move));
      c.sendRaw('pair');
      const afterPair = await waitView(c, (v) => v.pairs.length === 2);
      expect(afterPair).toEqual(applyTeacherUpdate(afterMove as TeacherView, added));
      expect(afterPair.seats[0]).toEqual(afterMove.seats[0]); // Ada's seat, unchanged since her move
      expect(c.messages.map((m) => [m.type, m.seq])).toEqual([['welcome', 7], ['view', 8], ['view', 9]]);
      expect(c.messages[2]!.update).toEqual(added);
    } finally {
      await c.close();
    }
  });
});
