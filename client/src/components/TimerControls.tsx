/**
 * The room's timers on the host screen: wire latency, retransmission timeout (RTO) and
 * 2MSL (TIME_WAIT), set between rounds. The rule that keeps the lost-final-ACK lesson true
 * (2MSL ≥ 2 × (RTO + 2 × latency), shared/game/timings.ts) is checked here first, with the
 * smallest 2MSL that would do, and again by the server, which logs what it accepts.
 */
import { useEffect, useState } from 'preact/hooks';
import { TIMING_LIMITS, minTimeWaitMs, type Timings } from '../../../shared/game/timings.ts';
import type { ClientMessage } from '../../../shared/protocol.ts';
import { useI18n } from '../i18n/index.tsx';
import { FormError } from './FormError.tsx';

interface Props {
  timings: Timings;
  /** A round is running or paused: the timers wait for its end. */
  locked: boolean;
  send: (msg: ClientMessage) => void;
}

const FIELDS = ['latencyMs', 'rtxMs', 'timeWaitMs'] as const;
type Field = (typeof FIELDS)[number];
/** Seconds as the form shows them (no trailing zeros). */
const seconds = (ms: number): string => String(Math.round(ms) / 1000);

export function TimerControls({ timings, locked, send }: Props) {
  const { t } = useI18n();
  const [values, setValues] = useState<Record<Field, string>>(() => ({
    latencyMs: seconds(timings.latencyMs), rtxMs: seconds(timings.rtxMs), timeWaitMs: seconds(timings.timeWaitMs),
  }));
  const [problem, setProblem] = useState<string | null>(null);
  const key = `${timings.latencyMs}/${timings.rtxMs}/${timings.timeWaitMs}`;
  // What the room has (after a save, or another screen's) replaces what was typed.
  useEffect(() => {
    setValues({ latencyMs: seconds(timings.latencyMs), rtxMs: seconds(timings.rtxMs), timeWaitMs: seconds(timings.timeWaitMs) });
    setProblem(null);
  }, [key]);

  const submit = (e: Event) => {
    e.preventDefault();
    if (locked) return;
    const ms = {} as Record<Field, number>;
    for (const f of FIELDS) {
      const n = Math.round(Number(values[f].replace(',', '.')) * 1000);
      const { min, max } = TIMING_LIMITS[f];
      if (values[f].trim() === '' || !Number.isFinite(n) || n < min || n > max) {
        setProblem(t('host.timers.range', { what: t(`host.timers.${f}`), min: seconds(min), max: seconds(max) }));
        return;
      }
      ms[f] = n;
    }
    const min = minTimeWaitMs(ms);
    if (ms.timeWaitMs < min) {
      setProblem(t('host.timers.rule', { min: seconds(min) }));
      return;
    }
    setProblem(null);
    send({ type: 'room/timings', ...ms });
  };

  return (
    <form class="timer-controls" onSubmit={submit} aria-labelledby="timers-title" noValidate>
      <h3 id="timers-title">{t('host.timers.title')}</h3>
      <div class="row">
        {FIELDS.map((f) => (
          <label class="field" key={f}>
            <span>{t(`host.timers.${f}`)}</span>
            <input type="text" inputMode="decimal" id={`host-timer-${f}`} value={values[f]} disabled={locked} size={6}
              aria-describedby="timers-rule"
              onInput={(e) => { const v = (e.currentTarget as HTMLInputElement).value; setValues((old) => ({ ...old, [f]: v })); }} />
          </label>
        ))}
      </div>
      <p class="hint" id="timers-rule">{t(locked ? 'host.timers.locked' : 'host.timers.hint', { min: seconds(minTimeWaitMs(timings)) })}</p>
      {problem && <FormError testId="timers-problem">{problem}</FormError>}
      <button type="submit" class="btn" aria-disabled={locked} data-testid="timers-save">{t('host.timers.save')}</button>
    </form>
  );
}
