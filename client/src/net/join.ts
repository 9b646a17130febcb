/** Joining a room as a student from the start page, before the table opens. */
import { openSession, type RoomSession } from './session.ts';

export type JoinOutcome = { ok: true; session: RoomSession } | { ok: false; code: string; message: string };

/**
 * Join over the socket; resolves once welcomed, with the open session (the table and any
 * commands sent next use it), or with the error that refused us.
 */
export function joinRoom(code: string, nickname: string): Promise<JoinOutcome> {
  const session = openSession(code, 'student', { nickname });
  return new Promise((resolve) => {
    const check = () => {
      const s = session.state;
      if (s.welcomed) { off(); resolve({ ok: true, session }); } else if (s.error) {
        off();
        session.close();
        resolve({ ok: false, code: s.error.code, message: s.error.message });
      } else if (s.status.kind === 'waiting' && s.status.attempt >= 3) {
        off();
        session.close();
        resolve({ ok: false, code: 'client/offline', message: 'the server cannot be reached' });
      }
    };
    const off = session.subscribe(check);
    check();
  });
}
