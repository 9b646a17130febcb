/**
 * #/review/CODE — a class after the lesson (or during it): each round's pairs with who
 * reached the goal and how fast, a table per student whose points add up round by round,
 * the class's misconceptions with what to teach, a worked example and links to every
 * moment, the downloads (CSV grade book, JSON, a pair's trace) and deleting the class.
 * Loaded only here, so students never download it.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ClassReport, ReportMisconception, ReportPairRound, ReportRound, ReportStudent } from '../../../shared/review/types.ts';
import { MISCONCEPTIONS } from '../../../shared/game/misconceptions.ts';
import { SCENARIOS } from '../../../shared/game/scenarios.ts';
import { explainRefusal } from '../../../shared/tcp/reasons.ts';
import { FormError } from '../components/FormError.tsx';
import { ReviewKeyForm } from '../components/ReviewKeyForm.tsx';
import { useI18n, type Translate } from '../i18n/index.tsx';
import { errorText } from '../lib/errors.ts';
import { formatDuration, formatShare, replayPath, scoreColumns, scoreTotals } from '../lib/review.ts';
import { href } from '../lib/router.ts';
import { segmentLabel } from '../lib/segment.ts';
import { usePageTitle } from '../lib/title.ts';
import type { ApiError } from '../net/api.ts';
import { deleteClass, downloadCsv, downloadJson, downloadTrace, fetchReport } from '../net/review-api.ts';
import { keys } from '../net/stored.ts';

type Load =
  | { kind: 'loading' }
  | { kind: 'ok'; report: ClassReport }
  | { kind: 'error'; code: string; message: string }
  | { kind: 'deleted' };

/** Move focus to an element by id once the page has re-rendered. */
const focusById = (id: string) => requestAnimationFrame(() => document.getElementById(id)?.focus());

/** Downloads and their outcome, said in a status line. */
function useDownloads(t: Translate) {
  const [busy, setBusy] = useState<string | null>(null);
  const [said, setSaid] = useState<{ ok: boolean; text: string } | null>(null);
  const run = async (id: string, f: () => Promise<string>) => {
    setBusy(id);
    setSaid(null);
    try {
      const name = await f();
      setSaid({ ok: true, text: t('review.download.done', { name }) });
    } catch (err) {
      const e = err as ApiError;
      setSaid({ ok: false, text: errorText(e.code ?? '', e.message, t) });
    } finally {
      setBusy(null);
    }
  };
  return { busy, said, run };
}

export function ClassReviewPage({ code }: { code: string }) {
  const { t } = useI18n();
  usePageTitle(t('review.class.title', { code }));
  const held = keys.get(code);
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!keys.get(code)) return;
    setLoad({ kind: 'loading' });
    fetchReport(code).then(
      (report) => setLoad({ kind: 'ok', report }),
      (err: ApiError) => {
        // A key the server refuses (mistyped on the key form) is not kept.
        if (err.code === 'auth/bad-key') keys.forget(code);
        setLoad({ kind: 'error', code: err.code, message: err.message });
      },
    );
  }, [code, attempt]);

  const back = <p class="review-back"><a href={href('/review')}><span aria-hidden="true">← </span>{t('review.list.title')}</a></p>;

  if (load.kind === 'deleted') {
    return (
      <main id="main" class="page page-review" tabIndex={-1}>
        {back}
        <h1 id="review-deleted-title" tabIndex={-1}>{t('review.class.title', { code })}</h1>
        <p class="banner banner-ok" role="status" data-testid="review-deleted"><span aria-hidden="true">✓ </span>{t('review.delete.done', { code })}</p>
      </main>
    );
  }
  if (!held || (load.kind === 'error' && load.code === 'auth/bad-key')) {
    return (
      <main id="main" class="page page-review" tabIndex={-1}>
        {back}
        <h1>{t('review.class.title', { code })}</h1>
        {load.kind === 'error' ? <FormError>{t('review.key.refused')}</FormError> : <p>{t('review.key.none')}</p>}
        <section class="panel review-by-key" aria-labelledby="review-key-title">
          <h2 id="review-key-title">{t('review.key.title')}</h2>
          <ReviewKeyForm code={code} idPrefix="class-key" />
        </section>
      </main>
    );
  }
  if (load.kind !== 'ok') {
    return (
      <main id="main" class="page page-review" tabIndex={-1}>
        {back}
        <h1>{t('review.class.title', { code })}</h1>
        {load.kind === 'loading' && <p role="status">{t('app.loading')}</p>}
        {load.kind === 'error' && (
          <>
            <FormError>{load.code === 'room/not-found' ? t('review.class.notFound', { code }) : errorText(load.code, load.message, t)}</FormError>
            <div class="row">
              {load.code === 'room/not-found'
                ? <button type="button" class="btn" onClick={() => { keys.forget(code); setLoad({ kind: 'deleted' }); focusById('review-deleted-title'); }}>{t('review.class.forget')}</button>
                : <button type="button" class="btn" onClick={() => setAttempt((n) => n + 1)}>{t('review.class.retry')}</button>}
            </div>
          </>
        )}
      </main>
    );
  }
  return (
    <Overview report={load.report} onRefresh={() => setAttempt((n) => n + 1)}
      onDeleted={() => { keys.forget(code); setLoad({ kind: 'deleted' }); focusById('review-deleted-title'); }} />
  );
}

