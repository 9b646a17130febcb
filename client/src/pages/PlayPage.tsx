/**
 * #/play/CODE — the student table: who you are and your role (and whether your partner is a
 * bot), your endpoint's state (badge and diagram, lit with the oracle's next moves), your hand
 * (with those moves to pick at level 1), a hint to buy when the round allows, the wire, the
 * feedback, the flow graph, your score and the room's leaderboard; a banner when the game can
 * no longer reach its goal, with a restart in practice rooms. Everything comes from the view
 * the server computes for this seat; after a reload the stored seat token resumes it.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { POINTS } from '../../../shared/game/scoring.ts';
import type { StudentView } from '../../../shared/game/views.ts';
import type { InFlight, ReasonCode, RefusalFacts, Segment, Side } from '../../../shared/tcp/types.ts';
import { explainRefusal } from '../../../shared/tcp/reasons.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import { CardComposer, type Suggestion } from '../components/CardComposer.tsx';
import { ConnectionBanner } from '../components/ConnectionBanner.tsx';
import { FeedbackPanel } from '../components/FeedbackPanel.tsx';
import { FormError } from '../components/FormError.tsx';
import { HintPanel } from '../components/HintPanel.tsx';
import { LadderDiagram } from '../components/LadderDiagram.tsx';
import { Leaderboard } from '../components/Leaderboard.tsx';
import { RoundControls, RoundSummary } from '../components/RoundControls.tsx';
import { EndpointFacts, StateBadge } from '../components/StateBadge.tsx';
import { StateDiagram } from '../components/StateDiagram.tsx';
import { StuckBanner } from '../components/StuckBanner.tsx';
import { Wire } from '../components/Wire.tsx';
import { useI18n, type Lang, type Translate } from '../i18n/index.tsx';
import { errorText } from '../lib/errors.ts';
import { describe } from '../lib/feedback.ts';
import { gameMark, sameGame, type GameMark } from '../lib/hand.ts';
import { hintSentences } from '../lib/hint-text.ts';
import { ladderFromView } from '../lib/ladder.ts';
import { feedbackFromLadder } from '../lib/play-feedback.ts';
import { href } from '../lib/router.ts';
import { segmentLabel } from '../lib/segment.ts';
import { usePageTitle } from '../lib/title.ts';
import { hasSession, openSession, useSession, type RoomSession } from '../net/session.ts';
import { seats } from '../net/stored.ts';
import { autoFromHints } from '../../../shared/protocol-constants.ts';

type Game = NonNullable<NonNullable<StudentView['pair']>['game']>;


/** What a view says that is worth telling a screen-reader user when it changes. */
interface Moment {
  round: { number: number; status: StudentView['round']['status'] };
  pairId: string | null;
  partner: { name: string; connected: boolean } | null;
  /** Which game: a restart (same round and pair) is said. */
  mark: GameMark;
  finished: boolean;
  stuck: boolean;
  /** The bought hint (as JSON), or null: its words are said when it arrives. */
  hint: string | null;
}

const momentOf = (view: StudentView): Moment => {
  const game = view.pair?.game;
  return {
    round: { number: view.round.number, status: view.round.status },
    pairId: view.pair?.pairId ?? null,
    partner: view.pair ? { name: view.pair.partner.nickname, connected: view.pair.partner.connected } : null,
    mark: gameMark(view),
    finished: !!game?.finished,
    stuck: !!game?.stuck,
    hint: game?.hint ? JSON.stringify(game.hint) : null,
    // An expired retransmission timer is said by its feedback line (a ladder 'timer' entry).
  };
};

/** The sentences for what changed between two moments of the same seat. */
function changes(before: Moment, now: Moment, view: StudentView, t: Translate, lang: Lang): string[] {
  const said: string[] = [];
  const r0 = before.round;
  const r1 = now.round;
  if (r1.number !== r0.number && (r1.status === 'running' || r1.status === 'paused')) {
    said.push(t('announce.roundStarted', { n: r1.number, title: view.round.title[lang] }));
  } else if (r1.status !== r0.status) {
    if (r1.status === 'paused') said.push(t('announce.roundPaused'));
    else if (r1.status === 'running' && r0.status === 'paused') said.push(t('announce.roundResumed'));
    else if (r1.status === 'running') said.push(t('announce.roundStarted', { n: r1.number, title: view.round.title[lang] }));
    else if (r1.status === 'ended') said.push(t('announce.roundEnded', { n: r1.number }));
  }
  if (now.pairId && now.pairId !== before.pairId && view.pair) {
    said.push(t('announce.paired', { name: view.pair.partner.nickname, side: t(view.pair.side === 'client' ? 'side.client.lower' : 'side.server.lower') }));
  } else if (now.partner && before.partner && now.pairId === before.pairId && now.partner.connected !== before.partner.connected) {
    said.push(t(now.partner.connected ? 'announce.partnerBack' : 'announce.partnerLeft', { name: now.partner.name }));
  }
  if (r1.number === r0.number && now.pairId === before.pairId && before.mark.game && now.mark.game && !sameGame(before.mark, now.mark)) {
    said.push(t('announce.restarted'));
  }
  if (now.finished && !before.finished) said.push(t(view.room.kind === 'practice' ? 'play.finishedPractice' : 'play.finished'));
  if (now.stuck && !before.stuck) said.push(t('announce.stuck'));
  const game = view.pair?.game;
  if (now.hint && now.hint !== before.hint && game?.hint && view.pair) said.push(hintSentences(game.hint, view.pair.side, game.endpoint.state, t).join(' '));
  return said;
}

