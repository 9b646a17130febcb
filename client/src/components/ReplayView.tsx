/**
 * One TCP connection replayed step by step: the flow graph up to the step, both ends'
 * states revealed (state, SND.UNA/SND.NXT/RCV.NXT, timers, bytes received), the wire, and
 * what the step did with its verdict explained. Takes a `Replay`, not a room: a pair's
 * round from the log and a capture's stream open in the same view. The step is the
 * caller's (the page keeps it in the address); First/Back/Forward/Last, the slider and the
 * arrow, Home and End keys ask for another, and the live region says each step.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { Replay, ReplayEndpoint } from '../../../shared/review/types.ts';
import type { Side } from '../../../shared/tcp/types.ts';
import { useI18n, type Translate } from '../i18n/index.tsx';
import { describeStep, replayLadder, signed, stepAnnouncement, stepForKey, whoIs, wireOfStep, type StepTone } from '../lib/review.ts';
import { LadderDiagram } from './LadderDiagram.tsx';
import { Wire } from './Wire.tsx';

interface Props {
  replay: Replay;
  /** The step shown: 0 is the starting position. */
  step: number;
  onStep: (step: number) => void;
}

const ICONS: Record<StepTone, string> = { start: '●', ok: '✓', wrong: '✗', info: '→', warn: '!', lost: '✕', timer: '◷' };

/** Keys typed into these keep their own meaning (a slider's arrows move the slider). */
const OWN_KEYS = 'input, select, textarea, [contenteditable=""], [contenteditable="true"]';

export function ReplayView({ replay, step, onStep }: Props) {
  const { t, lang } = useI18n();
  const steps = replay.steps;
  const total = steps.length - 1;
  const k = Math.max(0, Math.min(step, total));
  const s = steps[k]!;
  const prev = k > 0 ? steps[k - 1]! : null;
  const words = describeStep(replay, k, t, lang);

  // The step last asked for: presses faster than the page re-renders (a held arrow key)
  // each move on from the one before, not from the step still on screen.
  const asked = useRef(k);
  asked.current = k;
  const go = (n: number) => {
    if (n === asked.current || n < 0 || n > total) return;
    asked.current = n;
    onStep(n);
  };

  // Left/Right and Home/End step from anywhere on the page except where typing or a control owns the key.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || e.defaultPrevented) return;
      const target = e.target as Element | null;
      if (target?.closest?.(OWN_KEYS)) return;
      const next = stepForKey(e.key, asked.current, steps.length);
      if (next === null) return;
      e.preventDefault();
      go(next);
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [steps.length, onStep]);

  const time = new Intl.DateTimeFormat(lang, { timeStyle: 'medium' });
  const startAt = steps.find((x) => x.at !== undefined)?.at;

  return (
    <div class="replay" data-step={k} data-steps={total}>
      <div class="replay-controls" role="group" aria-label={t('review.replay.controls')}>
        <div class="replay-buttons">
          <button type="button" class="btn" aria-keyshortcuts="Home" aria-disabled={k === 0} onClick={() => go(0)}>
            <span aria-hidden="true">« </span>{t('review.replay.first')}
          </button>
          <button type="button" class="btn" aria-keyshortcuts="ArrowLeft" aria-disabled={k === 0} onClick={() => go(asked.current - 1)}>
            <span aria-hidden="true">◀ </span>{t('review.replay.back')}
          </button>
          <button type="button" class="btn btn-primary" aria-keyshortcuts="ArrowRight" aria-disabled={k === total} onClick={() => go(asked.current + 1)}>
            {t('review.replay.forward')}<span aria-hidden="true"> ▶</span>
          </button>
          <button type="button" class="btn" aria-keyshortcuts="End" aria-disabled={k === total} onClick={() => go(total)}>
            {t('review.replay.last')}<span aria-hidden="true"> »</span>
          </button>
        </div>
        <label class="field replay-slider">
          <span>{t('review.replay.slider', { n: k, total })}</span>
          <input type="range" min={0} max={total} step={1} value={k} aria-valuetext={t('review.replay.sliderValue', { n: k, total })}
            onInput={(e) => go(Number((e.currentTarget as HTMLInputElement).value))} />
        </label>
        <p class="hint">{t('review.replay.keys')}</p>
      </div>

      {/* Visible, and what a screen reader hears after each step. */}
      <p class="replay-caption" aria-live="polite" aria-atomic="true" data-testid="replay-caption">{stepAnnouncement(replay, k, t, lang)}</p>

      <div class="replay-grid">
        <section class={`panel replay-event tone-${words.tone}`} aria-labelledby="replay-event-title" data-tone={words.tone}>
          <h2 id="replay-event-title">{t('review.replay.event', { n: k })}</h2>
          <div class="fb">
            <span class="fb-icon" aria-hidden="true">{ICONS[words.tone]}</span>
            <div class="fb-body">
              <p><strong class="fb-tag">{words.tag}{t('punct.colon')}</strong> <span data-testid="replay-event-text">{words.text}</span></p>
              {words.explanation && <p class="fb-explanation" data-testid="replay-explanation">{words.explanation}</p>}
              {words.code && <p class="fb-code"><code>{words.code}</code></p>}
            </div>
          </div>
          <dl class="replay-facts">
            {s.nickname && s.event?.kind === 'send' && (
              <div><dt>{t('review.replay.mover')}</dt><dd>{s.nickname} ({t(s.event.segment.from === 'client' ? 'side.client.lower' : 'side.server.lower')})</dd></div>
            )}
            {s.points !== undefined && <div><dt>{t('review.replay.points')}</dt><dd data-testid="replay-points">{signed(s.points)}</dd></div>}
            {s.at !== undefined && (
              <div><dt>{t('review.replay.time')}</dt><dd>{time.format(s.at)}{startAt !== undefined && k > 0 ? ` (${t('review.replay.sinceStart', { s: ((s.at - startAt) / 1000).toFixed(1) })})` : ''}</dd></div>
            )}
            {s.packet && <div><dt>{t('review.replay.packet')}</dt><dd>{t('review.replay.packetValue', { n: s.packet.number, s: (s.packet.timeUs / 1e6).toFixed(6) })}</dd></div>}
            {s.relative && <div><dt>{t('review.replay.relative')}</dt><dd class="mono">seq={s.relative.seq} ack={s.relative.ack}</dd></div>}
            {s.logSeq !== undefined && <div><dt>{t('review.replay.logSeq')}</dt><dd>{s.logSeq}</dd></div>}
          </dl>
        </section>

        <div class="replay-ends">
          {(['client', 'server'] as const).map((side) => (
            <EndpointPanel key={side} side={side} name={whoIs(replay, side, t)} now={s.endpoints[side]} before={prev?.endpoints[side] ?? null} t={t} />
          ))}
        </div>

        <div class="replay-wire"><Wire wire={wireOfStep(s)} /></div>

        <div class="replay-ladder">
          <LadderDiagram entries={replayLadder(steps, k)} timeLabel={(at) => `#${at}`} emptyText={t('review.replay.ladderEmpty')} current={k} />
        </div>

        {replay.ignored && replay.ignored.length > 0 && (
          <section class="panel replay-ignored" aria-labelledby="replay-ignored-title">
            <h2 id="replay-ignored-title">{t('review.replay.ignoredTitle')}</h2>
            <ul>{replay.ignored.map((note, i) => <li key={i}>{note}</li>)}</ul>
          </section>
        )}
      </div>
    </div>
  );
}

