/**
 * The review endpoints' paths (under /api), as functions of their parameters. Their own
 * module, without zod: shared/api.ts re-exports them beside its schemas, and the browser's
 * review pages import them from here.
 */

/** `GET /api/rooms/:code/report`: shared/review/types.ts `ClassReport`. */
export const REPORT_PATH = (code: string) => `/rooms/${encodeURIComponent(code)}/report`;
/** `GET /api/rooms/:code/pairs/:pairId/replay?round=N`: one pair's round, `Replay`. */
export const REPLAY_PATH = (code: string, pairId: string, round: number) => `/rooms/${encodeURIComponent(code)}/pairs/${encodeURIComponent(pairId)}/replay?round=${round}`;
/** `GET /api/rooms/:code/pairs/:pairId/trace?round=N`: the same round as a trace (format v1), as a download. */
export const TRACE_PATH = (code: string, pairId: string, round: number) => `/rooms/${encodeURIComponent(code)}/pairs/${encodeURIComponent(pairId)}/trace?round=${round}`;
/** `GET /api/rooms/:code/export.csv`: the grade book (UTF-8 with a BOM). */
export const CSV_PATH = (code: string) => `/rooms/${encodeURIComponent(code)}/export.csv`;
/** `GET /api/rooms/:code/export.json`: `ClassExport`. */
export const JSON_PATH = (code: string) => `/rooms/${encodeURIComponent(code)}/export.json`;
/** `DELETE /api/rooms/:code`: 204; afterwards every endpoint of the room answers 404 room/not-found. */
export const ROOM_PATH = (code: string) => `/rooms/${encodeURIComponent(code)}`;
