/**
 * #/review — past classes: every room this browser holds the key of, open or closed, with
 * its date, kind, students and rounds, each opening in review; and a form to open a class
 * from another device with its key. Loaded only here (a chunk of its own).
 */
import { useEffect, useState } from 'preact/hooks';
import { FormError } from '../components/FormError.tsx';
import { ReviewKeyForm } from '../components/ReviewKeyForm.tsx';
import { useI18n } from '../i18n/index.tsx';
import { errorText } from '../lib/errors.ts';
import { classPath } from '../lib/review.ts';
import { href } from '../lib/router.ts';
import { usePageTitle } from '../lib/title.ts';
import { lookupRooms, type RoomSummary } from '../net/api.ts';
import { keys } from '../net/stored.ts';

type Load = { kind: 'loading' } | { kind: 'ok'; rooms: RoomSummary[]; missing: string[] } | { kind: 'error'; text: string };

export function PastClassesPage() {
  const { t, lang } = useI18n();
  usePageTitle(t('review.list.title'));
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [forgotten, setForgotten] = useState(0);

  useEffect(() => {
    const held = keys.all();
    const codes = Object.keys(held);
    if (codes.length === 0) { setLoad({ kind: 'ok', rooms: [], missing: [] }); return; }
    lookupRooms(codes.map((c) => held[c]!.key)).then(
      (rooms) => setLoad({ kind: 'ok', rooms, missing: codes.filter((c) => !rooms.some((r) => r.code === c)) }),
      (err: { code?: string; message?: string }) => setLoad({ kind: 'error', text: errorText(err.code ?? '', err.message ?? '', t) }),
    );
  }, [forgotten]);

  const date = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <main id="main" class="page page-review" tabIndex={-1}>
      <h1>{t('review.list.title')}</h1>
      <p class="intro">{t('review.list.intro')}</p>
      <section aria-labelledby="past-title" class="review-block">
        <h2 id="past-title">{t('review.list.rooms')}</h2>
        {load.kind === 'loading' && <p role="status">{t('app.loading')}</p>}
        {load.kind === 'error' && <FormError>{load.text}</FormError>}
        {load.kind === 'ok' && load.rooms.length === 0 && <p class="muted">{t('review.list.none')}</p>}
        {load.kind === 'ok' && load.rooms.length > 0 && (
          <ul class="past-list">
            {load.rooms.map((r) => (
              <li key={r.code} class="panel past-room" data-code={r.code}>
                <h3 id={`past-${r.code}`}>
                  <a href={href(classPath(r.code))}>
                    {t(r.kind === 'class' ? 'review.list.classTitle' : 'review.list.practiceTitle', { code: r.code })}
                  </a>
                </h3>
                <dl class="past-facts">
                  <div><dt>{t('review.list.date')}</dt><dd><time dateTime={new Date(r.createdAt).toISOString()}>{date.format(r.createdAt)}</time></dd></div>
                  <div><dt>{t('review.list.kind')}</dt><dd>{t(r.kind === 'class' ? 'start.mine.class' : 'start.mine.practice')}</dd></div>
                  <div><dt>{t('review.list.students')}</dt><dd>{r.seats}</dd></div>
                  <div><dt>{t('review.list.rounds')}</dt><dd>{r.round.number}</dd></div>
                  <div><dt>{t('review.list.status')}</dt><dd>{r.closed
                    ? <><span aria-hidden="true">■ </span>{t('review.list.closed')}</>
                    : <><span aria-hidden="true">▶ </span>{t('review.list.open')}</>}</dd></div>
                </dl>
                <p class="row">
                  <a class="btn btn-small" href={href(classPath(r.code))} aria-describedby={`past-${r.code}`}>{t('review.list.review')}</a>
                  {!r.closed && <a class="btn btn-small btn-quiet" href={href(`/host/${r.code}`)} aria-describedby={`past-${r.code}`}>{t('review.list.host')}</a>}
                </p>
              </li>
            ))}
          </ul>
        )}
        {load.kind === 'ok' && load.missing.length > 0 && (
          <div class="panel past-missing">
            <p>{t('review.list.missing', { codes: load.missing.join(', ') })}</p>
            <button type="button" class="btn btn-small btn-quiet" onClick={() => {
              for (const c of load.missing) keys.forget(c);
              setForgotten((n) => n + 1);
            }}>{t('review.list.forgetMissing')}</button>
          </div>
        )}
      </section>
      <section class="panel review-block review-by-key" aria-labelledby="review-key-title">
        <h2 id="review-key-title">{t('review.key.title')}</h2>
        <p>{t('review.key.text')}</p>
        <ReviewKeyForm idPrefix="past-key" />
      </section>
      <p><a href={href('/')}>{t('notFound.back')}</a></p>
    </main>
  );
}