type Field = { key: string; label: string; value: string; wide?: boolean };

function fieldsOf(e: ReplayEndpoint, t: Translate): Field[] {
  const none = t('endpoint.none');
  // CLOSED and LISTEN hold no connection (no TCB of their own yet, or no more): their send
  // numbers mean nothing, and the replay writes an unset ISS as 0.
  const sending = e.state !== 'CLOSED' && e.state !== 'LISTEN';
  const synced = sending && e.irs !== null;
  return [
    { key: 'iss', label: t('review.end.iss'), value: sending && e.iss !== null ? String(e.iss) : none },
    { key: 'irs', label: t('review.end.irs'), value: synced ? String(e.irs) : none },
    { key: 'sndUna', label: 'SND.UNA', value: sending ? String(e.sndUna) : none },
    { key: 'sndNxt', label: 'SND.NXT', value: sending ? String(e.sndNxt) : none },
    { key: 'rcvNxt', label: 'RCV.NXT', value: synced ? String(e.rcvNxt) : none },
    { key: 'bytes', label: t('endpoint.bytes'), value: String(e.bytesReceived) },
    { key: 'timers', label: t('review.end.timers'), value: timersText(e, t), wide: true },
  ];
}

function timersText(e: ReplayEndpoint, t: Translate): string {
  const on: string[] = [];
  if (e.rtx) on.push(t('review.end.rtx'));
  if (e.timeWait) on.push(t('review.end.timeWait'));
  return on.length ? on.join(', ') : t('review.end.noTimer');
}

function EndpointPanel({ side, name, now, before, t }: { side: Side; name: string; now: ReplayEndpoint; before: ReplayEndpoint | null; t: Translate }) {
  const id = `replay-end-${side}`;
  const fields = fieldsOf(now, t);
  const old = before ? new Map(fieldsOf(before, t).map((f) => [f.key, f.value])) : null;
  const stateChanged = !!before && before.state !== now.state;
  return (
    <section class={`panel replay-end replay-end-${side}`} aria-labelledby={id} data-side={side}>
      <h2 id={id}>
        <span class="role-badge" data-role={side}>{t(side === 'client' ? 'side.client' : 'side.server')}</span> {name}
      </h2>
      <p class="state-badge" data-state={now.state}>
        <span class="state-badge-label">{t('endpoint.state')}</span>{' '}
        <strong class="state-badge-value" data-testid={`replay-state-${side}`}>{now.state}</strong>
        {stateChanged && <span class="changed-tag">{t('review.end.was', { state: before!.state })}</span>}
      </p>
      <dl class="endpoint-facts replay-end-facts">
        {fields.map((f) => {
          const changed = old !== null && old.get(f.key) !== f.value;
          return (
            <div key={f.key} class={[changed ? 'changed' : '', f.wide ? 'wide' : ''].join(' ').trim() || undefined}>
              <dt>{f.label}</dt>
              <dd>{f.value}{changed && <span class="changed-tag"><span aria-hidden="true">▲ </span>{t('review.end.changed')}</span>}</dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}