/** The last move's verdict as data (its words follow the page's language). */
type MoveVerdict =
  | { n: number; kind: 'accepted'; segment: Segment }
  | { n: number; kind: 'refused'; code: ReasonCode; facts: RefusalFacts }
  | { n: number; kind: 'error'; code: string; message: string };

const toInFlight = (segs: Game['wire']['mine']): InFlight[] => segs.map(({ id, ...segment }) => ({ id, segment }));

export function PlayPage({ code }: { code: string }) {
  const { t, lang } = useI18n();
  const announce = useAnnounce();
  const [session, setSession] = useState<RoomSession | null>(null);
  const stored = seats.get(code);

  useEffect(() => {
    // A join made on the start page left its session open; otherwise resume a stored seat.
    if (stored?.removed && !hasSession(code, 'student')) return;
    if (!stored && !hasSession(code, 'student')) return;
    const s = openSession(code, 'student');
    s.clearError(); // an error from an earlier visit to this page is not news
    setSession(s);
  }, [code]);

  const state = useSession(session);
  const view = state?.view?.role === 'student' ? state.view : null;
  usePageTitle(view ? `${view.you.nickname} · ${code}` : t('play.title'));

  const feedback = useMemo(() => {
    const game = view?.pair?.game;
    if (!view?.pair || !game) return [];
    return feedbackFromLadder({ level: view.round.level, side: view.pair.side, state: game.endpoint.state, ladder: game.ladder });
  }, [view]);
  const [verdict, setVerdict] = useState<MoveVerdict | null>(null);
  const verdicts = useRef(0);

  // Which game this is: a new round, pair or restart empties the hand and the move error line.
  const epoch = useRef<{ mark: GameMark | null; n: number }>({ mark: null, n: 0 });
  if (view) {
    const mark = gameMark(view);
    if (epoch.current.mark && !sameGame(epoch.current.mark, mark)) epoch.current.n += 1;
    epoch.current.mark = mark;
  }
  const gameEpoch = epoch.current.n;
  useEffect(() => { setVerdict(null); }, [gameEpoch]);

  // Announce each new event once (the announcer joins one view's events into one message);
  // not the history that a (re)load brings.
  const spoken = useRef<number | null>(null);
  const moment = useRef<Moment | null>(null);
  useEffect(() => {
    if (!view) return;
    const last = feedback[feedback.length - 1];
    if (last) {
      if (spoken.current !== null && last.id > spoken.current) {
        for (const item of feedback.filter((f) => f.id > spoken.current!)) announce(describe(item, t, lang).announcement);
      }
      spoken.current = last.id;
    } else if (spoken.current === null) {
      spoken.current = -1; // nothing yet: everything from now on is news
    }
    const now = momentOf(view);
    if (moment.current) for (const text of changes(moment.current, now, view, t, lang)) announce(text);
    moment.current = now;
  }, [view]);

  if (stored?.removed && !session) {
    return (
      <main id="main" class="page" tabIndex={-1}>
        <h1>{t('play.title')}</h1>
        <FormError testId="session-error">{t('play.removed', { nickname: stored.nickname, code })}</FormError>
        <p><a class="btn" href={href('/')}>{t('play.toStart')}</a></p>
      </main>
    );
  }
  if (!stored && !session) {
    return (
      <main id="main" class="page" tabIndex={-1}>
        <h1>{t('play.title')}</h1>
        <p>{t('play.noSeat', { code })}</p>
        <p><a class="btn btn-primary" href={href(`/join/${code}`)}>{t('play.joinHere')}</a></p>
      </main>
    );
  }
  // Not welcomed yet, or over for good (the seat no longer resumes, or the socket was closed
  // for good: removed, room closed…): no table, stale or not.
  const closed = state?.status.kind === 'closed';
  if (!state || !view || state.ended || closed) {
    return (
      <main id="main" class="page" tabIndex={-1}>
        <h1>{t('play.title')}</h1>
        {state && !state.ended && <ConnectionBanner state={state} />}
        {state?.error && <FormError testId="session-error">{errorText(state.error.code, state.error.message, t)}</FormError>}
        {/* A removed seat is told so, and offered no fresh seat here. */}
        {state?.error?.code === 'seat/removed' || closed
          ? <p><a class="btn" href={href('/')}>{t('play.toStart')}</a></p>
          : (state?.error || state?.ended) && <p><a class="btn btn-primary" href={href(`/join/${code}`)}>{t('play.joinHere')}</a></p>}
      </main>
    );
  }

  const pair = view.pair;
  const game = pair?.game ?? null;
  const side: Side | null = pair?.side ?? null;
  const round = view.round;
  const canMove = !!game && round.status === 'running' && !game.finished && state.status.kind === 'open';

  // True once the move was judged, accepted or refused: the hand is then cleared (a refused
  // FIN must not ride along on the next card). Not sent (offline, stale): kept, to send again.
  const send = async (segment: Segment): Promise<boolean> => {
    setVerdict(null);
    const r = await session!.move({ flags: segment.flags, seq: segment.seq, ack: segment.ack, len: segment.len });
    const n = ++verdicts.current;
    if (!r.ok) {
      setVerdict({ n, kind: 'error', code: r.code, message: r.message });
      announce(errorText(r.code, r.message, t));
      return false;
    }
    // The view's feedback line says (and announces) the same: here it is only shown by Send.
    setVerdict(r.verdict.ok ? { n, kind: 'accepted', segment } : { n, kind: 'refused', code: r.verdict.code, facts: r.verdict.facts });
    return true;
  };

  const roleName = side ? t(side === 'client' ? 'side.client' : 'side.server') : null;
  const wire: Record<Side, InFlight[]> = game && side
    ? { [side]: toInFlight(game.wire.mine), [side === 'client' ? 'server' : 'client']: toInFlight(game.wire.theirs) } as Record<Side, InFlight[]>
    : { client: [], server: [] };
  const hints = game?.hints ?? null;
  const practice = view.room.kind === 'practice';
  const restart = pair ? () => session!.send({ type: 'pair/restart', pairId: pair.pairId }) : null;
  const suggestions: Suggestion[] = hints && !game?.finished
    ? hints.moves.map((m) => ({ card: { flags: m.flags, seq: m.seq, ack: m.ack, len: m.len }, why: t(`play.why.${m.why}`) }))
    : [];
  // What the diagram lights: the oracle's next segments; none once the goal is reached or while waiting.
  const lit = game && !game.finished ? game.next.moves.map((m) => ({ flags: m.flags, to: m.to, why: t(`play.why.${m.why}`) })) : [];
  const waitFor = game?.finished ? 'goal' : game?.next.wait ?? 'arrival';
  const commandError = (ref: string) => (state.error?.ref === ref ? errorText(state.error.code, state.error.message, t) : null);

  return (
    <main id="main" class="page page-play" tabIndex={-1}>
      <ConnectionBanner state={state} />
      <div class="play-head">
        <h1>
          <span class="who">{view.you.nickname}</span>
          {roleName && <> · <span class="role-badge" data-role={side}>{roleName}</span></>}
        </h1>
        <p class="play-room">
          {t('play.room')} <span class="mono">{view.room.code}</span>
          {pair && <> · {t('play.partner', { name: pair.partner.nickname })}{' '}
            {pair.partner.bot && <><span class="bot-badge" data-testid="partner-bot"><span aria-hidden="true">⚙ </span>{t('play.bot')}</span>{' '}</>}
            <span class={pair.partner.connected ? 'presence on' : 'presence off'}>
              {pair.partner.connected ? t('presence.online') : t('presence.away')}
            </span></>}
        </p>
        <p class="play-score" aria-live="off">
          <span>{t('play.score')} <strong data-testid="my-score">{view.you.score}</strong></span>
          <span>{t('play.streak')} <strong>{view.you.streak}</strong></span>
          <span>{t('play.mistakes')} <strong>{view.you.mistakes}</strong></span>
        </p>
      </div>
      <RoundSummary round={round} />
      {view.room.kind === 'practice' && (
        <section class="panel" aria-labelledby="practice-title">
          <h2 id="practice-title">{t('play.practice.title')}</h2>
          {/* Playing alone, the bot has the second seat: there is nobody to invite. */}
          {!pair?.partner.bot && <p>{t('play.practice.share')} <a href={`/join/${view.room.code}`} class="mono">{`${location.origin}/join/${view.room.code}`}</a></p>}
          {pair && <RoundControls round={round} send={(m) => session!.send(m)} idPrefix="practice-round" />}
          {pair && round.status !== 'running' && round.status !== 'paused' && (
            <button type="button" class="btn" onClick={() => session!.send({ type: 'pair/swap', pairId: pair.pairId })}>{t('play.swap')}</button>
          )}
          {/* A refused round or swap command (a refused move is shown by the hand). */}
          {state.error && state.error.ref !== 'move' && state.error.ref !== 'hint/ask' && state.error.ref !== 'pair/restart' && (
            <FormError key={state.error.n}>{errorText(state.error.code, state.error.message, t)}</FormError>
          )}
        </section>
      )}
      {!pair && <p class="panel waiting">{t('play.waitingPartner')}</p>}
      {pair && !game && <p class="panel waiting">{t('play.waitingRound')}</p>}
      {game && side && (
        <div class="play-grid">
          <section class="panel side play-me" aria-labelledby="me-title" data-side={side}>
            <h2 id="me-title">{t('play.yourEnd', { side: roleName ?? '' })}</h2>
            <StateBadge state={game.endpoint.state} />
            <EndpointFacts isn={game.endpoint.isn} isnChosen={game.endpoint.isnChosen} numbers={game.endpoint.numbers} bytesReceived={game.endpoint.bytesReceived} />
            {game.endpoint.timers.timeWait && <p class="hint">{t('endpoint.timeWait')}</p>}
            {game.finished && (
              <div class="banner banner-ok play-done">
                <p><span aria-hidden="true">✓ </span>{t(practice ? 'play.finishedPractice' : 'play.finished')}</p>
                {/* A practice pair may play the scenario again while the round runs. */}
                {practice && restart && round.status === 'running' && (
                  <button type="button" class="btn" data-testid="play-again" onClick={restart}>{t('play.playAgain')}</button>
                )}
              </div>
            )}
            {game.stuck && (
              <StuckBanner
                reason={game.stuck}
                active={round.status === 'running' || round.status === 'paused'}
                onRestart={practice ? restart : null}
                error={commandError('pair/restart')}
              />
            )}
            {!game.finished && round.status === 'paused' && <p class="banner">{t('play.paused')}</p>}
            <CardComposer
              side={side}
              autoFill={hints ? (flags) => autoFromHints(hints, flags) : null}
              isn={game.endpoint.isn}
              isnChosen={game.endpoint.isnChosen}
              onSend={send}
              heading={t('composer.title')}
              idPrefix="hand"
              shortcuts="global"
              disabled={!canMove}
              suggestions={suggestions}
              resetKey={gameEpoch}
              verdict={verdict && {
                n: verdict.n,
                kind: verdict.kind,
                text: verdict.kind === 'accepted' ? t('play.verdict.accepted', { segment: segmentLabel(verdict.segment) })
                  : verdict.kind === 'refused' ? t('play.verdict.refused', { explanation: explainRefusal(verdict.code, verdict.facts, lang) })
                  : errorText(verdict.code, verdict.message, t),
              }}
            />
            {/* Only once the retransmission timer has expired: before that, waiting is right. */}
            {hints?.retransmit && !game.endpoint.timers.rtx && <p class="hint">{t('play.retransmit', { segment: segmentLabel({ from: side, ...hints.retransmit }) })}</p>}
            <HintPanel
              allowed={round.hints}
              hint={game.hint ? hintSentences(game.hint, side, game.endpoint.state, t) : null}
              points={-POINTS.hint}
              canAsk={canMove && !game.stuck}
              onAsk={() => session!.send({ type: 'hint/ask' })}
              error={commandError('hint/ask')}
            />
          </section>
          <div class="play-wire"><Wire wire={wire} /></div>
          <div class="play-feedback"><FeedbackPanel items={feedback} /></div>
          <div class="play-ladder">
            <LadderDiagram entries={ladderFromView(game.ladder)} timeLabel={(_at, row) => `${row + 1}`} />
          </div>
          <div class="play-diagram panel">
            <StateDiagram
              state={game.endpoint.state}
              idPrefix="my-diagram"
              heading={t('diagram.title')}
              moves={lit}
              waitText={t(`diagram.wait.${waitFor}`)}
              listTitle={t('diagram.nextCorrect', { state: game.endpoint.state })}
            />
          </div>
        </div>
      )}
      <Leaderboard entries={view.leaderboard} me={view.you.nickname} headingId="board-title" title={t('board.title')} />
    </main>
  );
}
