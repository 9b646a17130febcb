/**
 * #/review/CODE/pair/PAIR?round=N&step=K — one pair's round replayed. The address opens that
 * pair, round and step; stepping rewrites the step in the address (no reload, no new history
 * entry), so a reload or a shared link comes back to the same moment.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Replay } from '../../../shared/review/types.ts';
import { SCENARIOS } from '../../../shared/game/scenarios.ts';
import { FormError } from '../components/FormError.tsx';
import { ReplayView } from '../components/ReplayView.tsx';
import { ReviewKeyForm } from '../components/ReviewKeyForm.tsx';
import { useI18n } from '../i18n/index.tsx';
import { errorText } from '../lib/errors.ts';
import { clampStep, classPath, parseReplayQuery, replayPath } from '../lib/review.ts';
import { href, navigate } from '../lib/router.ts';
import { usePageTitle } from '../lib/title.ts';
import type { ApiError } from '../net/api.ts';
import { downloadTrace, fetchReplay } from '../net/review-api.ts';
import { keys } from '../net/stored.ts';

type Load = { kind: 'loading' } | { kind: 'ok'; replay: Replay } | { kind: 'error'; code: string; message: string };

export function PairReplayPage({ code, pairId, query }: { code: string; pairId: string; query: URLSearchParams }) {
  const { t, lang } = useI18n();
  const { round, step } = parseReplayQuery(query);
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [traceSaid, setTraceSaid] = useState<{ ok: boolean; text: string } | null>(null);
  const held = keys.get(code);

  useEffect(() => {
    if (!held || round === null) return;
    setLoad({ kind: 'loading' });
    fetchReplay(code, pairId, round).then(
      (replay) => setLoad({ kind: 'ok', replay }),
      (err: ApiError) => setLoad({ kind: 'error', code: err.code, message: err.message }),
    );
  }, [code, pairId, round]);

  const onStep = useCallback((n: number) => {
    if (round !== null) navigate(replayPath(code, pairId, round, n), { replace: true });
  }, [code, pairId, round]);

  const replay = load.kind === 'ok' ? load.replay : null;
  const title = replay
    ? t('review.pair.title', { client: replay.names.client, server: replay.names.server, n: round ?? '?' })
    : t('review.pair.titleLoading', { n: round ?? '?' });
  usePageTitle(title);

  const back = (
    <p class="review-back"><a href={href(classPath(code))}><span aria-hidden="true">← </span>{t('review.pair.back', { code })}</a></p>
  );

  if (!held) {
    return (
      <main id="main" class="page page-review" tabIndex={-1}>
        {back}
        <h1>{title}</h1>
        <p>{t('review.key.none')}</p>
        <section class="panel review-by-key" aria-labelledby="review-key-title">
          <h2 id="review-key-title">{t('review.key.title')}</h2>
          <ReviewKeyForm code={code} idPrefix="pair-key" />
        </section>
      </main>
    );
  }
  if (round === null) {
    return (
      <main id="main" class="page page-review" tabIndex={-1}>
        {back}
        <h1>{title}</h1>
        <FormError>{t('review.pair.noRound')}</FormError>
      </main>
    );
  }
  if (!replay) {
    return (
      <main id="main" class="page page-review" tabIndex={-1}>
        {back}
        <h1>{title}</h1>
        {load.kind === 'loading' && <p role="status">{t('app.loading')}</p>}
        {load.kind === 'error' && <FormError>{
          load.code === 'round/not-found' || load.code === 'pair/not-found' ? t('review.pair.notFound') : load.code === 'room/not-found' ? t('review.class.notFound', { code }) : errorText(load.code, load.message, t)
        }</FormError>}
      </main>
    );
  }

  const k = clampStep(step, replay.steps.length);
  return (
    <main id="main" class="page page-review page-replay" tabIndex={-1}>
      {back}
      <h1>{title}</h1>
      <p class="review-meta">
        {replay.scenario ? SCENARIOS[replay.scenario].title[lang] : replay.title}
        {replay.level && <>{' · '}{t('round.levelN', { level: replay.level })}</>}
        {' · '}{t('review.pair.steps', { count: replay.steps.length - 1 })}
        {' · '}
        <button type="button" class="btn btn-small btn-quiet" onClick={async () => {
          setTraceSaid(null);
          try {
            setTraceSaid({ ok: true, text: t('review.download.done', { name: await downloadTrace(code, pairId, round) }) });
          } catch (err) {
            const e = err as ApiError;
            setTraceSaid({ ok: false, text: errorText(e.code ?? '', e.message, t) });
          }
        }}><span aria-hidden="true">⤓ </span>{t('review.pair.trace')}</button>
      </p>
      <p role="status" class="download-status">{traceSaid && <><span aria-hidden="true">{traceSaid.ok ? '✓ ' : '✗ '}</span>{traceSaid.text}</>}</p>
      <ReplayView replay={replay} step={k} onStep={onStep} />
    </main>
  );
}
