/**
 * The Hint button and the hint bought: "explain my next move" for a few points. The hint
 * explains the next correct move and why; it plays nothing. Absent when the round has hints off.
 */
import { useI18n } from '../i18n/index.tsx';
import { FormError } from './FormError.tsx';

interface Props {
  /** The round allows hints (always in practice; in class when the teacher allowed them). */
  allowed: boolean;
  /** The bought hint's sentences for the current state, or null. */
  hint: string[] | null;
  /** What a hint costs. */
  points: number;
  /** A hint can be bought now (the round runs, the game goes on, the connection is up). */
  canAsk: boolean;
  onAsk: () => void;
  /** Why the last hint/ask was refused, if it was. */
  error: string | null;
}

export function HintPanel({ allowed, hint, points, canAsk, onAsk, error }: Props) {
  const { t } = useI18n();
  if (!allowed) return <p class="hint hint-off muted">{t('play.hint.off')}</p>;
  return (
    <section class="hint-panel" aria-labelledby="hint-title">
      <h3 id="hint-title">{t('play.hint.title')}</h3>
      {hint ? (
        <div class="hint-text" data-testid="hint-text">
          {hint.map((line) => <p key={line}>{line}</p>)}
        </div>
      ) : (
        <>
          <p class="hint">{t('play.hint.about')}</p>
          <button type="button" class="btn" data-testid="hint-button" disabled={!canAsk} onClick={onAsk}>
            <span aria-hidden="true">? </span>{t('play.hint.button', { points })}
          </button>
        </>
      )}
      {error && <FormError>{error}</FormError>}
    </section>
  );
}
