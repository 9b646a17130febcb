/** An endpoint's state as a badge, with the numbers that explain it. */
import { useI18n } from '../i18n/index.tsx';

/** The sequence variables, when the player may see them (level 1, the sandbox). */
interface Numbers { iss: number | null; irs: number | null; sndNxt: number; rcvNxt: number }

export function StateBadge({ state }: { state: string }) {
  const { t } = useI18n();
  return (
    <p class="state-badge" data-state={state}>
      <span class="state-badge-label">{t('endpoint.state')}</span> <strong class="state-badge-value">{state}</strong>
    </p>
  );
}

/**
 * ISN, SND.NXT, RCV.NXT and the bytes received. `numbers` null hides SND.NXT and RCV.NXT
 * (levels 2–3, where the student works them out); the bytes received are always last. The
 * player chooses their ISN: before their SYN it is the suggested one, after it the ISS they chose.
 */
export function EndpointFacts({ isn, isnChosen, numbers, bytesReceived }: { isn: number | null; isnChosen: boolean; numbers: Numbers | null; bytesReceived: number }) {
  const { t } = useI18n();
  const none = t('endpoint.none');
  return (
    <dl class="endpoint-facts">
      <div data-isn={isnChosen ? 'chosen' : 'suggested'}><dt>{t(isnChosen ? 'endpoint.isnChosen' : 'endpoint.isnSuggested')}</dt><dd>{isn ?? none}</dd></div>
      {numbers && <div><dt>{t('endpoint.sndNxt')}</dt><dd>{numbers.iss === null ? none : numbers.sndNxt}</dd></div>}
      {numbers && <div><dt>{t('endpoint.rcvNxt')}</dt><dd>{numbers.irs === null ? none : numbers.rcvNxt}</dd></div>}
      <div><dt>{t('endpoint.bytes')}</dt><dd>{bytesReceived}</dd></div>
    </dl>
  );
}
