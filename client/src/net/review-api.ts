/**
 * The review endpoints, with the room key this browser holds as a bearer token (never in
 * an address): the class report, a pair's replay, the downloads (fetched, then saved from
 * a Blob through a temporary <a download>) and deleting a class.
 */
import type { ClassReport, Replay } from '../../../shared/api.ts';
import { CSV_PATH, JSON_PATH, REPLAY_PATH, REPORT_PATH, ROOM_PATH, TRACE_PATH } from '../../../shared/api-paths.ts';
import { downloadName } from '../lib/review.ts';
import { ApiError } from './api.ts';
import { keys } from './stored.ts';

async function authed(code: string, path: string, init: RequestInit = {}): Promise<Response> {
  const held = keys.get(code);
  if (!held) throw new ApiError('auth/bad-key', 'this browser does not hold the key of this room');
  let res: Response;
  try {
    res = await fetch(`/api${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${held.key}` } });
  } catch {
    throw new ApiError('client/offline', 'the server cannot be reached');
  }
  if (!res.ok) {
    const json = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
    throw new ApiError(json?.code ?? `http/${res.status}`, json?.message ?? res.statusText);
  }
  return res;
}

/** The class report. */
export const fetchReport = async (code: string): Promise<ClassReport> => (await authed(code, REPORT_PATH(code))).json() as Promise<ClassReport>;

/** One pair's round, stepped. */
export const fetchReplay = async (code: string, pairId: string, round: number): Promise<Replay> =>
  (await authed(code, REPLAY_PATH(code, pairId, round))).json() as Promise<Replay>;

/** Delete the class's data on the server (204). */
export async function deleteClass(code: string): Promise<void> {
  await authed(code, ROOM_PATH(code), { method: 'DELETE' });
}

/** Fetch a download and save it under the server's file name (or the fallback); resolves with the name. */
async function download(code: string, path: string, fallback: string): Promise<string> {
  const res = await authed(code, path);
  const blob = await res.blob();
  const name = downloadName(res.headers.get('content-disposition'), fallback);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has started the download; the Blob may go once the browser has read it.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return name;
}

/** The grade book. */
export const downloadCsv = (code: string) => download(code, CSV_PATH(code), `synack-${code}.csv`);
/** The report and the whole log. */
export const downloadJson = (code: string) => download(code, JSON_PATH(code), `synack-${code}.json`);
/** A pair's round as a trace (format v1). */
export const downloadTrace = (code: string, pairId: string, round: number) =>
  download(code, TRACE_PATH(code, pairId, round), `synack-${code}-round${round}-${pairId}.trace.json`);
