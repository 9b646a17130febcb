/**
 * Scenario and level pickers and the round's buttons: start, pause, resume, end. The
 * teacher's host screen has them; so does a practice room, where either player (or a player
 * alone with a bot) runs the rounds: between rounds any scenario and level can be chosen.
 */
import { useState } from 'preact/hooks';
import { SCENARIO_IDS, type Level, type ScenarioId } from '../../../shared/game/model.ts';
import { SCENARIOS } from '../../../shared/game/scenarios.ts';
import { POINTS } from '../../../shared/game/scoring.ts';
import type { RoundView } from '../../../shared/game/views.ts';
import type { ClientMessage } from '../../../shared/protocol.ts';
import { useI18n } from '../i18n/index.tsx';

interface Props {
  round: RoundView;
  send: (msg: ClientMessage) => void;
  /** The teacher may also turn the speed bonus on. */
  speedOption?: boolean;
  /** A class's teacher may let students buy hints (practice rooms always have them, so no box there). */
  hintsOption?: boolean;
  idPrefix: string;
}

export function RoundControls({ round, send, speedOption = false, hintsOption = false, idPrefix }: Props) {
  const { t, lang } = useI18n();
  const [scenario, setScenario] = useState<ScenarioId>(round.scenario);
  const [level, setLevel] = useState<Level>(round.level);
  const [speed, setSpeed] = useState(round.speedBonus);
  const [hints, setHints] = useState(round.hints);
  const running = round.status === 'running' || round.status === 'paused';
  const id = (s: string) => `${idPrefix}-${s}`;
  return (
    <div class="round-controls">
      <div class="row">
        <label class="field">
          <span>{t('round.scenario')}</span>
          <select id={id('scenario')} value={scenario} disabled={running}
            onChange={(e) => setScenario((e.currentTarget as HTMLSelectElement).value as ScenarioId)}>
            {SCENARIO_IDS.map((s) => <option key={s} value={s}>{SCENARIOS[s].title[lang]}</option>)}
          </select>
        </label>
        <label class="field">
          <span>{t('round.level')}</span>
          <select id={id('level')} value={String(level)} disabled={running}
            onChange={(e) => setLevel(Number((e.currentTarget as HTMLSelectElement).value) as Level)}>
            {([1, 2, 3] as const).map((l) => <option key={l} value={String(l)}>{t(`sandbox.level.${l}`)}</option>)}
          </select>
        </label>
        {speedOption && (
          <label class="check">
            <input type="checkbox" checked={speed} disabled={running} onChange={(e) => setSpeed((e.currentTarget as HTMLInputElement).checked)} />
            <span>{t('round.speedBonus')}</span>
          </label>
        )}
        {hintsOption && (
          <label class="check">
            <input type="checkbox" data-testid="allow-hints" checked={hints} disabled={running} aria-describedby={id('hints-hint')}
              onChange={(e) => setHints((e.currentTarget as HTMLInputElement).checked)} />
            <span>{t('host.round.hints')}</span>
          </label>
        )}
      </div>
      {hintsOption && <p class="hint" id={id('hints-hint')}>{t('host.round.hintsHint', { points: Math.abs(POINTS.hint) })}</p>}
      {!running && <p class="hint">{SCENARIOS[scenario].goal[lang]}</p>}
      {/* The two buttons stay mounted (their words change), so focus stays where the teacher pressed. */}
      <div class="row">
        <button
          type="button" class={round.status === 'running' ? 'btn' : 'btn btn-primary'} id={id('main')}
          onClick={() => {
            if (round.status === 'running') send({ type: 'round/pause' });
            else if (round.status === 'paused') send({ type: 'round/resume' });
            else send({ type: 'round/start', scenario, level, speedBonus: speedOption && speed, ...(hintsOption ? { hints } : {}) });
          }}
        >
          {round.status === 'running'
            ? <><span aria-hidden="true">❚❚ </span>{t('round.pause')}</>
            : round.status === 'paused'
              ? <><span aria-hidden="true">▶ </span>{t('round.resume')}</>
              : <><span aria-hidden="true">▶ </span>{t(round.number === 0 ? 'round.start' : 'round.next')}</>}
        </button>
        <button type="button" class="btn btn-quiet" id={id('end')} aria-disabled={!running}
          onClick={() => { if (running) send({ type: 'round/end' }); }}>
          <span aria-hidden="true">■ </span>{t('round.end')}
        </button>
      </div>
    </div>
  );
}

/** "Round 2 · Full lifecycle · Level 1 · running", in words. */
export function RoundSummary({ round }: { round: RoundView }) {
  const { t, lang } = useI18n();
  if (round.number === 0) return <p class="round-summary">{t('round.none')}</p>;
  return (
    <div class="round-summary">
      <p>
        <strong>{t('round.number', { n: round.number })}</strong> · {round.title[lang]} · {t('round.levelN', { level: t(`sandbox.level.${round.level}`) })} ·{' '}
        <span class={`round-status round-${round.status}`} data-status={round.status}>{t(`round.status.${round.status}`)}</span>
      </p>
      <p class="hint">{round.goal[lang]}</p>
    </div>
  );
}
