/**
 * #/import — open a Wireshark capture (pcap or pcapng) and see each TCP connection in it
 * judged by the game's state machine, in the same replay view as a pair's round. The file
 * is read in the browser (shared/capture): nothing is uploaded.
 */
import { useMemo, useRef, useState } from 'preact/hooks';
import { MAX_CAPTURE_BYTES, readCapture, streamTrace, type Capture, type CaptureErrorCode, type IgnoredNote } from '../../../shared/capture/capture.ts';
import { streamReplay } from '../../../shared/capture/to-replay.ts';
import { FormError } from '../components/FormError.tsx';
import { ReplayView } from '../components/ReplayView.tsx';
import { useI18n, type Translate } from '../i18n/index.tsx';
import { usePageTitle } from '../lib/title.ts';

type Loaded =
  | { kind: 'none' }
  | { kind: 'error'; file: string; code: CaptureErrorCode | 'capture/unreadable'; message: string }
  | { kind: 'ok'; file: string; capture: Capture };

/** The words for one of the converter's notes, in the page's language. */
export function ignoredText(note: IgnoredNote, t: Translate): string {
  const what = note.what.startsWith('option/') ? 'option' : note.what;
  const known = ['keep-alive', 'window-update', 'duplicate-ack', 'keep-alive-ack', 'option', 'ecn', 'urgent'];
  if (!known.includes(what)) return note.message;
  return t(`import.ignored.${what}` as Parameters<Translate>[0], { count: note.count, name: note.what.slice('option/'.length) });
}

export function ImportPage() {
  const { t } = useI18n();
  usePageTitle(t('import.title'));
  const [loaded, setLoaded] = useState<Loaded>({ kind: 'none' });
  const [stream, setStream] = useState<number | null>(null);
  const [step, setStep] = useState(0);
  const [over, setOver] = useState(false);
  const replayHeading = useRef<HTMLHeadingElement>(null);

  const open = async (file: File) => {
    setStream(null);
    setStep(0);
    if (file.size > MAX_CAPTURE_BYTES) {
      setLoaded({ kind: 'error', file: file.name, code: 'capture/too-large', message: '' });
      return;
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch {
      setLoaded({ kind: 'error', file: file.name, code: 'capture/unreadable', message: '' });
      return;
    }
    const r = readCapture(bytes);
    setLoaded(r.ok ? { kind: 'ok', file: file.name, capture: r.capture } : { kind: 'error', file: file.name, code: r.code, message: r.message });
  };

  const opened = useMemo(() => {
    if (loaded.kind !== 'ok' || stream === null) return null;
    const st = streamTrace(loaded.capture, stream);
    if (!st.ok) return { kind: 'error' as const, error: st };
    const replay = streamReplay(st, t('import.streamTitle', { n: stream, file: loaded.file }));
    return { kind: 'ok' as const, replay: { ...replay, ignored: st.ignored.map((n) => ignoredText(n, t)) } };
  }, [loaded, stream, t]);

  const choose = (n: number) => {
    setStream(n);
    setStep(0);
    requestAnimationFrame(() => replayHeading.current?.focus());
  };

  const skipped = loaded.kind === 'ok' ? loaded.capture.skipped : null;
  const skippedTotal = skipped ? Object.values(skipped).reduce((a, b) => a + b, 0) : 0;

  return (
    <main id="main" class="page page-import" tabIndex={-1}>
      <h1>{t('import.title')}</h1>
      <p class="intro">{t('import.intro')}</p>
      <section class="panel import-file" aria-labelledby="import-file-title">
        <h2 id="import-file-title">{t('import.file.title')}</h2>
        <label
          class={over ? 'drop-zone drop-over' : 'drop-zone'}
          onDragOver={(e) => { e.preventDefault(); setOver(true); }}
          onDragLeave={() => setOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setOver(false);
            const f = e.dataTransfer?.files[0];
            if (f) void open(f);
          }}
        >
          <span>{t('import.file.choose')}</span>
          <input
            type="file" accept=".pcap,.pcapng,.cap,application/vnd.tcpdump.pcap" data-testid="capture-file"
            onChange={(e) => { const f = (e.currentTarget as HTMLInputElement).files?.[0]; if (f) void open(f); }}
          />
          <span class="hint">{t('import.file.hint', { mib: MAX_CAPTURE_BYTES / 1024 / 1024 })}</span>
        </label>
        {loaded.kind === 'error' && (
          <FormError testId="capture-error">
            {t('import.error', { file: loaded.file })} {t(`import.err.${loaded.code}` as Parameters<Translate>[0], { mib: MAX_CAPTURE_BYTES / 1024 / 1024 })}
            {loaded.message && <span class="hint"> ({loaded.message})</span>}
          </FormError>
        )}
      </section>

      {loaded.kind === 'ok' && (
        <section class="panel import-streams" aria-labelledby="import-streams-title">
          <h2 id="import-streams-title">{t('import.streams.title', { file: loaded.file })}</h2>
          <p role="status">
            {t('import.streams.summary', { streams: loaded.capture.streams.length, frames: loaded.capture.frames, format: loaded.capture.format })}
            {skippedTotal > 0 && ` ${t('import.streams.skipped', { count: skippedTotal })}`}
          </p>
          <ul class="stream-list">
            {loaded.capture.streams.map((s) => (
              <li key={s.stream} class={stream === s.stream ? 'stream-card current' : 'stream-card'}>
                <p class="stream-name"><strong>{t('import.streamN', { n: s.stream })}</strong>{stream === s.stream && <span class="muted"> · {t('import.shown')}</span>}</p>
                <dl>
                  <div><dt>{t('import.col.client')}</dt><dd class="mono">{s.client}</dd></div>
                  <div><dt>{t('import.col.server')}</dt><dd class="mono">{s.server}</dd></div>
                  <div><dt>{t('import.col.packets')}</dt><dd>{s.packets}</dd></div>
                  <div><dt>{t('import.col.start')}</dt><dd>{s.start === 'syn' ? t('import.start.syn') : t('import.start.mid')}</dd></div>
                </dl>
                <button type="button" class="btn" onClick={() => choose(s.stream)} aria-label={t('import.openStream', { n: s.stream })}>
                  {t('import.open')}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}

      {opened && (
        <section class="import-replay" aria-labelledby="import-replay-title">
          <h2 id="import-replay-title" ref={replayHeading} tabIndex={-1}>{t('import.streamTitle', { n: stream ?? 0, file: loaded.kind === 'ok' ? loaded.file : '' })}</h2>
          {opened.kind === 'error'
            ? <FormError testId="stream-error">{t(`import.err.${opened.error.code}` as Parameters<Translate>[0], { mib: 8 })} <span class="hint">({opened.error.message})</span></FormError>
            : <ReplayView replay={opened.replay} step={step} onStep={setStep} />}
        </section>
      )}
    </main>
  );
}