function Overview({ report, onDeleted, onRefresh }: { report: ClassReport; onDeleted: () => void; onRefresh: () => void }) {
  const { t, lang } = useI18n();
  const code = report.code;
  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const downloads = useDownloads(t);
  const names = new Map(report.students.map((s) => [s.seatId, s.nickname]));
  const pairOf = (round: number, pairId: string) => report.rounds.find((r) => r.number === round)?.pairs.find((p) => p.pairId === pairId);

  return (
    <main id="main" class="page page-review" tabIndex={-1}>
      <p class="review-back"><a href={href('/review')}><span aria-hidden="true">← </span>{t('review.list.title')}</a></p>
      <h1>{t(report.kind === 'class' ? 'review.class.title' : 'review.class.titlePractice', { code })}</h1>
      <p class="review-meta">
        {t('review.class.meta', {
          date: date.format(report.createdAt),
          students: report.students.filter((s) => !s.removed && !s.bot).length,
          rounds: report.rounds.length,
        })}
        {' · '}
        {report.closed
          ? <strong><span aria-hidden="true">■ </span>{t('review.list.closed')}</strong>
          : <><strong><span aria-hidden="true">▶ </span>{t('review.list.open')}</strong> · <a href={href(`/host/${code}`)}>{t('review.list.host')}</a></>}
        {' · '}{t('review.class.last', { date: date.format(report.lastEventAt) })}
      </p>
      {/* A class still open goes on while the teacher reads: the report is as of its loading. */}
      {!report.closed && (
        <p class="row">
          <span>{t('review.class.asOf', { time: new Intl.DateTimeFormat(lang, { timeStyle: 'medium' }).format(report.lastEventAt) })}</span>
          <button type="button" class="btn btn-small" onClick={onRefresh}>{t('review.class.refresh')}</button>
        </p>
      )}

      <section class="panel review-actions" aria-labelledby="exports-title">
        <h2 id="exports-title">{t('review.download.title')}</h2>
        <div class="row">
          <button type="button" class="btn" data-testid="download-csv" aria-busy={downloads.busy === 'csv'} onClick={() => downloads.run('csv', () => downloadCsv(code))}>
            <span aria-hidden="true">⤓ </span>{t('review.download.csv')}
          </button>
          <button type="button" class="btn" data-testid="download-json" aria-busy={downloads.busy === 'json'} onClick={() => downloads.run('json', () => downloadJson(code))}>
            <span aria-hidden="true">⤓ </span>{t('review.download.json')}
          </button>
        </div>
        <p class="hint">{t('review.download.hint')}</p>
        <p role="status" class="download-status">
          {downloads.said && <><span aria-hidden="true">{downloads.said.ok ? '✓ ' : '✗ '}</span>{downloads.said.text}</>}
        </p>
      </section>

      <section class="review-block" aria-labelledby="rounds-title">
        <h2 id="rounds-title">{t('review.rounds.title')}</h2>
        {report.rounds.length === 0 && <p class="muted">{t('review.rounds.none')}</p>}
        {report.rounds.map((r) => <RoundBlock key={r.number} code={code} round={r} run={downloads.run} busy={downloads.busy} />)}
      </section>

      <StudentsTable report={report} />

      <section class="review-block" aria-labelledby="misc-title">
        <h2 id="misc-title">{t('review.misc.title')}</h2>
        <p class="intro">{t('review.misc.intro')}</p>
        {report.misconceptions.length === 0 ? <p class="muted">{t('review.misc.none')}</p> : (
          <ol class="misc-list">
            {report.misconceptions.map((m) => <MisconceptionItem key={m.id} code={code} m={m} names={names} pairOf={pairOf} />)}
          </ol>
        )}
      </section>

      <DeleteClass code={code} onDeleted={onDeleted} />
    </main>
  );
}

