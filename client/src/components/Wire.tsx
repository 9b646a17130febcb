/**
 * The wire between the two ends: one lane per direction, each segment in flight a card
 * that slides in from its sender (a CSS animation that prefers-reduced-motion turns off).
 * Only the oldest segment of a lane can arrive next, so the lane's Deliver and Lose
 * buttons (when the page offers them) act on it.
 */
import type { InFlight, Side } from '../../../shared/tcp/types.ts';
import { useI18n } from '../i18n/index.tsx';
import { flagsLabel, numbersLabel, segmentLabel } from '../lib/segment.ts';

interface Props {
  wire: Record<Side, InFlight[]>;
  onDeliver?: (from: Side) => void;
  onDrop?: (from: Side) => void;
}

export function Wire({ wire, onDeliver, onDrop }: Props) {
  const { t } = useI18n();
  return (
    <section class="panel wire" aria-labelledby="wire-title">
      <h2 id="wire-title">{t('wire.title')}</h2>
      <div class="wire-ends" aria-hidden="true">
        <span>{t('side.client')}</span>
        <span>{t('side.server')}</span>
      </div>
      {(['client', 'server'] as const).map((from) => {
        const lane = wire[from];
        const laneId = `wire-lane-${from}`;
        return (
          <div key={from} class={`wire-lane wire-from-${from}`} role="group" aria-labelledby={laneId}>
            <p class="wire-lane-title" id={laneId}>
              {t(from === 'client' ? 'wire.toServer' : 'wire.toClient')}
              <span class="muted"> · {lane.length ? t('wire.inFlight', { count: lane.length }) : t('wire.empty')}</span>
            </p>
            <ol class="wire-track">
              {lane.map((f, i) => (
                <li key={f.id} class={`wire-seg${i === 0 ? ' wire-head' : ''}`} data-segment-id={f.id} data-label={segmentLabel(f.segment)}>
                  <span class="wire-flags">
                    {from === 'server' && <span aria-hidden="true">← </span>}
                    {flagsLabel(f.segment)}
                    {from === 'client' && <span aria-hidden="true"> →</span>}
                  </span>
                  <span class="wire-nums">{numbersLabel(f.segment)}</span>
                </li>
              ))}
            </ol>
            {(onDeliver || onDrop) && lane.length > 0 && (
              <div class="wire-actions">
                {onDeliver && <button type="button" class="btn" onClick={() => onDeliver(from)}>{t('wire.deliver')} <span aria-hidden="true">{from === 'client' ? '→' : '←'}</span></button>}
                {onDrop && <button type="button" class="btn btn-quiet" onClick={() => onDrop(from)}><span aria-hidden="true">✕</span> {t('wire.drop')}</button>}
              </div>
            )}
          </div>
        );
      })}
    </section>
  );
}
