/**
 * Said when a pair's game can no longer reach its goal (nothing in flight, no timer, no
 * correct move left): what went wrong, in plain words, and how to go on — in a practice room a
 * button that restarts the pair's game, in a class that the teacher can.
 */
import type { StuckReason } from '../../../shared/game/views.ts';
import { useI18n } from '../i18n/index.tsx';
import { FormError } from './FormError.tsx';

interface Props {
  reason: StuckReason;
  /** A round is running or paused: the game can be restarted (after it, the next round starts afresh). */
  active: boolean;
  /** Restart the pair's game (practice rooms), or null: only the teacher can. */
  onRestart: (() => void) | null;
  /** Why the last restart was refused, if it was. */
  error: string | null;
}

export function StuckBanner({ reason, active, onRestart, error }: Props) {
  const { t } = useI18n();
  return (
    <div class="banner banner-bad stuck-banner" data-testid="stuck-banner" data-reason={reason} role="group" aria-labelledby="stuck-title">
      <p id="stuck-title" class="stuck-title"><span aria-hidden="true">! </span>{t('play.stuck.title')}</p>
      <p>{t(`play.stuck.${reason}`)}</p>
      {active && (onRestart ? (
        <p class="stuck-action">
          {t('play.stuck.practice')}{' '}
          <button type="button" class="btn btn-primary" data-testid="restart-game" onClick={onRestart}>{t('play.restart')}</button>
        </p>
      ) : <p class="stuck-action">{t('play.stuck.class')}</p>)}
      {error && <FormError>{error}</FormError>}
    </div>
  );
}
