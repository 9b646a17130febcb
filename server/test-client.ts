/**
 * A small real WebSocket client for the server tests, the benchmark and the e2e helpers:
 * connect, send, and wait (with a bound) for a message matching a predicate.
 */
import WebSocket from 'ws';

/** A message from the server, loosely typed: tests narrow it with predicates. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Msg = { type: string; [k: string]: any };

/** A connected test client. */
export interface TestClient {
  ws: WebSocket;
  /** Every message received so far, in order. */
  messages: Msg[];
  /** Send a value as JSON. */
  send(msg: unknown): void;
  /** Send a raw text frame as is. */
  sendRaw(text: string | Buffer): void;
  /** The first message (from `from`, default: the next unseen one) matching `pred`; rejects after `timeoutMs`. */
  waitFor(pred: (m: Msg) => boolean, timeoutMs?: number, label?: string): Promise<Msg>;
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
      try {
        messages.push(JSON.parse(data.toString()) as Msg);
      } catch {
        messages.push({ type: '<not json>', text: data.toString() });
      }
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
        waitFor(pred, ms = 5000, label = 'message') {
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

function summary(ms: Msg[]): string {
  const s = ms.map((m) => (m.type === 'error' ? `error(${String(m.code)})` : m.type)).join(', ');
  return s.length > 400 ? `${s.slice(0, 400)}…` : s || '(nothing)';
}
