/**
 * #/host/CODE — the teacher's host screen, made for a projector: the join code large
 * enough for the back row with the join link and a QR code, the lobby, pairing (auto and
 * by hand, with bots, swap, rename, remove), the scenario, level and hints, the round's
 * buttons, a live grid of every pair (its losses, a restart, and a word when it is stuck),
 * the leaderboards and the class's most common mistakes. Bots are marked wherever a name
 * is. Loaded only on this page, so students never download it.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import type { StuckReason, TeacherView } from '../../../shared/game/views.ts';
import { checkNickname } from '../../../shared/nickname.ts';
import { explainRefusal } from '../../../shared/tcp/reasons.ts';
import type { Side } from '../../../shared/tcp/types.ts';
import { BotBadge } from '../components/BotBadge.tsx';
import { ConnectionBanner } from '../components/ConnectionBanner.tsx';
import { FormError } from '../components/FormError.tsx';
import { Leaderboard } from '../components/Leaderboard.tsx';
import { RoundControls, RoundSummary } from '../components/RoundControls.tsx';
import { TimerControls } from '../components/TimerControls.tsx';
import { useI18n, type MessageKey, type Translate } from '../i18n/index.tsx';
import { errorText } from '../lib/errors.ts';
import { href, navigate } from '../lib/router.ts';
import { segmentLabel } from '../lib/segment.ts';
import { usePageTitle } from '../lib/title.ts';
import { openSession, useSession, type RoomSession } from '../net/session.ts';
import { CLOSE_CODES } from '../net/socket.ts';
import { keys } from '../net/stored.ts';

type Pair = TeacherView['pairs'][number];
type Seat = TeacherView['seats'][number];

/** A message with one placeholder filled by elements (a name list with badges), in the message's own word order. */
function withNodes(t: Translate, key: MessageKey, param: string, nodes: ComponentChildren): ComponentChildren {
  const mark = '\u0000';
  const [before = '', after = ''] = t(key, { [param]: mark }).split(mark);
  return <>{before}{nodes}{after}</>;
}

const STUCK_TEXT: Record<StuckReason, MessageKey> = {
  reset: 'host.pair.stuck.reset', closed: 'host.pair.stuck.closed', 'nothing-left': 'host.pair.stuck.nothing-left',
};

function JoinPanel({ code, lock }: { code: string; lock?: { locked: boolean; send: RoomSession['send'] } }) {
  const { t } = useI18n();
  const link = `${location.origin}/join/${code}`;
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    QRCode.toString(link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then(setSvg, () => setSvg(null));
  }, [link]);
  return (
    <section class="panel join-panel" aria-labelledby="joininfo-title">
      <h2 id="joininfo-title">{t('host.join.title')}</h2>
      <p class="join-code">
        <span aria-hidden="true">{code}</span>
        <span class="sr-only">{t('host.join.codeLabel', { code: code.split('').join(' ') })}</span>
      </p>
      <p class="join-link">{t('host.join.link')} <a href={link} class="mono">{link}</a></p>
      {/^(localhost|127\.|\[::1\])/.test(location.hostname) && <p class="hint">{t('host.join.localhost', { host: location.hostname })}</p>}
      {svg && <div class="qr" role="img" aria-label={t('host.join.qr', { link })} dangerouslySetInnerHTML={{ __html: svg }} />}
      {lock && (
        <div class="row lock-row">
          {/* One button whose words change (focus stays on it); the state is also said in words, not by colour. */}
          <button type="button" class="btn" data-testid="lock-toggle"
            onClick={() => lock.send({ type: lock.locked ? 'room/unlock' : 'room/lock' })}>
            {t(lock.locked ? 'host.lock.unlock' : 'host.lock.lock')}
          </button>
          <span role="status" data-testid="lock-state" class={lock.locked ? 'lock-state locked' : 'lock-state'}>
            {t(lock.locked ? 'host.lock.locked' : 'host.lock.open')}
          </span>
        </div>
      )}
    </section>
  );
}

/** Move focus to an element by id (a heading with tabIndex=-1) once the page has re-rendered. */
const focusById = (id: string) => requestAnimationFrame(() => document.getElementById(id)?.focus());

