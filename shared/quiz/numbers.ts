/**
 * Number questions, generated: ISNs and a data length are drawn from the random passed in,
 * the segments are played through the shared machine (drive.ts), and the answer is the seq
 * or ack of the segment the machine accepted. Nothing here adds sequence numbers itself:
 * one fact, one home, and the machine is the one that knows SYN and FIN take a number.
 */
import { initialConnection } from '../tcp/machine.ts';
import type { Localized } from '../game/views.ts';
import { HANDSHAKE, sendAndDeliver } from './drive.ts';
import type { NumberKind, NumberParams, NumberQuestion, PlannedSegment, QuizLevel } from './types.ts';

/** The largest payload drawn: one Ethernet-sized segment. */
export const MAX_LEN = 1460;
const U32 = 2 ** 32;
/**
 * At level 3 half the ISNs fall this close below 2^32: within one segment's length when the
 * question counts data, so about half of those answers wrap; wider when it counts only a SYN
 * (one number), so that a run of questions does not keep drawing the same few ISNs.
 */
const NEAR_WRAP = { data: MAX_LEN, syn: 2 ** 20 } as const;

const l = (en: string, zh: string): Localized => ({ en, 'zh-CN': zh });

interface KindPlan {
  /** Segments played before the one asked about. */
  before: (len: number) => PlannedSegment[];
  /** The segment asked about, and which of its numbers. */
  asked: PlannedSegment;
  field: 'seq' | 'ack';
  /** True when the kind has a data segment. */
  hasData: boolean;
  prompt: (p: NumberParams) => Localized;
  explain: (p: NumberParams, answer: string, wrapped: boolean) => Localized;
}

const clientData = (len: number): PlannedSegment => ({ from: 'client', flags: ['ACK', 'PSH'], len });
const serverData = (len: number): PlannedSegment => ({ from: 'server', flags: ['ACK', 'PSH'], len });

const wrapNote = (wrapped: boolean): Localized => wrapped
  ? l(' The sum passes 2^32 − 1, so it wraps around: sequence numbers count modulo 2^32.',
    '这个和超过了 2^32 − 1，所以要回绕：序号按 2^32 取模计算。')
  : l('', '');

const join = (a: Localized, b: Localized): Localized => l(a.en + b.en, a['zh-CN'] + b['zh-CN']);

