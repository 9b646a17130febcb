/**
 * Game events as feedback: what the panel shows and what the announcer says, from one
 * place. Refusal and "ignored" explanations come from shared/tcp/reasons.ts.
 */
import { explainIgnored, explainRefusal } from '../../../shared/tcp/reasons.ts';
import type { Arrival, ReasonCode, RefusalFacts, Segment, Side, TcpState } from '../../../shared/tcp/types.ts';
import type { Lang, Translate } from '../i18n/index.tsx';
import { segmentLabel } from './segment.ts';

export type FeedbackEvent =
  /** `state`: where the sender is now, when known (the sandbox knows; a view's history does not). */
  | { kind: 'sent'; side: Side; segment: Segment; state?: TcpState }
  | { kind: 'refused'; side: Side; segment: Segment; code: ReasonCode; facts: RefusalFacts }
  | { kind: 'arrival'; arrival: Arrival }
  /** The sandbox's and the teacher's: a player's own table never says a segment was lost. */
  | { kind: 'lost'; from: Side; segment: Segment }
  | { kind: 'timer'; side: Side; state: TcpState }
  /** The player's own retransmission timer expired; `segment`: the one to send again, when the level names it. */
  | { kind: 'rtx'; side: Side; segment: Segment | null };

export type FeedbackItem = FeedbackEvent & { id: number };

export type Tone = 'ok' | 'wrong' | 'info' | 'warn';

export interface FeedbackView {
  tone: Tone;
  /** A one-word tag shown beside the icon: Correct / Refused / … */
  tag: string;
  text: string;
  /** The rule, for refused and ignored segments. */
  explanation?: string;
  code?: string;
  /** What a screen reader hears. */
  announcement: string;
}

const sideName = (t: Translate, side: Side) => t(side === 'client' ? 'side.client.lower' : 'side.server.lower');

/** The words for one event in one language. */
export function describe(ev: FeedbackEvent, t: Translate, lang: Lang): FeedbackView {
  switch (ev.kind) {
    case 'sent': {
      if (!ev.state) {
        const p = { side: sideName(t, ev.side), segment: segmentLabel(ev.segment) };
        return { tone: 'ok', tag: t('feedback.ok'), text: t('feedback.sentPlain', p), announcement: t('feedback.sentPlain', p) };
      }
      const p = { side: sideName(t, ev.side), segment: segmentLabel(ev.segment), state: ev.state };
      return { tone: 'ok', tag: t('feedback.ok'), text: t('feedback.sent', p), announcement: t('announce.sent', p) };
    }
    case 'refused': {
      const explanation = explainRefusal(ev.code, ev.facts, lang);
      return {
        tone: 'wrong', tag: t('feedback.wrong'), code: ev.code, explanation,
        text: t('feedback.refused', { side: sideName(t, ev.side), segment: segmentLabel(ev.segment) }),
        announcement: t('announce.refused', { explanation }),
      };
    }
    case 'arrival': {
      const a = ev.arrival;
      const p = { segment: segmentLabel(a.segment), to: sideName(t, a.to) };
      if (a.outcome === 'accepted') {
        return {
          tone: 'info', tag: t('feedback.info'),
          text: t('feedback.accepted', { ...p, before: a.before, after: a.after }),
          announcement: t('announce.accepted', { ...p, after: a.after }),
        };
      }
      const explanation = explainIgnored(a.why, a.state, lang);
      return {
        tone: 'warn', tag: t('feedback.warn'), explanation, code: a.why,
        text: t('feedback.ignored', p), announcement: t('announce.ignored', { ...p, explanation }),
      };
    }
    case 'lost': {
      const p = { segment: segmentLabel(ev.segment), from: sideName(t, ev.from) };
      return { tone: 'warn', tag: t('feedback.lostTag'), text: t('feedback.lost', p), announcement: t('announce.lost', p) };
    }
    case 'timer': {
      const p = { side: sideName(t, ev.side), state: ev.state };
      return { tone: 'info', tag: t('feedback.timerTag'), text: t('feedback.timer', p), announcement: t('announce.timer', p) };
    }
    case 'rtx': {
      const text = ev.segment ? t('feedback.rtx', { segment: segmentLabel(ev.segment) }) : t('feedback.rtxPlain');
      return { tone: 'warn', tag: t('feedback.timerTag'), text, announcement: text };
    }
  }
}
