/**
 * The hand: build a segment from flag cards (toggle buttons), a payload length, and seq
 * and ack (filled in at level 1 by `autoFill`, what a correct endpoint would send; typed
 * at levels 2–3), then send it. At level 1 the oracle's moves are offered as suggestions that
 * fill the hand in one click. Keys: S A F R P toggle the flags, D toggles data, 1–9 pick a
 * suggestion, Enter sends, Esc clears — inside the form, or anywhere on the page when
 * `shortcuts` is 'global'. The hand's state is the pure reducer of lib/hand.ts.
 */
import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import type { Segment, Side } from '../../../shared/tcp/types.ts';
import { useI18n } from '../i18n/index.tsx';
import { CARD_FLAGS, emptyHand, handReducer, handSegment, type AutoFill, type Card } from '../lib/hand.ts';
import { segmentLabel } from '../lib/segment.ts';

const KEY_FLAGS: Record<string, (typeof CARD_FLAGS)[number]> = { s: 'SYN', a: 'ACK', f: 'FIN', r: 'RST', p: 'PSH' };

/** A move the hand offers to fill in with one click: the oracle's, at level 1. */
export interface Suggestion { card: Card; why: string }

interface Props {
  side: Side;
  /** Level 1: the numbers (and a data move's length) for these flags. Null at levels 2–3, where the player types them. */
  autoFill: AutoFill;
  /** The ISN this side uses for its SYN, shown at levels 2–3. */
  isn: number;
  /** True once this side sent its SYN: `isn` is then the ISS the player chose, not a suggestion. */
  isnChosen?: boolean;
  /**
   * Send the segment; resolves to true when the hand is to be cleared (the play page: the
   * move was judged, accepted or refused; the sandbox: it was accepted, a refusal is kept to fix).
   */
  onSend: (segment: Segment) => boolean | Promise<boolean>;
  heading: string;
  idPrefix: string;
  shortcuts?: 'form' | 'global';
  disabled?: boolean;
  /** Level 1: the correct next moves, each a button that puts its flags and numbers in the hand. Keys 1–9 pick them too. */
  suggestions?: readonly Suggestion[];
  /** A change of this value empties the hand (a new round, a restarted game). */
  resetKey?: string | number;
  /**
   * The last move's verdict, shown right under Send so it is in view where Send was pressed
   * (`n` changes with each verdict). Not a live region: the page's announcer already says it.
   */
  verdict?: { n: number; kind: 'accepted' | 'refused' | 'error'; text: string } | null;
}