const PLANS: Record<NumberKind, KindPlan> = {
  'synack-ack': {
    before: () => [HANDSHAKE[0] as PlannedSegment],
    asked: { from: 'server', flags: ['SYN', 'ACK'] },
    field: 'ack',
    hasData: false,
    prompt: (p) => l(
      `The client's ISN is ${p.clientIsn}. It sends its SYN (seq ${p.clientIsn}) to a listening server. What acknowledgment number does the server's SYN+ACK carry?`,
      `客户端的初始序号（ISN）是 ${p.clientIsn}。它向正在监听的服务器发送 SYN（seq = ${p.clientIsn}）。服务器回复的 SYN+ACK 携带的确认号（ack）是多少？`),
    explain: (p, a, w) => join(l(
      `The SYN occupies one sequence number, ${p.clientIsn}, so the next byte the server expects from the client is ${p.clientIsn} + 1. The acknowledgment number always names the next byte expected: ${a}.`,
      `SYN 占用一个序号（${p.clientIsn}），所以服务器期望从客户端收到的下一个序号是 ${p.clientIsn} + 1。确认号总是指向期望收到的下一个字节：${a}。`), wrapNote(w)),
  },
  'handshake-ack': {
    before: () => HANDSHAKE.slice(0, 2),
    asked: { from: 'client', flags: ['ACK'] },
    field: 'ack',
    hasData: false,
    prompt: (p) => l(
      `The client's ISN is ${p.clientIsn} and the server's ISN is ${p.serverIsn}. The server answers the client's SYN with SYN+ACK (seq ${p.serverIsn}). What acknowledgment number does the client's ACK, the third segment of the handshake, carry?`,
      `客户端的 ISN 是 ${p.clientIsn}，服务器的 ISN 是 ${p.serverIsn}。服务器用 SYN+ACK（seq = ${p.serverIsn}）回答客户端的 SYN。客户端发送的握手第三个报文段 ACK 携带的确认号是多少？`),
    explain: (p, a, w) => join(l(
      `The client acknowledges the server's SYN. That SYN occupies one sequence number, ${p.serverIsn}, so the next byte the client expects is ${p.serverIsn} + 1 = ${a}. The client's own ISN does not enter this number.`,
      `客户端确认的是服务器的 SYN。这个 SYN 占用一个序号（${p.serverIsn}），所以客户端期望的下一个字节是 ${p.serverIsn} + 1 = ${a}。客户端自己的 ISN 与这个确认号无关。`), wrapNote(w)),
  },
  'data-ack': {
    before: (len) => [...HANDSHAKE, clientData(len)],
    asked: { from: 'server', flags: ['ACK'] },
    field: 'ack',
    hasData: true,
    prompt: (p) => l(
      `The client's ISN is ${p.clientIsn}. It sends SYN, the handshake completes, and then it sends ${p.len} bytes of data in one segment. What acknowledgment number does the server send back for them?`,
      `客户端的 ISN 是 ${p.clientIsn}。它发送 SYN，三次握手完成后，又在一个报文段中发送 ${p.len} 字节数据。服务器对这些数据回复的确认号是多少？`),
    explain: (p, a, w) => join(l(
      `The SYN takes sequence number ${p.clientIsn}, so the first data byte is ${p.clientIsn} + 1 and the ${p.len} bytes end just before ${p.clientIsn} + 1 + ${p.len}. The ack names the next byte the server expects: ${a}.`,
      `SYN 占用序号 ${p.clientIsn}，所以第一个数据字节的序号是 ${p.clientIsn} + 1，这 ${p.len} 个字节之后的下一个序号是 ${p.clientIsn} + 1 + ${p.len}。确认号就是服务器期望收到的下一个字节：${a}。`), wrapNote(w)),
  },
  'server-data-ack': {
    before: (len) => [...HANDSHAKE, serverData(len)],
    asked: { from: 'client', flags: ['ACK'] },
    field: 'ack',
    hasData: true,
    prompt: (p) => l(
      `The server's ISN is ${p.serverIsn}. After the handshake the server sends ${p.len} bytes of data in one segment. What acknowledgment number does the client answer with?`,
      `服务器的 ISN 是 ${p.serverIsn}。三次握手完成后，服务器在一个报文段中发送 ${p.len} 字节数据。客户端回复的确认号是多少？`),
    explain: (p, a, w) => join(l(
      `The server's SYN took ${p.serverIsn}, so its data starts at ${p.serverIsn} + 1; after ${p.len} bytes the next byte the client expects is ${p.serverIsn} + 1 + ${p.len} = ${a}. Each direction has its own numbers: the client's ISN plays no part.`,
      `服务器的 SYN 占用了 ${p.serverIsn}，所以它的数据从 ${p.serverIsn} + 1 开始；${p.len} 个字节之后，客户端期望的下一个字节是 ${p.serverIsn} + 1 + ${p.len} = ${a}。两个方向各有自己的序号，客户端的 ISN 与此无关。`), wrapNote(w)),
  },
  'fin-seq': {
    before: (len) => [...HANDSHAKE, clientData(len)],
    asked: { from: 'client', flags: ['FIN', 'ACK'] },
    field: 'seq',
    hasData: true,
    prompt: (p) => l(
      `The client's ISN is ${p.clientIsn}. After the handshake it sends ${p.len} bytes of data in one segment and then closes the connection. What sequence number does its FIN carry?`,
      `客户端的 ISN 是 ${p.clientIsn}。三次握手完成后，它在一个报文段中发送 ${p.len} 字节数据，然后关闭连接。它发送的 FIN 的序号（seq）是多少？`),
    explain: (p, a, w) => join(l(
      `The SYN took ${p.clientIsn}; the data took the next ${p.len} numbers, from ${p.clientIsn} + 1. The FIN comes right after the last data byte, so its seq is ${p.clientIsn} + 1 + ${p.len} = ${a}. (The FIN itself then takes that number too.)`,
      `SYN 占用了 ${p.clientIsn}；数据从 ${p.clientIsn} + 1 开始，占用接下来的 ${p.len} 个序号。FIN 紧跟在最后一个数据字节之后，所以它的序号是 ${p.clientIsn} + 1 + ${p.len} = ${a}。（FIN 本身也会占用这个序号。）`), wrapNote(w)),
  },
  'fin-ack': {
    before: (len) => [...HANDSHAKE, clientData(len), { from: 'client', flags: ['FIN', 'ACK'] }],
    asked: { from: 'server', flags: ['ACK'] },
    field: 'ack',
    hasData: true,
    prompt: (p) => l(
      `The client's ISN is ${p.clientIsn}. After the handshake it sends ${p.len} bytes of data in one segment, then a FIN. What acknowledgment number does the server's ACK of that FIN carry?`,
      `客户端的 ISN 是 ${p.clientIsn}。三次握手完成后，它在一个报文段中发送 ${p.len} 字节数据，然后发送 FIN。服务器确认这个 FIN 的 ACK 携带的确认号是多少？`),
    explain: (p, a, w) => join(l(
      `Count what the client used: the SYN (1), ${p.len} data bytes, and the FIN (1), each FIN and SYN taking one sequence number like a byte. The FIN's seq is ${p.clientIsn} + 1 + ${p.len}, and the ack names the next byte expected after it: ${p.clientIsn} + 1 + ${p.len} + 1 = ${a}.`,
      `数一数客户端用掉的序号：SYN（1 个）、${p.len} 个数据字节、FIN（1 个），SYN 和 FIN 都像一个字节一样占用一个序号。FIN 的序号是 ${p.clientIsn} + 1 + ${p.len}，确认号指向它之后期望的下一个字节：${p.clientIsn} + 1 + ${p.len} + 1 = ${a}。`), wrapNote(w)),
  },
};