const pairName = (t: Translate, p: Pick<ReportPairRound, 'nicknames'>) => t('review.pair.names', { client: p.nicknames.client, server: p.nicknames.server });

function RoundBlock({ code, round, run, busy }: { code: string; round: ReportRound; run: (id: string, f: () => Promise<string>) => void; busy: string | null }) {
  const { t, lang } = useI18n();
  const time = new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short' });
  const id = `round-${round.number}`;
  return (
    <section class="panel review-round" aria-labelledby={id} data-round={round.number}>
      <h3 id={id}>{t('review.round.title', { n: round.number, title: SCENARIOS[round.scenario].title[lang] })}</h3>
      <p class="review-meta">
        {t('round.levelN', { level: round.level })}
        {' · '}{t('review.round.started', { time: time.format(round.startedAt) })}
        {' · '}{round.endedAt === null ? t('review.round.notEnded') : t('review.round.ended', { time: time.format(round.endedAt), length: formatDuration(round.endedAt - round.startedAt, t) })}
        {round.speedBonus && <>{' · '}{t('round.speedBonus')}</>}
      </p>
      {round.pairs.length === 0 ? <p class="muted">{t('review.round.noPairs')}</p> : (
        // A card per pair (not a table): it reads the same on a phone and, in a grid, on the projector.
        <ul class="pair-results">
          {round.pairs.map((p) => {
            const label = t('review.round.pairLabel', { pair: pairName(t, p), n: round.number });
            const dl = `trace:${round.number}:${p.pairId}`;
            const titleId = `${id}-${p.pairId}`;
            return (
              <li key={p.pairId} class="pair-result" data-pair={p.pairId} aria-labelledby={titleId}>
                <h4 id={titleId}>{pairName(t, p)}</h4>
                <p class={p.goalMs === null ? 'goal goal-no' : 'goal goal-yes'} data-testid="pair-goal">{p.goalMs === null
                  ? <><span aria-hidden="true">✗ </span>{t('review.round.notReached')}</>
                  : <><span aria-hidden="true">✓ </span>{t('review.round.reached', { time: formatDuration(p.goalMs, t) })}</>}</p>
                <dl class="past-facts">
                  <div><dt>{t('review.round.moves')}</dt><dd>{p.moves}</dd></div>
                  <div><dt>{t('review.round.refused')}</dt><dd>{p.refused}</dd></div>
                  <div><dt>{t('review.round.score')}</dt><dd data-testid="pair-score">{p.score}</dd></div>
                </dl>
                <p class="row">
                  <a class="btn btn-small" href={href(replayPath(code, p.pairId, round.number))} data-testid="open-replay">
                    {t('review.round.replay')}<span class="sr-only"> {label}</span>
                  </a>
                  <button type="button" class="btn btn-small btn-quiet" aria-busy={busy === dl} data-testid="download-trace"
                    onClick={() => run(dl, () => downloadTrace(code, p.pairId, round.number))}>
                    <span aria-hidden="true">⤓ </span>{t('review.round.trace')}<span class="sr-only"> {label}</span>
                  </button>
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function StudentsTable({ report }: { report: ClassReport }) {
  const { t, lang } = useI18n();
  const cols = scoreColumns(report);
  const totals = scoreTotals(report);
  const sum = (f: (s: ReportStudent) => number) => report.students.reduce((n, s) => n + f(s), 0);
  const moves = sum((s) => s.moves);
  const legal = sum((s) => s.legal);
  const colName = (c: string) => (c === '0' ? t('review.students.beforeRounds') : t('review.students.roundPoints', { n: c }));
  return (
    <section class="review-block" aria-labelledby="students-title">
      <h2 id="students-title">{t('review.students.title')}</h2>
      <p class="intro">{t('review.students.intro')}</p>
      {report.students.length > 0 && <p class="hint scroll-hint" aria-hidden="true">{t('review.students.scroll')}</p>}
      {report.students.length === 0 ? <p class="muted">{t('review.students.none')}</p> : (
        <div class="table-scroll" role="region" tabIndex={0} aria-labelledby="students-title">
          <table class="review-table students-table">
            <caption class="sr-only">{t('review.students.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('review.students.name')}</th>
                <th scope="col" class="num">{t('review.students.moves')}</th>
                <th scope="col" class="num">{t('review.students.legal')}</th>
                <th scope="col" class="num">{t('review.students.refused')}</th>
                <th scope="col">{t('review.students.byMisconception')}</th>
                <th scope="col" class="num">{t('review.students.handshakes')}</th>
                <th scope="col" class="num">{t('review.students.teardowns')}</th>
                <th scope="col" class="num">{t('review.students.goals')}</th>
                {cols.map((c) => <th key={c} scope="col" class="num">{colName(c)}</th>)}
                <th scope="col" class="num">{t('review.students.total')}</th>
              </tr>
            </thead>
            <tbody>
              {report.students.map((s) => (
                <tr key={s.seatId} data-seat={s.seatId}>
                  <th scope="row">
                    {s.nickname}
                    {s.removed && <span class="muted"> ({t('review.students.removed')})</span>}
                    {s.bot && <span class="muted"> ({t('review.students.bot')})</span>}
                  </th>
                  <td class="num">{s.moves}</td>
                  <td class="num">{formatShare(s.legalShare)}</td>
                  <td class="num">{s.refused}</td>
                  <td>{Object.keys(s.refusedByMisconception).length === 0 ? <span class="muted">{t('endpoint.none')}</span> : (
                    <ul class="cell-list">
                      {(Object.entries(s.refusedByMisconception) as [keyof typeof MISCONCEPTIONS, number][]).map(([id, n]) => (
                        <li key={id}>{MISCONCEPTIONS[id].title[lang]}: {n}</li>
                      ))}
                    </ul>
                  )}</td>
                  <td class="num">{s.handshakes}</td>
                  <td class="num">{s.teardowns}</td>
                  <td class="num">{s.goals}</td>
                  {cols.map((c) => <td key={c} class="num">{s.scoreByRound[c] ?? 0}</td>)}
                  <td class="num"><strong>{s.score}</strong></td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('review.students.classTotal')}</th>
                <td class="num">{moves}</td>
                <td class="num">{formatShare(moves === 0 ? null : legal / moves)}</td>
                <td class="num">{sum((s) => s.refused)}</td>
                <td />
                <td class="num">{sum((s) => s.handshakes)}</td>
                <td class="num">{sum((s) => s.teardowns)}</td>
                <td class="num">{sum((s) => s.goals)}</td>
                {cols.map((c) => <td key={c} class="num">{totals.byRound[c] ?? 0}</td>)}
                <td class="num"><strong>{totals.total}</strong></td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}

/** Moments listed before the rest fold away. */
const MOMENTS_SHOWN = 6;

function MisconceptionItem({ code, m, names, pairOf }: {
  code: string; m: ReportMisconception; names: Map<string, string>;
  pairOf: (round: number, pairId: string) => ReportPairRound | undefined;
}) {
  const { t, lang } = useI18n();
  const info = MISCONCEPTIONS[m.id];
  const id = `misc-${m.id}`;
  const ex = m.example;
  const moment = (x: ReportMisconception['moments'][number]) => {
    const pair = pairOf(x.round, x.pairId);
    return (
      <li key={x.logSeq}>
        <a href={href(replayPath(code, x.pairId, x.round, x.step))} data-testid="moment-link">
          {t('review.misc.moment', { n: x.round, pair: pair ? pairName(t, pair) : x.pairId, step: x.step, who: names.get(x.seatId) ?? x.seatId })}
        </a>
      </li>
    );
  };
  return (
    <li class="panel misc-item" data-misconception={m.id}>
      <article aria-labelledby={id}>
        <h3 id={id}>{info.title[lang]}</h3>
        <p class="misc-count"><strong>{t('review.misc.count', { count: m.count })}</strong>{' · '}{t('review.misc.studentsCount', { count: m.students.length })}</p>
        <p class="misc-teach"><strong>{t('review.misc.teach')}{t('punct.colon')}</strong> {info.teach[lang]}</p>
        <p><strong>{t('review.misc.who')}{t('punct.colon')}</strong> {m.students.map((s) => t('review.misc.whoOne', { name: s.nickname, count: s.count })).join(t('review.misc.sep'))}</p>
        {ex && (
          <div class="misc-example">
            <h4>{t('review.misc.example')}</h4>
            <p>
              {t('review.misc.exampleWho', { who: names.get(ex.seatId) ?? ex.seatId, side: t(ex.segment.from === 'client' ? 'side.client.lower' : 'side.server.lower'), state: ex.facts.state })}{' '}
              <code class="misc-segment">{segmentLabel(ex.segment)}</code>
            </p>
            <p class="fb-explanation" data-testid="misc-explanation"><span aria-hidden="true">✗ </span>{explainRefusal(ex.code, ex.facts, lang)}</p>
            <p class="fb-code"><code>{ex.code}</code></p>
          </div>
        )}
        <h4>{t('review.misc.moments')}</h4>
        <ul class="misc-moments">{m.moments.slice(0, MOMENTS_SHOWN).map(moment)}</ul>
        {m.moments.length > MOMENTS_SHOWN && (
          <details class="misc-more">
            <summary>{t('review.misc.more', { count: m.moments.length - MOMENTS_SHOWN })}</summary>
            <ul class="misc-moments">{m.moments.slice(MOMENTS_SHOWN).map(moment)}</ul>
          </details>
        )}
      </article>
    </li>
  );
}

function DeleteClass({ code, onDeleted }: { code: string; onDeleted: () => void }) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const open = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  // Asking puts the focus on Cancel (the safe answer); Cancel returns it to Delete.
  useEffect(() => {
    if (asking) cancel.current?.focus();
    else if (wasAsking.current) open.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteClass(code);
      onDeleted();
    } catch (err) {
      const e = err as ApiError;
      setError(errorText(e.code ?? '', e.message, t));
      setBusy(false);
    }
  };
  return (
    <section class="panel review-delete" aria-labelledby="delete-title">
      <h2 id="delete-title">{t('review.delete.title')}</h2>
      <p>{t('review.delete.text')}</p>
      {!asking ? (
        <button ref={open} type="button" class="btn btn-danger" onClick={() => setAsking(true)}>{t('review.delete.button')}</button>
      ) : (
        <div class="confirm" role="group" aria-labelledby="delete-question">
          <p id="delete-question"><strong><span aria-hidden="true">⚠ </span>{t('review.delete.question', { code })}</strong></p>
          <div class="row">
            <button type="button" class="btn btn-danger" aria-busy={busy} onClick={() => { if (!busy) void confirm(); }}>{t('review.delete.confirm')}</button>
            <button ref={cancel} type="button" class="btn btn-quiet" onClick={() => setAsking(false)}>{t('review.delete.cancel')}</button>
          </div>
        </div>
      )}
      {error && <FormError>{error}</FormError>}
    </section>
  );
}
