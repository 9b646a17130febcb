/**
 * #/ and /join/CODE — the start page: join a class (code + nickname; a join link fills the
 * code in), host a class, practise with a friend, play alone against a bot, and reopen the
 * rooms this browser holds keys or seats for. The sandbox and the glossary are a click away.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { FormError } from '../components/FormError.tsx';
import { useI18n } from '../i18n/index.tsx';
import { SCENARIO_IDS, type Level, type ScenarioId } from '../../../shared/game/model.ts';
import { SCENARIOS } from '../../../shared/game/scenarios.ts';
import { checkNickname } from '../../../shared/nickname.ts';
import type { Side } from '../../../shared/tcp/types.ts';
import { createRoom, lookupRooms, normalizeRoomCode, type RoomSummary } from '../net/api.ts';
import { joinRoom } from '../net/join.ts';
import { startSolo } from '../net/solo.ts';
import { keys, seats } from '../net/stored.ts';
import { errorText } from '../lib/errors.ts';
import { href, navigate } from '../lib/router.ts';
import { usePageTitle } from '../lib/title.ts';

type Busy = null | 'join' | 'host' | 'practice' | 'solo';

/** Why playing alone did not start; `table`: the player and the bot are paired, only the round failed, so the table can open. */
interface SoloError { text: string; table: string | null }

