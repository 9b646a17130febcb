/**
 * A bought hint in words: the segment to send (flags, seq, ack, len), the state it leads to and
 * why, or what to wait for. One sentence each, in the page's language. Pure.
 */
import type { Hint } from '../../../shared/game/views.ts';
import type { Side, TcpState } from '../../../shared/tcp/types.ts';
import type { Translate } from '../i18n/index.tsx';
import { segmentLabel } from './segment.ts';

/** The sentences of a hint for `side`, now in `state`. */
export function hintSentences(hint: Hint, side: Side, state: TcpState, t: Translate): string[] {
  if (hint.kind === 'wait') return [t(`play.hint.wait.${hint.for}`)];
  const segment = segmentLabel({ from: side, ...hint.segment });
  return [
    t(hint.to === state ? 'play.hint.sendStay' : 'play.hint.send', { segment, state: hint.to }),
    t(`play.hint.why.${hint.why}`, { segment }),
  ];
}
