/**
 * The host screen's leaderboards: ranked like the students' one (same look), with the
 * bots' lines marked. The students' table has no bots to mark beside their own row.
 */
import { useI18n } from '../i18n/index.tsx';
import { BotBadge } from './BotBadge.tsx';

export interface HostRank { id: string; rank: number; name: string; score: number; bot: boolean }

export function HostLeaderboard({ entries, headingId, title, max = 10 }: { entries: HostRank[]; headingId: string; title: string; max?: number }) {
  const { t } = useI18n();
  const top = entries.slice(0, max);
  return (
    <section class="panel leaderboard" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {top.length === 0 ? <p class="muted">{t('board.empty')}</p> : (
        <table>
          <thead><tr><th scope="col">{t('board.rank')}</th><th scope="col">{t('board.name')}</th><th scope="col" class="num">{t('board.score')}</th></tr></thead>
          <tbody>
            {top.map((e) => (
              <tr key={e.id}>
                <td>{e.rank}</td>
                <td>{e.name}{e.bot && <> <BotBadge /></>}</td>
                <td class="num">{e.score}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