export function CardComposer({ side, autoFill, isn, isnChosen = false, onSend, heading, idPrefix, shortcuts = 'form', disabled = false, suggestions = [], resetKey, verdict = null }: Props) {
  const { t } = useI18n();
  const [hand, dispatch] = useReducer(handReducer, emptyHand);
  const formRef = useRef<HTMLFormElement>(null);

  const [busy, setBusy] = useState(false);
  const auto = autoFill !== null;
  const out = handSegment(hand, side, autoFill, suggestions.map((s) => s.card));
  const { segment } = out;
  const seqError = !auto && hand.touched && out.seq === null;
  const ackError = !auto && hand.touched && hand.flags.includes('ACK') && out.ack === null;
  const lenError = out.len === null;

  // A new round or game: nothing of the last one stays in the hand.
  const firstKey = useRef(resetKey);
  useEffect(() => {
    if (firstKey.current === resetKey) return;
    firstKey.current = resetKey;
    dispatch({ type: 'clear' });
  }, [resetKey]);

  // A new verdict is brought into view if it is not (it sits right under Send: rarely needed).
  const verdictRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (verdict) verdictRef.current?.scrollIntoView({ block: 'nearest' });
  }, [verdict?.n]);

  const toggle = (f: (typeof CARD_FLAGS)[number]) => dispatch({ type: 'toggle', flag: f });
  const toggleData = () => dispatch({ type: 'data', current: out.len });
  const clear = () => dispatch({ type: 'clear' });
  /** Put suggestion `n` in the hand; false when there is none to pick. */
  const pick = (n: number): boolean => {
    const s = suggestions[n];
    if (!s || disabled) return false;
    dispatch({ type: 'pick', card: s.card });
    return true;
  };
  const submit = async () => {
    dispatch({ type: 'touch' });
    if (disabled || busy || !segment) return;
    setBusy(true);
    try {
      if (await onSend(segment)) clear();
    } finally {
      setBusy(false);
    }
  };

  // The latest handlers, for the key listener that is attached once.
  const handlers = useRef({ toggle, toggleData, clear, submit, pick });
  handlers.current = { toggle, toggleData, clear, submit, pick };

  useEffect(() => {
    const form = formRef.current;
    if (!form) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      const target = e.target as HTMLElement | null;
      const inForm = !!target && form.contains(target);
      const onPage = !target || target === document.body;
      if (!inForm && !(shortcuts === 'global' && onPage)) return;
      const typing = !!target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT');
      const h = handlers.current;
      if (e.key === 'Enter') {
        // Inputs and the Send button submit the form themselves; on a flag card Enter sends
        // too (Space toggles it), and so it does on the bare page in global mode.
        if (target?.classList.contains('card') || (!inForm && onPage)) {
          e.preventDefault();
          h.submit();
        }
        return;
      }
      if (e.key === 'Escape') { e.preventDefault(); h.clear(); return; }
      if (typing) return;
      const key = e.key.toLowerCase();
      const flag = KEY_FLAGS[key];
      if (flag) { e.preventDefault(); h.toggle(flag); } else if (key === 'd') { e.preventDefault(); h.toggleData(); } else if (/^[1-9]$/.test(key) && h.pick(Number(key) - 1)) {
        e.preventDefault();
      }
    };
    const where: HTMLElement | Document = shortcuts === 'global' ? document : form;
    where.addEventListener('keydown', onKey as EventListener);
    return () => where.removeEventListener('keydown', onKey as EventListener);
  }, [shortcuts]);

  const id = (s: string) => `${idPrefix}-${s}`;
  return (
    <form
      ref={formRef}
      class="panel composer"
      aria-labelledby={id('title')}
      aria-describedby={id('keys')}
      onSubmit={(e) => { e.preventDefault(); submit(); }}
      data-side={side}
    >
      <h3 id={id('title')}>{heading}</h3>
      {suggestions.length > 0 && (
        <div class="suggestions" role="group" aria-labelledby={id('suggest-title')}>
          <p class="suggestions-title" id={id('suggest-title')}>{t('play.suggest.title')}</p>
          <ul>
            {suggestions.map((sug, i) => {
              const card = sug.card;
              const on = out.pickedHolds && hand.picked?.seq === card.seq && hand.picked.ack === card.ack && hand.picked.len === card.len;
              return (
                <li key={`${i}-${card.flags.join('+')}-${card.seq}`}>
                  <button
                    type="button"
                    class={`suggestion${on ? ' suggestion-on' : ''}`}
                    data-testid="hand-suggestion"
                    aria-pressed={on}
                    aria-keyshortcuts={i < 9 ? String(i + 1) : undefined}
                    disabled={disabled}
                    onClick={() => pick(i)}
                  >
                    {i < 9 && <span class="suggestion-key" aria-hidden="true">{i + 1}</span>}
                    <span class="suggestion-body">
                      <span class="suggestion-segment">{segmentLabel({ from: side, ...card, flags: [...card.flags] })}</span>
                      <span class="suggestion-why">{sug.why}</span>
                    </span>
                    <span class="suggestion-check" aria-hidden="true">{on ? '✓' : ''}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      )}
      <fieldset class="flags" disabled={disabled}>
        <legend>{t('composer.flags')}</legend>
        {CARD_FLAGS.map((f) => {
          const on = hand.flags.includes(f);
          return (
            <button
              key={f}
              type="button"
              class={`card${on ? ' card-on' : ''}`}
              aria-pressed={on}
              aria-keyshortcuts={f[0]}
              onClick={() => toggle(f)}
            >
              <span class="card-check" aria-hidden="true">{on ? '✓' : ''}</span>
              {f}
            </button>
          );
        })}
      </fieldset>
      <div class="composer-fields">
        <label class="field">
          <span>{t('composer.len')}</span>
          <input
            id={id('len')}
            type="text"
            inputMode="numeric"
            autocomplete="off"
            value={out.lenText}
            aria-keyshortcuts="D"
            aria-invalid={lenError}
            aria-describedby={lenError ? id('len-error') : undefined}
            disabled={disabled}
            onInput={(e) => dispatch({ type: 'len', value: (e.currentTarget as HTMLInputElement).value })}
          />
        </label>
        {auto ? (
          <>
            <p class="field auto-number"><span>{t('composer.seq')}</span> <output id={id('seq')}>{out.seq ?? '—'}</output></p>
            <p class="field auto-number"><span>{t('composer.ack')}</span> <output id={id('ack')}>{hand.flags.includes('ACK') ? out.ack ?? '—' : '—'}</output></p>
          </>
        ) : (
          <>
            <label class="field">
              <span>{t('composer.seq')}</span>
              <input
                id={id('seq')} type="text" inputMode="numeric" autocomplete="off" value={hand.seq} disabled={disabled}
                aria-invalid={seqError} aria-describedby={seqError ? id('num-error') : undefined}
                onInput={(e) => dispatch({ type: 'seq', value: (e.currentTarget as HTMLInputElement).value })}
              />
            </label>
            <label class="field">
              <span>{t('composer.ack')}</span>
              <input
                id={id('ack')} type="text" inputMode="numeric" autocomplete="off" value={hand.ack}
                disabled={disabled || !hand.flags.includes('ACK')}
                aria-invalid={ackError} aria-describedby={ackError ? id('num-error') : undefined}
                onInput={(e) => dispatch({ type: 'ack', value: (e.currentTarget as HTMLInputElement).value })}
              />
            </label>
          </>
        )}
      </div>
      {lenError && <p class="field-error" id={id('len-error')}><span aria-hidden="true">✗ </span>{t('composer.lenError')}</p>}
      {(seqError || ackError) && <p class="field-error" id={id('num-error')}><span aria-hidden="true">✗ </span>{t('composer.numberError')}</p>}
      <p class="hint hint-isn">{auto ? t('composer.auto') : t(isnChosen ? 'play.isn.chosenHand' : 'play.isn.suggestedHand', { isn })}</p>
      {hand.flags.length === 0 && out.len === 0
        ? <p class="hint hint-pick">{t('composer.pick')}</p>
        : <p class="preview">{t('composer.preview', { segment: segment ? segmentLabel(segment) : '…' })}</p>}
      <div class="composer-actions">
        <button type="submit" class="btn btn-primary" aria-keyshortcuts="Enter" disabled={disabled} aria-busy={busy} aria-describedby={verdict ? id('verdict') : undefined}>{t('composer.send')}</button>
        <button type="button" class="btn btn-quiet" aria-keyshortcuts="Escape" onClick={clear} disabled={disabled}>{t('composer.clear')}</button>
      </div>
      {verdict && (
        <p ref={verdictRef} id={id('verdict')} class={`composer-verdict verdict-${verdict.kind}`} data-testid="move-verdict" data-verdict={verdict.kind}>
          <span aria-hidden="true">{verdict.kind === 'accepted' ? '✓ ' : '✗ '}</span>{verdict.text}
        </p>
      )}
      <p class="keys" id={id('keys')}>{t('composer.keys')}{suggestions.length === 1 && <> · {t('play.suggest.key')}</>}
        {suggestions.length > 1 && <> · {t('play.suggest.keys', { n: Math.min(9, suggestions.length) })}</>}</p>
    </form>
  );
}
