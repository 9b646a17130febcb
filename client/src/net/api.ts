/** The server's HTTP API: open a room, look up the rooms this browser holds keys for. */
import type { CreatedRoom, LookupAnswer, LookupBody, CreateRoomBody, RoomSummary } from '../../../shared/api.ts';
import type { RoomKind } from '../../../shared/game/model.ts';

export type { RoomSummary };

export { normalizeRoomCode } from '../../../shared/protocol-constants.ts';

export class ApiError extends Error {
  constructor(readonly code: string, message: string) { super(message); }
}

async function call<T>(path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api${path}`, body === undefined ? {} : {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError('client/offline', 'the server cannot be reached');
  }
  const json = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
  if (!res.ok) throw new ApiError(json?.code ?? `http/${res.status}`, json?.message ?? res.statusText);
  return json as T;
}

/** Open a class or practice room: its code and its key (shown once; kept in this browser). */
export const createRoom = (kind: RoomKind) => call<CreatedRoom>('/rooms', { kind } satisfies CreateRoomBody);

/** The rooms these keys open, newest first. */
export const lookupRooms = (keys: string[]) => call<LookupAnswer>('/rooms/lookup', { keys } satisfies LookupBody).then((r) => r.rooms);
