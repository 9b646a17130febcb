/**
 * The HTTP API's shapes, beside the WebSocket protocol (protocol.ts): request bodies as zod
 * schemas, and the answers as types. The server validates with the schemas; the browser
 * imports the types only (no zod in the student page). docs/protocol.md describes each
 * endpoint.
 */
import { z } from 'zod';
import type { ErrorCode } from './protocol.ts';
import type { RoomKind, RoundStatus, ScenarioId } from './game/model.ts';

/** Largest JSON body the API accepts. */
export const MAX_API_BODY = '16kb';
/** At most this many keys in one lookup. */
export const MAX_LOOKUP_KEYS = 100;

/** `POST /api/rooms`. */
export const createRoomBodySchema = z.strictObject({ kind: z.enum(['class', 'practice']) });
export type CreateRoomBody = z.infer<typeof createRoomBodySchema>;
/** The answer to `POST /api/rooms` (201): the key is shown once; only its hash is stored. */
export interface CreatedRoom { code: string; key: string; kind: RoomKind }

/** `POST /api/rooms/lookup`: the keys this browser holds. */
export const lookupBodySchema = z.strictObject({ keys: z.array(z.string().min(1).max(128)).max(MAX_LOOKUP_KEYS) });
export type LookupBody = z.infer<typeof lookupBodySchema>;

/** What a key holder sees of a room in the lookup list. */
export interface RoomSummary {
  code: string;
  kind: RoomKind;
  createdAt: number;
  closed: boolean;
  /** Seats not removed. */
  seats: number;
  round: { number: number; status: RoundStatus; scenario: ScenarioId };
}
/** The answer to `POST /api/rooms/lookup`, newest first. */
export interface LookupAnswer { rooms: RoomSummary[] }

/** The public facts about a room, for the join page: `GET /api/rooms/:code`. */
export interface RoomInfo {
  code: string;
  kind: RoomKind;
  open: boolean;
}

/** Every API error: the same shape as the WebSocket `error` message. */
export interface ApiErrorBody { type: 'error'; code: ErrorCode; message: string }

// ---------------------------------------------------------------------------------------
// Review (all with `Authorization: Bearer <room key>`; 401 auth/bad-key without it)
// ---------------------------------------------------------------------------------------

export type { ClassReport, Replay, ReplayStep } from './review/types.ts';

// The paths live in a module without zod, so the review pages can import them without it.
export { CSV_PATH, JSON_PATH, REPLAY_PATH, REPORT_PATH, ROOM_PATH, TRACE_PATH } from './api-paths.ts';

/** `GET /api/rooms/:code/export.json`: the report and the whole log, one document. */
export interface ClassExport {
  format: 'synack-class/1';
  report: import('./review/types.ts').ClassReport;
  log: import('./game/model.ts').LogEntry[];
}