function SeatRow({ seat, send }: { seat: Seat; send: RoomSession['send'] }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(seat.nickname);
  const [renameError, setRenameError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const renameButton = useRef<HTMLButtonElement>(null);
  // Opening the form puts the cursor in it; closing it (Save or Cancel) returns to Rename.
  const wasEditing = useRef(false);
  useEffect(() => {
    if (editing) input.current?.focus();
    else if (wasEditing.current) renameButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);
  const role = seat.side ? t(seat.side === 'client' ? 'side.client' : 'side.server') : t('host.seats.unpaired');
  return (
    <tr data-seat={seat.seatId}>
      <td>
        {editing ? (
          <form class="inline-form" onSubmit={(e) => {
            e.preventDefault();
            // Length and characters are checked here; whether the name is taken, by the room.
            const nick = checkNickname(name, []);
            if (!nick.ok) { setRenameError(errorText(nick.code, nick.message, t)); return; }
            send({ type: 'seat/rename', seatId: seat.seatId, nickname: name });
            setEditing(false);
          }}>
            <label class="sr-only" for={`rename-${seat.seatId}`}>{t('host.seats.newName', { name: seat.nickname })}</label>
            <input ref={input} id={`rename-${seat.seatId}`} type="text" value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} />
            <button type="submit" class="btn">{t('host.seats.save')}</button>
            <button type="button" class="btn btn-quiet" onClick={() => setEditing(false)}>{t('host.seats.cancel')}</button>
            {renameError && <FormError>{renameError}</FormError>}
          </form>
        ) : <>{seat.nickname}{seat.bot && <> <BotBadge /></>}</>}
      </td>
      <td><span class={seat.connected ? 'presence on' : 'presence off'}>{seat.connected ? t('presence.online') : t('presence.away')}</span></td>
      <td>{role}</td>
      <td class="num">{seat.score}</td>
      <td class="num">{seat.mistakes}</td>
      <td class="actions">
        {!editing && <button ref={renameButton} type="button" class="btn btn-small" onClick={() => { setName(seat.nickname); setRenameError(null); setEditing(true); }}>{t('host.seats.rename')}<span class="sr-only"> {seat.nickname}</span></button>}
        <button type="button" class="btn btn-small btn-quiet" onClick={() => {
          if (!confirm(t('host.seats.confirmRemove', { name: seat.nickname }))) return;
          send({ type: 'seat/remove', seatId: seat.seatId });
          focusById('seats-title'); // this row goes away
        }}>{t('host.seats.remove')}<span class="sr-only"> {seat.nickname}</span></button>
      </td>
    </tr>
  );
}

function PairCard({ pair, roundActive, send }: { pair: Pair; roundActive: boolean; send: RoomSession['send'] }) {
  const { t, lang } = useI18n();
  const g = pair.game;
  const inFlight = g ? [...g.connection.wire.client, ...g.connection.wire.server] : [];
  const last = g?.lastMove ?? null;
  // The segment most recently lost on this pair's wire (the teacher sees losses; the students do not).
  const lost = g?.lost ?? null;
  const sideName = (side: Side) => t(side === 'client' ? 'side.client' : 'side.server');
  const title = t('host.pair.title', { a: pair.nicknames.client, b: pair.nicknames.server });
  const end = (side: Side) => {
    const state = g ? g.connection[side].state : null;
    return (
      <div class={`pair-end pair-end-${side}`}>
        <p class="pair-name">
          <span class="role-badge" data-role={side}>{t(side === 'client' ? 'side.client' : 'side.server')}</span>{' '}
          <strong>{pair.nicknames[side]}</strong>{' '}
          {pair.bots[side] && <><BotBadge />{' '}</>}
          {!pair.connected[side] && <span class="presence off">{t('presence.away')}</span>}
        </p>
        <p class="pair-state" data-side={side} data-state={state ?? ''}>{state ?? '—'}</p>
      </div>
    );
  };
  return (
    <li class={g?.stuck ? 'panel pair-card pair-card-stuck' : 'panel pair-card'} data-pair={pair.pairId} data-stuck={g?.stuck ?? undefined}
      aria-labelledby={`pair-${pair.pairId}`}>
      <h3 id={`pair-${pair.pairId}`}>{title}</h3>
      {g?.stuck && (
        <p class="pair-stuck" data-testid="pair-stuck">
          <span class="stuck-tag"><span aria-hidden="true">⚠ </span>{t('host.pair.stuckTag')}</span>{' '}
          {t('host.pair.stuck', { reason: t(STUCK_TEXT[g.stuck]) })}
        </p>
      )}
      <div class="pair-ends">{end('client')}<span class="pair-arrow" aria-hidden="true">⇄</span>{end('server')}</div>
      {g && (
        <dl class="pair-facts">
          <div><dt>{t('host.pair.inFlight')}</dt><dd>{inFlight.length ? inFlight.map((f) => segmentLabel(f.segment)).join(', ') : t('endpoint.none')}</dd></div>
          <div><dt>{t('host.pair.last')}</dt><dd>{last ? (last.kind === 'sent'
            ? `${sideName(last.segment.segment.from)}: ${segmentLabel(last.segment.segment)}`
            : last.kind === 'refused' ? `✗ ${segmentLabel(last.segment)} (${last.code})` : '—') : t('endpoint.none')}</dd></div>
          {lost && (
            <div data-testid="pair-lost"><dt>{t('host.pair.lost')}</dt><dd><span aria-hidden="true">✕ </span>{lost.segment
              ? `${sideName(lost.from)}: ${segmentLabel(lost.segment)}`
              : t('host.pair.lostId', { id: lost.id, side: t(lost.from === 'client' ? 'side.client.lower' : 'side.server.lower') })}</dd></div>
          )}
          <div><dt>{t('host.pair.mistakes')}</dt><dd>{g.mistakes}</dd></div>
          <div><dt>{t('host.pair.score')}</dt><dd>{g.score}</dd></div>
          {g.finished && <div><dt>{t('host.pair.goal')}</dt><dd><span aria-hidden="true">✓ </span>{t('host.pair.done')}</dd></div>}
        </dl>
      )}
      {last?.kind === 'refused' && <p class="hint">{explainRefusal(last.code, last.facts, lang)}</p>}
      <div class="row">
        {g && (
          // Stays mounted (aria-disabled when nothing is in flight), so focus stays after a drop.
          <button type="button" class="btn btn-small" aria-disabled={inFlight.length === 0}
            onClick={() => { if (inFlight.length > 0) send({ type: 'wire/drop', pairId: pair.pairId }); }}>
            <span aria-hidden="true">✕ </span>{t('host.pair.drop')}
          </button>
        )}
        {g && roundActive && (
          <button type="button" class={g.stuck ? 'btn btn-small btn-primary' : 'btn btn-small'} data-testid="pair-restart"
            onClick={() => send({ type: 'pair/restart', pairId: pair.pairId })}>
            <span aria-hidden="true">↺ </span>{t('host.pair.restart')}<span class="sr-only"> · {title}</span>
          </button>
        )}
        <button type="button" class="btn btn-small btn-quiet" onClick={() => send({ type: 'pair/swap', pairId: pair.pairId })}>{t('host.pair.swap')}</button>
        <button type="button" class="btn btn-small btn-quiet" onClick={() => { send({ type: 'pair/dissolve', pairId: pair.pairId }); focusById('pairs-title'); }}>{t('host.pair.dissolve')}</button>
      </div>
    </li>
  );
}

/** An option's text cannot hold a badge: a bot is named so in words. */
const seatOption = (s: { nickname: string; bot: boolean }, t: Translate) => (s.bot ? t('host.bot.option', { name: s.nickname }) : s.nickname);

/**
 * Pair automatically (an odd student with a bot when the box is ticked), add a bot, and who
 * is still waiting. The buttons are aria-disabled, not disabled: pairing empties the list,
 * and a disabled button would drop the focus.
 */
function AutoPairing({ view, send }: { view: TeacherView; send: RoomSession['send'] }) {
  const { t } = useI18n();
  const [withBot, setWithBot] = useState(false);
  const free = view.unpaired;
  // One student alone is paired only with a bot (never a bot with a bot).
  const canPair = free.length >= 2 || (withBot && free.length === 1 && !free[0]!.bot);
  return (
    <>
      <div class="row">
        <button type="button" class="btn btn-primary" aria-disabled={!canPair}
          onClick={() => { if (canPair) send(withBot ? { type: 'pair/auto', withBot: true } : { type: 'pair/auto' }); }}>
          {t('host.pairing.auto')}
        </button>
        <label class="check">
          <input type="checkbox" data-testid="pair-with-bot" checked={withBot} onChange={(e) => setWithBot((e.currentTarget as HTMLInputElement).checked)} />
          <span>{t('host.pairing.withBot')}</span>
        </label>
      </div>
      <div class="row">
        <button type="button" class="btn" data-testid="add-bot" aria-describedby="add-bot-hint" onClick={() => send({ type: 'bot/add' })}>
          {t('host.pairing.addBot')}
        </button>
        <span class="hint" id="add-bot-hint">{t('host.pairing.addBotHint')}</span>
      </div>
      {free.length > 0 && (
        <p class="muted waiting-list">
          {withNodes(t, 'host.pairing.waiting', 'names', free.map((u, i) => (
            <span key={u.seatId}>{i > 0 && ', '}{u.nickname}{u.bot && <> <BotBadge /></>}</span>
          )))}
        </p>
      )}
    </>
  );
}

function ManualPairing({ view, send }: { view: TeacherView; send: RoomSession['send'] }) {
  const { t } = useI18n();
  const [client, setClient] = useState('');
  const [server, setServer] = useState('');
  if (view.unpaired.length < 2) return null;
  return (
    <form class="row manual-pair" onSubmit={(e) => { e.preventDefault(); if (client && server && client !== server) send({ type: 'pair/set', client, server }); }}>
      <label class="field">
        <span>{t('side.client')}</span>
        <select value={client} onChange={(e) => setClient((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">—</option>
          {view.unpaired.map((s) => <option key={s.seatId} value={s.seatId}>{seatOption(s, t)}</option>)}
        </select>
      </label>
      <label class="field">
        <span>{t('side.server')}</span>
        <select value={server === client ? '' : server} onChange={(e) => setServer((e.currentTarget as HTMLSelectElement).value)}>
          <option value="">—</option>
          {/* The student chosen as the client cannot also be the server. */}
          {view.unpaired.filter((s) => s.seatId !== client).map((s) => <option key={s.seatId} value={s.seatId}>{seatOption(s, t)}</option>)}
        </select>
      </label>
      <button type="submit" class="btn">{t('host.pairing.pair')}</button>
    </form>
  );
}

/** A closed room: said in words, with the way to its review; `focus` brings the teacher there (the Close button was far below). */
function ClosedRoom({ code, focus = false }: { code: string; focus?: boolean }) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => { if (focus) box.current?.focus(); }, [focus]);
  return (
    <div ref={box} tabIndex={-1} class="banner closed-room" data-testid="host-closed">
      <p>{t('host.closed.text', { code })}</p>
      <p><a class="btn btn-primary" href={href(`/review/${code}`)}>{t('host.closed.review')}</a></p>
    </div>
  );
}

export function HostPage({ code }: { code: string }) {
  const { t, lang } = useI18n();
  usePageTitle(t('host.title', { code }));
  const held = keys.get(code);
  const [session, setSession] = useState<RoomSession | null>(null);
  useEffect(() => {
    if (!held) return;
    const s = openSession(code, 'teacher');
    s.clearError(); // an error from an earlier visit to this page is not news
    setSession(s);
  }, [code]);
  const state = useSession(session);
  const view = state?.view?.role === 'teacher' ? state.view : null;
  // A closed room has nothing left to host: it opens in review (the address too, so Back skips it).
  const closedAtHello = state?.error?.code === 'room/closed' && !state.welcomed;
  useEffect(() => {
    if (!closedAtHello) return;
    session?.close();
    navigate(`/review/${code}`, { replace: true });
  }, [closedAtHello]);
  const closedNow = state?.status.kind === 'closed' && state.status.code === CLOSE_CODES['room/closed'];

  if (!held) {
    return (
      <main id="main" class="page" tabIndex={-1}>
        <h1>{t('host.title', { code })}</h1>
        <p>{t('host.noKey')}</p>
        <p><a href={href('/')}>{t('notFound.back')}</a></p>
      </main>
    );
  }
  if (closedAtHello) {
    return (
      <main id="main" class="page" tabIndex={-1}>
        <h1>{t('host.title', { code })}</h1>
        <ClosedRoom code={code} />
      </main>
    );
  }
  if (!state || !view) {
    return (
      <main id="main" class="page" tabIndex={-1}>
        <h1>{t('host.title', { code })}</h1>
        {state && <ConnectionBanner state={state} />}
        {state?.error && <FormError>{errorText(state.error.code, state.error.message, t)}</FormError>}
      </main>
    );
  }
  const send = (m: Parameters<RoomSession['send']>[0]) => session!.send(m);
  const seatsShown = view.seats.filter((s) => !s.removed);
  const example = (code: string) => [...view.mistakes].reverse().find((m) => m.code === code);
  const roundActive = view.round.status === 'running' || view.round.status === 'paused';
  const pairHasBot = new Map(view.pairs.map((p) => [p.pairId, p.bots.client || p.bots.server]));

  return (
    <main id="main" class="page page-host" tabIndex={-1}>
      <ConnectionBanner state={state} />
      <h1>{t(view.room.kind === 'class' ? 'host.title' : 'host.titlePractice', { code: view.room.code })}</h1>
      {/* Closed from this screen just now: the review is the way on. */}
      {closedNow && <ClosedRoom code={view.room.code} focus />}
      {state.error && <FormError key={state.error.n}>{errorText(state.error.code, state.error.message, t)}</FormError>}
      <div class="host-grid">
        <JoinPanel code={view.room.code} lock={view.room.kind === 'class' ? { locked: view.room.locked, send } : undefined} />
        <section class="panel" aria-labelledby="round-title">
          <h2 id="round-title">{t('host.round.title')}</h2>
          <RoundSummary round={view.round} />
          {view.room.kind === 'class' && view.round.number > 0 && (
            <p class="hint" data-testid="round-hints">{t(view.round.hints ? 'host.round.hintsOn' : 'host.round.hintsOff')}</p>
          )}
          <RoundControls round={view.round} send={send} speedOption hintsOption={view.room.kind === 'class'} idPrefix="host-round" />
          {view.room.timings && (
            <TimerControls timings={view.room.timings} locked={view.round.status === 'running' || view.round.status === 'paused'} send={send} />
          )}
        </section>
        <section class="panel host-seats" aria-labelledby="seats-title">
          <h2 id="seats-title" tabIndex={-1}>{t('host.seats.title', { count: seatsShown.length })}</h2>
          {seatsShown.length === 0 ? <p class="muted">{t('host.seats.empty')}</p> : (
            <div class="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('board.name')}</th><th scope="col">{t('host.seats.presence')}</th><th scope="col">{t('host.seats.role')}</th>
                    <th scope="col" class="num">{t('board.score')}</th><th scope="col" class="num">{t('host.pair.mistakes')}</th><th scope="col">{t('host.seats.actions')}</th>
                  </tr>
                </thead>
                <tbody>{seatsShown.map((s) => <SeatRow key={s.seatId} seat={s} send={send} />)}</tbody>
              </table>
            </div>
          )}
          <AutoPairing view={view} send={send} />
          <ManualPairing view={view} send={send} />
        </section>
      </div>
      <section class="host-pairs" aria-labelledby="pairs-title">
        <h2 id="pairs-title" tabIndex={-1}>{t('host.pairs.title')}</h2>
        {view.pairs.length === 0 ? <p class="muted">{t('host.pairs.empty')}</p> : (
          <ul class="pair-grid">{view.pairs.map((p) => <PairCard key={p.pairId} pair={p} roundActive={roundActive} send={send} />)}</ul>
        )}
      </section>
      <div class="host-grid">
        <Leaderboard entries={view.leaderboard.map((e) => ({ id: e.seatId, rank: e.rank, nickname: e.nickname, score: e.score, bot: e.bot }))}
          headingId="board-title" title={t('board.title')} note={t('board.classNote')} />
        <Leaderboard entries={view.pairLeaderboard.map((p) => ({ id: p.pairId, rank: p.rank, nickname: p.nicknames, score: p.score, bot: pairHasBot.get(p.pairId) ?? false }))}
          headingId="pairboard-title" title={t('board.pairs')} note={t('board.pairsNote')} />
        <section class="panel" aria-labelledby="common-title">
          <h2 id="common-title">{t('host.common.title')}</h2>
          {view.commonMistakes.length === 0 ? <p class="muted">{t('host.common.empty')}</p> : (
            <ol class="common-mistakes">
              {view.commonMistakes.slice(0, 5).map((m) => {
                const ex = example(m.code);
                return (
                  <li key={m.code}>
                    <strong>{t('host.common.count', { count: m.count })}</strong> <code>{m.code}</code>
                    {ex && <p class="hint">{explainRefusal(m.code, ex.facts, lang)}</p>}
                  </li>
                );
              })}
            </ol>
          )}
        </section>
      </div>
      <details class="panel room-key">
        <summary>{t('host.key.summary')}</summary>
        <p>{t('host.key.text')}</p>
        <p><code class="key">{held.key}</code></p>
      </details>
      <p>
        <button type="button" class="btn btn-quiet" onClick={() => { if (confirm(t('host.close.confirm'))) send({ type: 'room/close' }); }}>
          {t('host.close.button')}
        </button>
      </p>
    </main>
  );
}

export default HostPage;
