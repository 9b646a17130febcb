/**
 * What just happened, newest first: each line has an icon and a word (Correct, Refused…)
 * besides its colour, and a refused move shows the rule it broke.
 */
import { useI18n } from '../i18n/index.tsx';
import { describe, type FeedbackItem, type Tone } from '../lib/feedback.ts';

const ICONS: Record<Tone, string> = { ok: '✓', wrong: '✗', info: '→', warn: '!' };

export function FeedbackPanel({ items, max = 6, headingId = 'feedback-title' }: { items: FeedbackItem[]; max?: number; headingId?: string }) {
  const { t, lang } = useI18n();
  const shown = items.slice(-max).reverse();
  return (
    <section class="panel feedback" aria-labelledby={headingId} data-count={items.length}>
      <h2 id={headingId}>{t('feedback.title')}</h2>
      {shown.length === 0 ? <p class="muted">{t('feedback.empty')}</p> : (
        <ol class="feedback-list" reversed>
          {shown.map((item, i) => {
            const v = describe(item, t, lang);
            return (
              <li key={item.id} class={`fb fb-${v.tone}${i === 0 ? ' fb-latest' : ''}`} data-tone={v.tone}>
                <span class="fb-icon" aria-hidden="true">{ICONS[v.tone]}</span>
                <div class="fb-body">
                  <p><strong class="fb-tag">{v.tag}{t('punct.colon')}</strong> {v.text}</p>
                  {v.explanation && <p class="fb-explanation">{v.explanation}</p>}
                  {v.code && <p class="fb-code"><code>{v.code}</code></p>}
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
