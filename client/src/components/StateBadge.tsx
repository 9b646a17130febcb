/** An endpoint's state as a badge, with the numbers that explain it. */
import type { Endpoint } from '../../../shared/tcp/types.ts';
import { useI18n } from '../i18n/index.tsx';

export function StateBadge({ state }: { state: string }) {
  const { t } = useI18n();
  return (
    <p class="state-badge" data-state={state}>
      <span class="state-badge-label">{t('endpoint.state')}</span> <strong class="state-badge-value">{state}</strong>
    </p>
  );
}

export function EndpointFacts({ endpoint }: { endpoint: Endpoint }) {
  const { t } = useI18n();
  const none = t('endpoint.none');
  return (
    <dl class="endpoint-facts">
      <div><dt>{t('endpoint.isn')}</dt><dd>{endpoint.iss ?? none}</dd></div>
      <div><dt>{t('endpoint.sndNxt')}</dt><dd>{endpoint.iss === null ? none : endpoint.sndNxt}</dd></div>
      <div><dt>{t('endpoint.rcvNxt')}</dt><dd>{endpoint.irs === null ? none : endpoint.rcvNxt}</dd></div>
      <div><dt>{t('endpoint.bytes')}</dt><dd>{endpoint.bytesReceived}</dd></div>
    </dl>
  );
}
