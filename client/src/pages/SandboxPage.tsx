/**
 * #/sandbox: one person plays both ends against shared/tcp in the browser, no server.
 * Each side has its hand and state diagram; in between, the wire (deliver or lose what is
 * in flight), the feedback and the growing flow graph.
 */
import { useEffect, useReducer, useRef } from 'preact/hooks';
import { autoNumbers } from '../../../shared/tcp/machine.ts';
import type { Segment, Side } from '../../../shared/tcp/types.ts';
import { useAnnounce } from '../components/Announcer.tsx';
import type { Level } from '../../../shared/game/model.ts';
import { CardComposer } from '../components/CardComposer.tsx';
import { FeedbackPanel } from '../components/FeedbackPanel.tsx';
import { LadderDiagram } from '../components/LadderDiagram.tsx';
import { EndpointFacts, StateBadge } from '../components/StateBadge.tsx';
import { StateDiagram } from '../components/StateDiagram.tsx';
import { Wire } from '../components/Wire.tsx';
import { useI18n } from '../i18n/index.tsx';
import { describe } from '../lib/feedback.ts';
import { usePageTitle } from '../lib/title.ts';
import { initialSandbox, sandboxMoves, sandboxReducer } from '../sandbox/sandbox-model.ts';

/** Level 1 uses fixed, easy numbers; level 2 small random ones; level 3 any 32-bit value. */
function chooseIsns(level: Level): Record<Side, number> {
  if (level === 1) return { client: 100, server: 300 };
  const r = new Uint32Array(2);
  crypto.getRandomValues(r);
  if (level === 2) return { client: 1 + (r[0]! % 999), server: 1 + (r[1]! % 999) };
  return { client: r[0]!, server: r[1]! };
}

const LEVELS: readonly Level[] = [1, 2, 3];

export function SandboxPage() {
  const { t, lang } = useI18n();
  const announce = useAnnounce();
  usePageTitle(t('sandbox.title'));
  const [s, dispatch] = useReducer(sandboxReducer, undefined, () => initialSandbox(1, chooseIsns(1)));

  // Speak each new event once, in the language of the moment.
  const spoken = useRef(0);
  useEffect(() => {
    const last = s.feedback[s.feedback.length - 1];
    if (last && last.id !== spoken.current) {
      spoken.current = last.id;
      announce(describe(last, t, lang).announcement);
    }
  }, [s.feedback, t, lang, announce]);

  const send = (segment: Segment): boolean => {
    const before = s.conn;
    const next = sandboxReducer(s, { type: 'send', segment });
    dispatch({ type: 'send', segment });
    return next.conn !== before;
  };
  const reset = (level: Level) => {
    spoken.current = 0;
    dispatch({ type: 'reset', level, isn: chooseIsns(level) });
    announce(t('announce.reset'));
  };

  const side = (which: Side) => {
    const ep = s.conn[which];
    const name = t(which === 'client' ? 'side.client' : 'side.server');
    return (
      <section class={`panel side side-${which}`} aria-labelledby={`${which}-title`} data-side={which}>
        <h2 id={`${which}-title`}>{name}</h2>
        <StateBadge state={ep.state} />
        <EndpointFacts isn={ep.iss ?? s.isn[which]} isnChosen={ep.iss !== null} numbers={ep} bytesReceived={ep.bytesReceived} />
        {ep.state === 'TIME_WAIT' && (
          <p class="timer-row">
            <span>{t('endpoint.timeWait')}</span>{' '}
            <button type="button" class="btn" onClick={() => dispatch({ type: 'timeout', side: which })}>
              <span aria-hidden="true">◷ </span>{t('sandbox.timeout')}
            </button>
          </p>
        )}
        <CardComposer
          side={which}
          autoFill={s.level === 1 ? (flags) => autoNumbers(ep, flags, s.isn[which]) : null}
          isn={ep.iss ?? s.isn[which]}
          isnChosen={ep.iss !== null}
          onSend={send}
          heading={t('composer.titleSide', { side: name })}
          idPrefix={`hand-${which}`}
        />
        <StateDiagram
          state={ep.state}
          idPrefix={`diagram-${which}`}
          heading={t('sandbox.diagramFor', { side: name })}
          moves={sandboxMoves(s.conn, which, s.isn[which])}
          waitText={t('diagram.wait.none', { state: ep.state })}
        />
      </section>
    );
  };

  return (
    <main id="main" class="page page-sandbox" tabIndex={-1}>
      <h1>{t('sandbox.title')}</h1>
      <p class="intro">{t('sandbox.intro')}</p>
      <div class="toolbar">
        <label class="field field-inline">
          <span>{t('sandbox.level')}</span>
          <select value={String(s.level)} onChange={(e) => reset(Number((e.currentTarget as HTMLSelectElement).value) as Level)}>
            {LEVELS.map((l) => <option key={l} value={String(l)}>{t(`sandbox.level.${l}`)}</option>)}
          </select>
        </label>
        <button type="button" class="btn" onClick={() => reset(s.level)}>{t('sandbox.reset')}</button>
      </div>
      <div class="sandbox-grid">
        {side('client')}
        <div class="sandbox-wire">
          <Wire wire={s.conn.wire} onDeliver={(from) => dispatch({ type: 'deliver', from })} onDrop={(from) => dispatch({ type: 'drop', from })} />
        </div>
        {side('server')}
        <div class="sandbox-feedback"><FeedbackPanel items={s.feedback} /></div>
        <div class="sandbox-ladder">
          <LadderDiagram entries={s.ladder} timeLabel={(at) => `#${at}`} />
        </div>
      </div>
    </main>
  );
}
