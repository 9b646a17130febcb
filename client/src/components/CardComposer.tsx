/**
 * The hand: build a segment from flag cards (toggle buttons), a payload length, and seq
 * and ack (filled in at level 1 by `autoFill`, what a correct endpoint would send; typed
 * at levels 2–3), then send it. Keys: S A F R P toggle the flags, D toggles data, Enter sends, Esc
 * clears — inside the form, or anywhere on the page when `shortcuts` is 'global'.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Flag, Segment, Side } from '../../../shared/tcp/types.ts';
import { useI18n } from '../i18n/index.tsx';
import { segmentLabel } from '../lib/segment.ts';

const CARD_FLAGS: readonly Flag[] = ['SYN', 'ACK', 'FIN', 'RST', 'PSH'];
const KEY_FLAGS: Record<string, Flag> = { s: 'SYN', a: 'ACK', f: 'FIN', r: 'RST', p: 'PSH' };
/** The payload D puts in: small enough to read, large enough to see seq move. */
const DEFAULT_DATA = 100;
/** One Ethernet MSS: plenty for a card game. */
const MAX_DATA = 1460;

interface Props {
  side: Side;
  /** Level 1: the numbers for these flags. Null at levels 2–3, where the player types them. */
  autoFill: ((flags: readonly Flag[]) => { seq: number; ack: number } | null) | null;
  /** The ISN this side uses for its SYN, shown at levels 2–3. */
  isn: number;
  /** Resolves to true when the move was accepted; the hand is then cleared. */
  onSend: (segment: Segment) => boolean | Promise<boolean>;
  heading: string;
  idPrefix: string;
  shortcuts?: 'form' | 'global';
  disabled?: boolean;
}

const parseU32 = (s: string): number | null => (/^\d{1,10}$/.test(s.trim()) && Number(s) <= 0xffffffff ? Number(s) : null);
const parseLen = (s: string): number | null => (s.trim() === '' ? 0 : /^\d{1,4}$/.test(s.trim()) && Number(s) <= MAX_DATA ? Number(s) : null);

export function CardComposer({ side, autoFill, isn, onSend, heading, idPrefix, shortcuts = 'form', disabled = false }: Props) {
  const { t } = useI18n();
  const [flags, setFlags] = useState<Flag[]>([]);
  const [len, setLen] = useState('0');
  const [seq, setSeq] = useState('');
  const [ack, setAck] = useState('');
  const [touched, setTouched] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const [busy, setBusy] = useState(false);
  const auto = autoFill !== null;
  const lenValue = parseLen(len);
  const filled = autoFill ? autoFill(flags) : null;
  const numbers = autoFill
    ? { seq: filled ? filled.seq : null, ack: filled ? filled.ack : null }
    : { seq: parseU32(seq), ack: flags.includes('ACK') ? parseU32(ack) : 0 };
  const seqError = !auto && touched && numbers.seq === null;
  const ackError = !auto && touched && flags.includes('ACK') && numbers.ack === null;
  const lenError = lenValue === null;
  const segment: Segment | null = numbers.seq !== null && numbers.ack !== null && lenValue !== null
    ? { from: side, flags: CARD_FLAGS.filter((f) => flags.includes(f)), seq: numbers.seq, ack: numbers.ack, len: lenValue }
    : null;

  const toggle = (f: Flag) => setFlags((cur) => (cur.includes(f) ? cur.filter((x) => x !== f) : [...cur, f]));
  const toggleData = () => setLen((cur) => (parseLen(cur) ? '0' : String(DEFAULT_DATA)));
  const clear = () => { setFlags([]); setLen('0'); setSeq(''); setAck(''); setTouched(false); };
  const submit = async () => {
    setTouched(true);
    if (disabled || busy || !segment) return;
    setBusy(true);
    try {
      if (await onSend(segment)) clear();
    } finally {
      setBusy(false);
    }
  };

  // The latest handlers, for the key listener that is attached once.
  const handlers = useRef({ toggle, toggleData, clear, submit });
  handlers.current = { toggle, toggleData, clear, submit };

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
      if (flag) { e.preventDefault(); h.toggle(flag); } else if (key === 'd') { e.preventDefault(); h.toggleData(); }
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
      <fieldset class="flags" disabled={disabled}>
        <legend>{t('composer.flags')}</legend>
        {CARD_FLAGS.map((f) => {
          const on = flags.includes(f);
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
            value={len}
            aria-keyshortcuts="D"
            aria-invalid={lenError}
            aria-describedby={lenError ? id('len-error') : undefined}
            disabled={disabled}
            onInput={(e) => setLen((e.currentTarget as HTMLInputElement).value)}
          />
        </label>
        {auto ? (
          <>
            <p class="field auto-number"><span>{t('composer.seq')}</span> <output id={id('seq')}>{numbers.seq ?? '—'}</output></p>
            <p class="field auto-number"><span>{t('composer.ack')}</span> <output id={id('ack')}>{flags.includes('ACK') ? numbers.ack ?? '—' : '—'}</output></p>
          </>
        ) : (
          <>
            <label class="field">
              <span>{t('composer.seq')}</span>
              <input
                id={id('seq')} type="text" inputMode="numeric" autocomplete="off" value={seq} disabled={disabled}
                aria-invalid={seqError} aria-describedby={seqError ? id('num-error') : undefined}
                onInput={(e) => setSeq((e.currentTarget as HTMLInputElement).value)}
              />
            </label>
            <label class="field">
              <span>{t('composer.ack')}</span>
              <input
                id={id('ack')} type="text" inputMode="numeric" autocomplete="off" value={ack}
                disabled={disabled || !flags.includes('ACK')}
                aria-invalid={ackError} aria-describedby={ackError ? id('num-error') : undefined}
                onInput={(e) => setAck((e.currentTarget as HTMLInputElement).value)}
              />
            </label>
          </>
        )}
      </div>
      {lenError && <p class="field-error" id={id('len-error')}><span aria-hidden="true">✗ </span>{t('composer.lenError')}</p>}
      {(seqError || ackError) && <p class="field-error" id={id('num-error')}><span aria-hidden="true">✗ </span>{t('composer.numberError')}</p>}
      <p class="hint hint-isn">{auto ? t('composer.auto') : t('composer.isn', { isn })}</p>
      {flags.length === 0 && lenValue === 0
        ? <p class="hint hint-pick">{t('composer.pick')}</p>
        : <p class="preview">{t('composer.preview', { segment: segment ? segmentLabel(segment) : '…' })}</p>}
      <div class="composer-actions">
        <button type="submit" class="btn btn-primary" aria-keyshortcuts="Enter" disabled={disabled} aria-busy={busy}>{t('composer.send')}</button>
        <button type="button" class="btn btn-quiet" aria-keyshortcuts="Escape" onClick={clear} disabled={disabled}>{t('composer.clear')}</button>
      </div>
      <p class="keys" id={id('keys')}>{t('composer.keys')}</p>
    </form>
  );
}
