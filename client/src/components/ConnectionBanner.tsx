/**
 * The connection's state, said in words (and to screen readers) when it matters: lost and
 * reconnecting, back, or closed for good with the reason.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.tsx';
import { CLOSE_CODES } from '../net/socket.ts';
import type { SessionState } from '../net/session.ts';
import { useAnnounce } from './Announcer.tsx';

const CLOSED_REASON: Record<number, 'conn.closed.replaced' | 'conn.closed.removed' | 'conn.closed.roomClosed' | 'conn.closed.abuse' | 'conn.closed.timeout'> = {
  [CLOSE_CODES['join/timeout']]: 'conn.closed.timeout',
  [CLOSE_CODES['seat/replaced']]: 'conn.closed.replaced',
  [CLOSE_CODES['seat/removed']]: 'conn.closed.removed',
  [CLOSE_CODES['room/closed']]: 'conn.closed.roomClosed',
  [CLOSE_CODES['abuse/too-large']]: 'conn.closed.abuse',
  [CLOSE_CODES['abuse/flooding']]: 'conn.closed.abuse',
};

/** A drop shorter than this is not mentioned: the socket usually resumes before anyone notices. */
const GRACE_MS = 1500;

export function ConnectionBanner({ state }: { state: SessionState }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [shownLost, setShownLost] = useState(false);
  const [back, setBack] = useState(false);
  const told = useRef(false);

  useEffect(() => {
    if (state.lost) {
      setBack(false);
      if (told.current) return undefined;
      const timer = setTimeout(() => {
        told.current = true;
        setShownLost(true);
        announce(t('conn.lost'));
      }, GRACE_MS);
      return () => clearTimeout(timer);
    }
    setShownLost(false);
    if (told.current && state.status.kind === 'open' && state.welcomed) {
      told.current = false;
      setBack(true);
      announce(t('conn.back'));
      const timer = setTimeout(() => setBack(false), 6000);
      return () => clearTimeout(timer);
    }
    return undefined;
  }, [state.lost, state.status.kind, state.welcomed]);

  // Closed for good: say why, once.
  const closedKey = state.status.kind === 'closed' ? (CLOSED_REASON[state.status.code] ?? 'conn.closed.other') : null;
  useEffect(() => {
    if (closedKey) announce(t(closedKey));
  }, [closedKey]);

  if (closedKey) {
    const key = closedKey;
    return <div class="banner banner-bad" data-conn="closed"><span aria-hidden="true">✗ </span>{t(key)}</div>;
  }
  if (state.lost && shownLost) {
    const s = state.status;
    return (
      <div class="banner banner-bad" data-conn="lost">
        <span aria-hidden="true">⚠ </span>{t('conn.lost')}{' '}
        {s.kind === 'waiting' && <span class="muted-on-bad">{t('conn.retry', { seconds: Math.max(1, Math.round(s.retryInMs / 1000)) })}</span>}
      </div>
    );
  }
  if (back) return <div class="banner banner-ok" data-conn="back"><span aria-hidden="true">✓ </span>{t('conn.back')}</div>;
  if (!state.welcomed && state.status.kind !== 'open') return <div class="banner" data-conn="connecting">{t('conn.connecting')}</div>;
  return null;
}
