/**
 * Several commands on one open session, then a wait for the view they lead to. The server
 * handles one connection's frames strictly in order, so each command sees what the earlier
 * ones did (a bot seated and paired before the round starts).
 */
import type { ClientMessage } from '../../../shared/protocol.ts';
import type { SessionState } from './session.ts';

/** What the helper needs of a session (RoomSession has it; tests pass a fake). */
export interface CommandTarget {
  readonly state: SessionState;
  send(msg: ClientMessage): boolean;
  subscribe(listener: () => void): () => void;
}

export type CommandOutcome =
  | { ok: true; state: SessionState }
  | { ok: false; code: string; message: string; ref?: string };

/** How long to wait for the server before saying it did not answer. */
export const COMMANDS_TIMEOUT_MS = 10_000;

/**
 * Send `msgs` in order, then resolve once `ready(state)` holds, or with the first error the
 * server answers after them, a lost connection, or no answer within `timeoutMs`.
 */
export function sendAndWait(
  target: CommandTarget, msgs: readonly ClientMessage[], ready: (state: SessionState) => boolean, timeoutMs = COMMANDS_TIMEOUT_MS,
): Promise<CommandOutcome> {
  // Errors are numbered: only one numbered after these commands were sent answers them.
  const errorsBefore = target.state.error?.n ?? 0;
  for (const m of msgs) {
    if (!target.send(m)) return Promise.resolve({ ok: false, code: 'client/offline', message: 'not connected' });
  }
  return new Promise((resolve) => {
    let done = false;
    const finish = (o: CommandOutcome) => {
      if (done) return;
      done = true;
      off();
      clearTimeout(timer);
      resolve(o);
    };
    const check = () => {
      const s = target.state;
      if (s.error && s.error.n > errorsBefore) {
        finish({ ok: false, code: s.error.code, message: s.error.message, ...(s.error.ref ? { ref: s.error.ref } : {}) });
      } else if (ready(s)) {
        finish({ ok: true, state: s });
      } else if (s.ended || s.status.kind === 'closed' || s.status.kind === 'waiting') {
        // A connection lost now may come back, but these commands' answers went with it.
        finish({ ok: false, code: 'client/offline', message: 'the connection was lost' });
      }
    };
    const off = target.subscribe(check);
    const timer = setTimeout(() => finish({ ok: false, code: 'client/timeout', message: 'no answer from the server' }), timeoutMs);
    check();
  });
}