const LEVEL_NOTE: Localized = l(' (Sequence numbers are unsigned 32-bit and wrap modulo 2^32.)', '（序号是 32 位无符号整数，按 2^32 取模回绕。）');

/** A uniform integer in [lo, hi) from a uniform [0,1) draw. */
const between = (random: () => number, lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo));

/** An ISN for this level: small at 1 and 2, the whole 32-bit range at 3 with half of them within `nearWrap` below 2^32. */
function drawIsn(random: () => number, level: QuizLevel, nearWrap: number): number {
  if (level === 1) return between(random, 0, 10_000);
  if (level === 2) return between(random, 0, 1_000_000);
  return random() < 0.5 ? between(random, U32 - nearWrap, U32) : between(random, 0, U32);
}

/** The question for these parameters: the segments are played through the machine and the answer read off the asked one. */
export function buildNumberQuestion(kind: NumberKind, params: NumberParams, level: QuizLevel): NumberQuestion {
  const plan = PLANS[kind];
  const p: NumberParams = { ...params, len: plan.hasData ? params.len : 0 };
  const driven = sendAndDeliver(initialConnection(), [...plan.before(p.len), plan.asked], { client: p.clientIsn, server: p.serverIsn });
  // A correct endpoint's segments are always accepted; a refusal here is a bug in the plan or the machine.
  if (!driven.ok) throw new Error(`number question ${kind}: segment ${driven.index} refused: ${driven.code}`);
  const asked = driven.sent[driven.sent.length - 1];
  if (!asked) throw new Error(`number question ${kind}: nothing sent`);
  const answer = asked[plan.field];
  // The answer counts on from the ISN of the side whose bytes are counted; below it, it wrapped.
  const base = kind === 'server-data-ack' || kind === 'handshake-ack' ? p.serverIsn : p.clientIsn;
  const wrapped = answer < base;
  const prompt = level === 3 ? join(plan.prompt(p), LEVEL_NOTE) : plan.prompt(p);
  return {
    id: `number/${kind}/${level}/${p.clientIsn}/${p.serverIsn}/${p.len}`,
    kind: 'number',
    topic: 'seq-ack',
    level,
    numberKind: kind,
    params: p,
    answer,
    prompt,
    explanation: plan.explain(p, String(answer), wrapped),
  };
}

/** A fresh number question of this kind: ISNs and a length (1–1460) drawn from `random` (uniform in [0, 1)). */
export function generateNumberQuestion(kind: NumberKind, random: () => number, level: QuizLevel): NumberQuestion {
  const nearWrap = PLANS[kind].hasData ? NEAR_WRAP.data : NEAR_WRAP.syn;
  const clientIsn = drawIsn(random, level, nearWrap);
  const serverIsn = drawIsn(random, level, nearWrap);
  const len = between(random, 1, MAX_LEN + 1);
  return buildNumberQuestion(kind, { clientIsn, serverIsn, len }, level);
}
