/**
 * The review endpoints (after class, with the room key): the report, a pair's replay and
 * its trace, the grade book as CSV, the whole class as JSON, and deletion. Everything is
 * computed from the log by shared/review (the same reducer the room ran), so it is what the
 * players saw. Shapes: shared/api.ts and shared/review/types.ts.
 */
import express, { type Request, type Response, type Router } from 'express';
import { stringify } from 'csv-stringify/sync';
import { ERROR_CODES, type ErrorCode } from '../shared/protocol.ts';
import type { ApiErrorBody, ClassExport } from '../shared/api.ts';
import { buildReport } from '../shared/review/report.ts';
import { pairRoundReplay, replayToTrace } from '../shared/review/replay.ts';
import { MISCONCEPTIONS, MISCONCEPTION_IDS } from '../shared/game/misconceptions.ts';
import type { ClassReport } from '../shared/review/types.ts';
import { ROOM_DAMAGED_MESSAGE, type Hub } from './hub.ts';
import type { StoredEvent } from './store.ts';

function sendError(res: Response, status: number, code: ErrorCode, message: string): void {
  res.status(status).json({ type: 'error', code, message } satisfies ApiErrorBody);
}

const bearer = (req: Request): string | undefined => /^Bearer\s+(\S{1,128})$/i.exec(req.get('authorization') ?? '')?.[1];

/** The grade book: one row per student, a header row, formulas neutralised, a UTF-8 BOM for Excel. */
export function gradeBookCsv(report: ClassReport): string {
  const rounds = report.rounds.map((r) => r.number);
  const header = [
    'nickname', 'seat', 'removed', 'score', 'moves', 'legal moves', 'legal share (%)', 'refused moves',
    ...MISCONCEPTION_IDS.map((id) => `refused: ${MISCONCEPTIONS[id].title.en}`),
    'handshakes', 'teardowns', 'rounds with the goal reached',
    ...rounds.map((n) => `round ${n} score`),
  ];
  const rows = report.students.map((s) => [
    s.nickname, s.seatId, s.removed ? 'yes' : 'no', s.score, s.moves, s.legal,
    s.legalShare === null ? '' : Math.round(s.legalShare * 1000) / 10, s.refused,
    ...MISCONCEPTION_IDS.map((id) => s.refusedByMisconception[id] ?? 0),
    s.handshakes, s.teardowns, s.goals,
    ...rounds.map((n) => s.scoreByRound[String(n)] ?? 0),
  ]);
  // escape_formulas: a cell starting with = + - @ tab or CR gets a leading ' (OWASP CSV injection).
  // Numbers are written as numbers and not escaped, so a negative score stays a number.
  return stringify([header, ...rows], { bom: true, escape_formulas: true, record_delimiter: 'windows' });
}

/** The review routes, mounted under /api. */
export function reviewRouter(hub: Hub): Router {
  const r = express.Router();

  /** The room's log for this request's key, or an answer already sent. */
  const access = (req: Request, res: Response): { code: string; log: StoredEvent[] } | null => {
    const found = hub.log(String(req.params.code), bearer(req));
    if (!found.ok && found.why === 'not-found') { sendError(res, 404, ERROR_CODES.roomNotFound, 'there is no room with that code'); return null; }
    if (!found.ok && found.why === 'damaged') { sendError(res, 500, ERROR_CODES.roomDamaged, ROOM_DAMAGED_MESSAGE); return null; }
    if (!found.ok) { res.set('WWW-Authenticate', 'Bearer'); sendError(res, 401, ERROR_CODES.badKey, 'send the room key as "Authorization: Bearer <key>"'); return null; }
    return { code: found.code, log: found.events };
  };
  const roundParam = (req: Request): number | null => {
    const n = Number(req.query.round);
    return Number.isInteger(n) && n >= 1 ? n : null;
  };

  r.get('/rooms/:code/report', (req, res) => {
    const a = access(req, res);
    if (a) res.json(buildReport(a.log));
  });

  r.get('/rooms/:code/export.json', (req, res) => {
    const a = access(req, res);
    if (!a) return;
    const doc: ClassExport = { format: 'synack-class/1', report: buildReport(a.log), log: a.log };
    res.attachment(`synack-${a.code}.json`).json(doc);
  });

  r.get('/rooms/:code/export.csv', (req, res) => {
    const a = access(req, res);
    if (!a) return;
    res.attachment(`synack-${a.code}.csv`).type('text/csv; charset=utf-8').send(gradeBookCsv(buildReport(a.log)));
  });

  for (const kind of ['replay', 'trace'] as const) {
    r.get(`/rooms/:code/pairs/:pairId/${kind}`, (req, res) => {
      const a = access(req, res);
      if (!a) return;
      const round = roundParam(req);
      if (round === null) { sendError(res, 400, ERROR_CODES.frameInvalid, 'give the round as ?round=N (1, 2, …)'); return; }
      const pairId = String(req.params.pairId);
      const found = pairRoundReplay(a.log, pairId, round);
      if (!found.ok) {
        sendError(res, 404, found.code === 'pair/not-found' ? ERROR_CODES.pairNotFound : ERROR_CODES.roundNotFound,
          found.code === 'pair/not-found' ? `pair ${pairId} played no game in round ${round}` : `there is no round ${round}`);
        return;
      }
      if (kind === 'replay') res.json(found.replay);
      else res.attachment(`synack-${a.code}-${pairId}-round${round}.trace.json`).json(replayToTrace(found.replay));
    });
  }

  r.delete('/rooms/:code', (req, res) => {
    const a = access(req, res);
    if (!a) return;
    hub.deleteRoom(a.code);
    res.status(204).end();
  });

  return r;
}
