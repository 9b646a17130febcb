/**
 * The two servers `npm run bench -- --students N` measures, each in its own process so its
 * CPU and memory can be read from /proc: `game` is the real server (startServer) with the
 * per-address limits opened up (every generated student comes from 127.0.0.1) and no wire
 * latency; `relay` is a bare ws relay that forwards each card to the partner and copies it to
 * the class's teacher, the floor the game is compared with. Prints `PORT <n>` once listening.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { startServer } from './server.ts';

const mode = process.argv[2];

// `gc` on stdin: a full collection (the bench reads memory after it), answered `GC done`.
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d: string) => {
  if (!d.includes('gc')) return;
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  process.stdout.write(`GC done rss=${m.rss} heapUsed=${m.heapUsed} heapTotal=${m.heapTotal} external=${m.external} arrayBuffers=${m.arrayBuffers}\n`);
});

if (mode === 'game') {
  const dataDir = process.env.DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'synack-load-'));
  const srv = await startServer({
    port: 0, host: '127.0.0.1', dataDir, latencyMs: 0, rtxMs: 60_000, timeWaitMs: 121_000, maxSeats: 10_000,
    limits: { roomsPerMinute: 1e9, joinsPerMinute: 1e9, codeGuessesPerHour: 1e9, maxPendingPerAddress: 1e9, joinTimeoutMs: 600_000 },
    // The closed loop plays as fast as answers come: far past the 20 messages a second a person may send.
    ws: { ratePerSec: 1e6, rateBurst: 1e6 },
    warn: (m) => process.stderr.write(`${m}\n`),
  });
  process.stdout.write(`PORT ${srv.port}\n`);
  process.on('SIGTERM', () => { void srv.close().then(() => process.exit(0)); });
} else if (mode === 'relay') {
  interface Member { ws: WebSocket; room: string; seat: number }
  const rooms = new Map<string, { seats: Map<number, WebSocket>; teacher: WebSocket | null }>();
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  wss.on('connection', (ws) => {
    let me: Member | null = null;
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { type: string; room: string; seat?: number; teacher?: boolean; id?: number };
      if (msg.type === 'hello') {
        const room = rooms.get(msg.room) ?? { seats: new Map(), teacher: null };
        rooms.set(msg.room, room);
        if (msg.teacher) room.teacher = ws;
        else { room.seats.set(msg.seat!, ws); me = { ws, room: msg.room, seat: msg.seat! }; }
        ws.send('{"type":"welcome"}');
        return;
      }
      if (msg.type === 'card' && me) {
        const room = rooms.get(me.room)!;
        const text = data.toString();
        room.seats.get(me.seat ^ 1)?.send(text);
        room.teacher?.send(text);
        ws.send(`{"type":"ack","id":${msg.id}}`);
      }
    });
  });
  wss.on('listening', () => {
    const addr = wss.address();
    process.stdout.write(`PORT ${addr && typeof addr === 'object' ? addr.port : 0}\n`);
  });
  process.on('SIGTERM', () => { wss.close(); process.exit(0); });
} else {
  process.stderr.write('usage: load-bench-server.ts game|relay\n');
  process.exit(2);
}