export function StartPage({ code: linkCode }: { code?: string }) {
  const { t, lang } = useI18n();
  usePageTitle(t('app.tagline'));
  const [code, setCode] = useState(linkCode ? normalizeRoomCode(linkCode) : '');
  const [nickname, setNickname] = useState('');
  const [practiceName, setPracticeName] = useState('');
  const [busy, setBusy] = useState<Busy>(null);
  const [joinError, setJoinError] = useState<string | null>(null);
  const [hostError, setHostError] = useState<string | null>(null);
  const [practiceError, setPracticeError] = useState<string | null>(null);
  const [soloName, setSoloName] = useState('');
  const [soloSide, setSoloSide] = useState<Side>('client');
  const [soloScenario, setSoloScenario] = useState<ScenarioId>('handshake');
  const [soloLevel, setSoloLevel] = useState<Level>(1);
  const [soloError, setSoloError] = useState<SoloError | null>(null);
  const [rooms, setRooms] = useState<RoomSummary[] | null>(null);
  const [keyCode, setKeyCode] = useState('');
  const [roomKey, setRoomKey] = useState('');
  const nicknameRef = useRef<HTMLInputElement>(null);
  const storedSeat = code ? seats.get(normalizeRoomCode(code)) : undefined;

  useEffect(() => {
    if (linkCode) nicknameRef.current?.focus();
  }, [linkCode]);

  useEffect(() => {
    const held = Object.values(keys.all()).map((k) => k.key);
    if (held.length === 0) { setRooms([]); return; }
    lookupRooms(held).then(setRooms, () => setRooms([]));
  }, []);

  const join = async (e: Event) => {
    e.preventDefault();
    const c = normalizeRoomCode(code);
    if (!c) { setJoinError(t('start.join.needCode')); return; }
    // The server's rule, checked here first (whether the name is taken only the room knows).
    const nick = checkNickname(nickname, []);
    if (!nick.ok) { setJoinError(errorText(nick.code, nick.message, t)); return; }
    setBusy('join');
    setJoinError(null);
    const r = await joinRoom(c, nick.nickname);
    setBusy(null);
    if (r.ok) navigate(`/play/${c}`);
    else setJoinError(errorText(r.code, r.message, t));
  };

  const host = async () => {
    setBusy('host');
    setHostError(null);
    try {
      const room = await createRoom('class');
      keys.set(room.code, { key: room.key, kind: 'class', createdAt: Date.now() });
      navigate(`/host/${room.code}`);
    } catch (err) {
      setHostError(errorText((err as { code?: string }).code ?? '', (err as Error).message, t));
    } finally {
      setBusy(null);
    }
  };

  const practise = async (e: Event) => {
    e.preventDefault();
    // Checked before the room is opened, so a refused name does not leave an empty room behind.
    const nick = checkNickname(practiceName, []);
    if (!nick.ok) { setPracticeError(errorText(nick.code, nick.message, t)); return; }
    setBusy('practice');
    setPracticeError(null);
    try {
      const room = await createRoom('practice');
      keys.set(room.code, { key: room.key, kind: 'practice', createdAt: Date.now() });
      const r = await joinRoom(room.code, nick.nickname);
      if (r.ok) navigate(`/play/${room.code}`);
      else setPracticeError(errorText(r.code, r.message, t));
    } catch (err) {
      setPracticeError(errorText((err as { code?: string }).code ?? '', (err as Error).message, t));
    } finally {
      setBusy(null);
    }
  };

  const playSolo = async (e: Event) => {
    e.preventDefault();
    const nick = checkNickname(soloName, []);
    if (!nick.ok) { setSoloError({ text: errorText(nick.code, nick.message, t), table: null }); return; }
    setBusy('solo');
    setSoloError(null);
    try {
      const room = await createRoom('practice');
      keys.set(room.code, { key: room.key, kind: 'practice', createdAt: Date.now() });
      const joined = await joinRoom(room.code, nick.nickname);
      if (!joined.ok) { setSoloError({ text: errorText(joined.code, joined.message, t), table: null }); return; }
      // On the session just joined with: the server takes its frames in order, so the bot is paired before the round starts.
      const r = await startSolo(joined.session, { side: soloSide, scenario: soloScenario, level: soloLevel });
      if (r.ok) { navigate(`/play/${room.code}`); return; }
      // Refused at round/start: bot/add went through (its refusal would have come first), so the
      // pair exists even if its view is still on the way, and the table can open.
      const paired = r.ref === 'round/start';
      if (!paired) joined.session.close();
      setSoloError({ text: errorText(r.code, r.message, t), table: paired ? room.code : null });
    } catch (err) {
      setSoloError({ text: errorText((err as { code?: string }).code ?? '', (err as Error).message, t), table: null });
    } finally {
      setBusy(null);
    }
  };

  const mySeats = Object.entries(seats.all());
  const dateFmt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <main id="main" class="page page-start" tabIndex={-1}>
      <h1>{t('start.title')}</h1>
      <p class="intro">{t('home.intro')}</p>
      <div class="start-grid">
        <section class="panel" aria-labelledby="join-title">
          <h2 id="join-title">{t('start.join.title')}</h2>
          <form class="stack" onSubmit={join} aria-describedby={joinError ? 'join-error' : undefined}>
            <label class="field">
              <span>{t('start.join.code')}</span>
              <input
                type="text" name="code" value={code} autocomplete="off" autocapitalize="characters" spellcheck={false}
                maxLength={16} class="code-input" aria-invalid={!!joinError && joinError === t('err.room/not-found')}
                onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)}
              />
            </label>
            <label class="field">
              <span>{t('start.join.nickname')}</span>
              <input
                ref={nicknameRef} type="text" name="nickname" value={nickname} autocomplete="nickname"
                aria-describedby="nickname-hint"
                onInput={(e) => setNickname((e.currentTarget as HTMLInputElement).value)}
              />
            </label>
            <p class="hint" id="nickname-hint">{t('start.join.nicknameHint')}</p>
            {joinError && <FormError id="join-error">{joinError}</FormError>}
            {storedSeat?.removed && <FormError testId="join-removed">{t('start.join.removed', { nickname: storedSeat.nickname })}</FormError>}
            <div class="row">
              <button type="submit" class="btn btn-primary" disabled={busy !== null || !!storedSeat?.removed} aria-busy={busy === 'join'}>{t('start.join.submit')}</button>
              {storedSeat && !storedSeat.removed && (
                <a class="btn" href={href(`/play/${normalizeRoomCode(code)}`)}>{t('start.join.continue', { nickname: storedSeat.nickname })}</a>
              )}
            </div>
          </form>
        </section>

        <section class="panel" aria-labelledby="host-title">
          <h2 id="host-title">{t('start.host.title')}</h2>
          <p>{t('start.host.text')}</p>
          <button type="button" class="btn btn-primary" onClick={host} disabled={busy !== null} aria-busy={busy === 'host'}>{t('start.host.submit')}</button>
          {hostError && <FormError>{hostError}</FormError>}
        </section>

        <section class="panel" aria-labelledby="practice-title">
          <h2 id="practice-title">{t('start.practice.title')}</h2>
          <p>{t('start.practice.text')}</p>
          <form class="stack" onSubmit={practise}>
            <label class="field">
              <span>{t('start.join.nickname')}</span>
              <input type="text" name="practice-nickname" value={practiceName} autocomplete="nickname"
                onInput={(e) => setPracticeName((e.currentTarget as HTMLInputElement).value)} />
            </label>
            {practiceError && <FormError>{practiceError}</FormError>}
            <div class="row">
              <button type="submit" class="btn btn-primary" disabled={busy !== null} aria-busy={busy === 'practice'}>{t('start.practice.submit')}</button>
            </div>
          </form>
        </section>

        <section class="panel solo-panel" aria-labelledby="solo-title">
          <h2 id="solo-title">{t('start.solo.title')}</h2>
          <p id="solo-text">{t('start.solo.text')}</p>
          <form class="stack" data-testid="solo-form" onSubmit={playSolo} aria-describedby="solo-text">
            <label class="field">
              <span>{t('start.join.nickname')}</span>
              <input type="text" name="solo-nickname" value={soloName} autocomplete="nickname"
                onInput={(e) => setSoloName((e.currentTarget as HTMLInputElement).value)} />
            </label>
            <fieldset class="solo-roles">
              <legend>{t('start.solo.role')}</legend>
              {(['client', 'server'] as const).map((side) => (
                <label class="check" key={side}>
                  <input type="radio" name="solo-role" value={side} data-testid={`solo-role-${side}`} checked={soloSide === side}
                    onChange={() => setSoloSide(side)} />
                  <span>{t(side === 'client' ? 'start.solo.role.client' : 'start.solo.role.server')}</span>
                </label>
              ))}
            </fieldset>
            <label class="field">
              <span>{t('round.scenario')}</span>
              <select name="solo-scenario" data-testid="solo-scenario" value={soloScenario} aria-describedby="solo-goal"
                onChange={(e) => setSoloScenario((e.currentTarget as HTMLSelectElement).value as ScenarioId)}>
                {SCENARIO_IDS.map((id) => <option key={id} value={id}>{SCENARIOS[id].title[lang]}</option>)}
              </select>
            </label>
            <p class="hint" id="solo-goal">{SCENARIOS[soloScenario].goal[lang]}</p>
            <label class="field">
              <span>{t('round.level')}</span>
              <select name="solo-level" data-testid="solo-level" value={String(soloLevel)} aria-describedby="solo-level-text"
                onChange={(e) => setSoloLevel(Number((e.currentTarget as HTMLSelectElement).value) as Level)}>
                {([1, 2, 3] as const).map((l) => <option key={l} value={String(l)}>{t(`sandbox.level.${l}`)}</option>)}
              </select>
            </label>
            {/* Short names in the list (a phone's select shows one line), what the chosen level asks for below, as the scenario's goal. */}
            <p class="hint" id="solo-level-text">{t(`start.solo.level.${soloLevel}`)}</p>
            {soloError && (
              <FormError testId="solo-error">
                {soloError.text}
                {soloError.table && <> <a href={href(`/play/${soloError.table}`)}>{t('start.solo.openTable')}</a></>}
              </FormError>
            )}
            <div class="row">
              <button type="submit" class="btn btn-primary" data-testid="solo-submit" disabled={busy !== null} aria-busy={busy === 'solo'}>
                {t('start.solo.submit')}
              </button>
            </div>
          </form>
        </section>

        {(mySeats.length > 0 || (rooms && rooms.length > 0)) && (
          <section class="panel" aria-labelledby="mine-title">
            <h2 id="mine-title">{t('start.mine.title')}</h2>
            {mySeats.length > 0 && (
              <>
                <h3>{t('start.mine.seats')}</h3>
                <ul class="room-list seats-list">
                  {mySeats.map(([c, s]) => (
                    <li key={c}>
                      <a href={href(`/play/${c}`)}><span class="mono">{c}</span> · {s.nickname}</a>
                      {s.removed && <> · <strong>{t('start.mine.removed')}</strong></>}
                    </li>
                  ))}
                </ul>
              </>
            )}
            {rooms && rooms.length > 0 && (
              <>
                <h3>{t('start.mine.keys')}</h3>
                <ul class="room-list keys-list">
                  {rooms.map((r) => (
                    <li key={r.code}>
                      {/* A closed room opens in review: there is nothing left to host. */}
                      <a href={href(r.closed ? `/review/${r.code}` : `/host/${r.code}`)}><span class="mono">{r.code}</span></a>
                      {' · '}{t(r.kind === 'class' ? 'start.mine.class' : 'start.mine.practice')}
                      {' · '}{dateFmt.format(r.createdAt)}
                      {' · '}{t('start.mine.seatsCount', { count: r.seats })}
                      {r.closed && <> · <strong>{t('start.mine.closed')}</strong></>}
                      {!r.closed && <> · <a href={href(`/review/${r.code}`)} aria-label={t('start.mine.reviewOf', { code: r.code })}>{t('start.mine.review')}</a></>}
                    </li>
                  ))}
                </ul>
                <p><a href={href('/review')}>{t('start.mine.pastClasses')}</a></p>
              </>
            )}
          </section>
        )}

        <section class="panel" aria-labelledby="bykey-title">
          <h2 id="bykey-title">{t('start.byKey.title')}</h2>
          <form class="stack" aria-describedby="bykey-hint" onSubmit={(e) => {
            e.preventDefault();
            const c = normalizeRoomCode(keyCode);
            if (!c || !roomKey.trim()) return;
            keys.set(c, { key: roomKey.trim(), kind: 'class', createdAt: Date.now() });
            // Two ways in: host the room (Enter), or review it.
            const review = (e as SubmitEvent).submitter?.getAttribute('value') === 'review';
            navigate(review ? `/review/${c}` : `/host/${c}`);
          }}>
            <p class="hint" id="bykey-hint">{t('start.byKey.hint')}</p>
            <label class="field">
              <span>{t('start.join.code')}</span>
              <input type="text" name="key-code" value={keyCode} autocomplete="off" maxLength={16} class="code-input"
                onInput={(e) => setKeyCode((e.currentTarget as HTMLInputElement).value)} />
            </label>
            <label class="field">
              <span>{t('start.byKey.key')}</span>
              <input type="password" name="room-key" value={roomKey} autocomplete="off" maxLength={128}
                onInput={(e) => setRoomKey((e.currentTarget as HTMLInputElement).value)} />
            </label>
            <div class="row">
              <button type="submit" class="btn" name="open" value="host">{t('start.byKey.submit')}</button>
              <button type="submit" class="btn" name="open" value="review">{t('start.byKey.review')}</button>
            </div>
          </form>
        </section>

        <section class="panel" aria-labelledby="more-title">
          <h2 id="more-title">{t('start.more.title')}</h2>
          <ul class="link-list">
            <li><a href={href('/sandbox')}>{t('home.sandbox.title')}</a> — {t('home.sandbox.text')}</li>
            <li><a href={href('/import')}>{t('home.import.title')}</a> — {t('home.import.text')}</li>
            <li><a href={href('/glossary')}>{t('home.glossary.title')}</a> — {t('home.glossary.text')}</li>
          </ul>
        </section>
      </div>
    </main>
  );
}
