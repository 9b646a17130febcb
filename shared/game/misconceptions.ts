/**
 * The misconceptions a teacher talks about, as a catalogue: each groups the machine's reason
 * codes that show it, with a name and what to say in class, in both languages. Every reason
 * code belongs to exactly one (misconceptions.test.ts). Adding one is one entry here.
 */
import { REASON_CODES, type ReasonCode } from '../tcp/types.ts';

type Text = { en: string; 'zh-CN': string };

export interface Misconception {
  /** What a teacher would call it. */
  title: Text;
  /** The rule to say in class, in a sentence or two. */
  teach: Text;
  codes: readonly ReasonCode[];
}

export const MISCONCEPTIONS = {
  'sequence-space': {
    title: { en: 'SYN and FIN take a sequence number', 'zh-CN': 'SYN 和 FIN 各占一个序号' },
    teach: {
      en: 'SYN and FIN each occupy one number in sequence space, like one byte of data: after a SYN (or FIN) numbered x, the next number is x+1, and the peer acknowledges x+1.',
      'zh-CN': 'SYN 和 FIN 在序号空间中各占一个序号，就像一个字节的数据：序号为 x 的 SYN（或 FIN）之后，下一个序号是 x+1，对方确认 x+1。',
    },
    codes: ['segment/ack-off-by-one', 'segment/seq-not-advanced'],
  },
  'next-byte': {
    title: { en: 'seq and ack name the next byte', 'zh-CN': '序号和确认号指向下一个字节' },
    teach: {
      en: 'The sequence number is the number of your first byte (SND.NXT for new data); the acknowledgment number is the next byte you expect from the peer (RCV.NXT), not the last one received.',
      'zh-CN': '序号是本报文段第一个字节的编号（新数据从 SND.NXT 开始）；确认号是期望收到对方的下一个字节（RCV.NXT），而不是最后收到的那个字节。',
    },
    codes: ['segment/ack-mismatch', 'segment/seq-mismatch'],
  },
  'ack-before-arrival': {
    title: { en: 'Acknowledging before anything arrived', 'zh-CN': '在收到之前就确认' },
    teach: {
      en: 'An endpoint acknowledges only what has reached it: the client waits for the SYN+ACK before its ACK, a SYN+ACK answers a SYN that arrived, and no ack may run ahead of the bytes received.',
      'zh-CN': '端点只能确认已经收到的内容：客户端要等到 SYN+ACK 到达才发送 ACK，SYN+ACK 是对已到达的 SYN 的回答，确认号不能超过已收到的字节。',
    },
    codes: ['segment/ack-before-synack', 'segment/synack-without-syn', 'segment/ack-unreceived'],
  },
  'handshake-order': {
    title: { en: 'The handshake\'s order: SYN, SYN+ACK, ACK', 'zh-CN': '握手的顺序：SYN、SYN+ACK、ACK' },
    teach: {
      en: 'Each side sends one SYN, and the second SYN also acknowledges the first (SYN+ACK); SYN opens a connection, so it is not sent on one already synchronized, and it carries no data here.',
      'zh-CN': '每一方各发送一个 SYN，第二个 SYN 同时确认第一个（SYN+ACK）；SYN 用于建立连接，已同步的连接上不再发送 SYN，在本游戏中 SYN 也不携带数据。',
    },
    codes: ['segment/syn-needs-ack', 'segment/syn-missing', 'segment/syn-in-synchronized-state', 'segment/data-on-syn'],
  },
  'ack-flag': {
    title: { en: 'Every segment after the handshake carries ACK', 'zh-CN': '握手之后的报文段都带 ACK' },
    teach: {
      en: 'Once the connection is synchronized, every segment except a RST carries the ACK flag with the current acknowledgment number, data and FIN included.',
      'zh-CN': '连接同步之后，除 RST 外的每个报文段（包括数据和 FIN）都带 ACK 标志和当前的确认号。',
    },
    codes: ['segment/ack-required'],
  },
  'closing-state': {
    title: { en: 'Closing from a state that cannot close', 'zh-CN': '在不能关闭的状态下关闭' },
    teach: {
      en: 'FIN closes a synchronized connection, once per side: not before the handshake, and not a second time (a lost FIN is retransmitted with its own sequence number, not sent anew).',
      'zh-CN': 'FIN 用于关闭已同步的连接，每一方只发一次：不能在握手之前发送，也不能再发一个新的（丢失的 FIN 用原来的序号重传）。',
    },
    codes: ['segment/fin-before-established', 'segment/fin-already-sent'],
  },
  'data-timing': {
    title: { en: 'When data may flow: open, and not after your FIN', 'zh-CN': '数据何时可以发送：连接建立后、自己的 FIN 之前' },
    teach: {
      en: 'Data flows once the connection is ESTABLISHED; after sending FIN an end sends no more data, but it still receives data and acknowledges it (half-close: the other direction stays open).',
      'zh-CN': '连接进入 ESTABLISHED 后才能发送数据；一方发送 FIN 后不再发送数据，但仍可接收并确认对方的数据（半关闭：另一个方向仍然打开）。',
    },
    codes: ['segment/data-after-fin', 'segment/data-before-established'],
  },
  'rst-rules': {
    title: { en: 'RST: when to send it and with which numbers', 'zh-CN': 'RST（复位）：何时发送、用什么序号' },
    teach: {
      en: 'A RST answers a segment that arrived for no connection (seq = its ack, or seq 0 with ack = its seq + length) or aborts an open connection at SND.NXT; a RST outside the rules is ignored.',
      'zh-CN': 'RST 用来回答到达时没有对应连接的报文段（序号取其确认号，或序号为 0、确认号为其序号加长度），或在 SND.NXT 处中止已打开的连接；不合规则的 RST 会被忽略。',
    },
    codes: ['segment/rst-nothing-to-answer', 'segment/abort-sends-nothing', 'segment/no-listener', 'segment/rst-seq-mismatch'],
  },
  'no-connection': {
    title: { en: 'Sending with no connection', 'zh-CN': '没有连接时发送' },
    teach: {
      en: 'A closed or reset endpoint has no connection to send on: the client opens one with SYN, a server waits for one; after a RST the connection is gone.',
      'zh-CN': '处于关闭或已被复位的端点没有可以发送的连接：客户端用 SYN 建立新连接，服务器等待连接；收到 RST 后连接就不存在了。',
    },
    codes: ['segment/no-connection', 'segment/connection-reset'],
  },
  'other': {
    title: { en: 'Other segments a correct endpoint does not send', 'zh-CN': '正确的端点不会发送的其他报文段' },
    teach: {
      en: 'Flag combinations no endpoint sends in that state, and malformed cards: look at the explanation of each.',
      'zh-CN': '该状态下任何端点都不会发送的标志位组合，以及格式错误的卡牌：请看每一条的解释。',
    },
    codes: ['segment/flag-not-allowed-in-state', 'segment/window-exceeded', 'segment/invalid', 'wire/empty'],
  },
} as const satisfies Record<string, Misconception>;

export type MisconceptionId = keyof typeof MISCONCEPTIONS;
export const MISCONCEPTION_IDS = Object.keys(MISCONCEPTIONS) as MisconceptionId[];

const BY_CODE = new Map<ReasonCode, MisconceptionId>();
for (const id of MISCONCEPTION_IDS) for (const code of MISCONCEPTIONS[id].codes) BY_CODE.set(code, id);

/** The misconception a refusal shows. Every reason code has one. */
export function misconceptionOf(code: ReasonCode): MisconceptionId {
  return BY_CODE.get(code) ?? 'other';
}

/** Reason codes no misconception groups (the test keeps this empty). */
export const ungroupedCodes = (): ReasonCode[] => REASON_CODES.filter((c) => !BY_CODE.has(c));
