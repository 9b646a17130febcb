/** "bot" beside a seat the server plays: a word in a box, so it is not told by colour alone. */
import { useI18n } from '../i18n/index.tsx';

export function BotBadge() {
  const { t } = useI18n();
  return <span class="bot-badge" data-testid="bot-badge">{t('host.bot')}</span>;
}
