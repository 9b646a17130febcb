/** A ranked table of scores; the reader's own row is marked in words as well as style, and so are bots. */
import { useI18n } from '../i18n/index.tsx';
import { BotBadge } from './BotBadge.tsx';

/** `bot`: a seat the server plays (bot/add). `id`: a key when nicknames may repeat (the host's pair lines). */
export interface Rank { rank: number; nickname: string; score: number; bot?: boolean; id?: string }

export function Leaderboard({ entries, me, headingId, title, note, max = 10 }: { entries: Rank[]; me?: string; headingId: string; title: string; note?: string; max?: number }) {
  const { t } = useI18n();
  const top = entries.slice(0, max);
  const mine = me ? entries.find((e) => e.nickname === me) : undefined;
  if (mine && !top.includes(mine)) top.push(mine);
  return (
    <section class="panel leaderboard" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      {note && <p class="hint">{note}</p>}
      {top.length === 0 ? <p class="muted">{t('board.empty')}</p> : (
        <table>
          <thead><tr><th scope="col">{t('board.rank')}</th><th scope="col">{t('board.name')}</th><th scope="col" class="num">{t('board.score')}</th></tr></thead>
          <tbody>
            {top.map((e) => {
              const isMe = e.nickname === me;
              return (
                <tr key={e.id ?? e.nickname} class={isMe ? 'me' : undefined}>
                  <td>{e.rank}</td>
                  <td>
                    {e.nickname}{isMe && <strong> ({t('board.you')})</strong>}
                    {e.bot && <> <BotBadge /></>}
                  </td>
                  <td class="num">{e.score}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
