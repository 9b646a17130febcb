/**
 * The explanation catalogue: one short text per reason code and per ignore reason, in
 * English and Simplified Chinese. Placeholders: {state} {expected} {given} {field}.
 */
import type { IgnoreReason, ReasonCode, RefusalFacts } from './types.ts';

export type Lang = 'en' | 'zh-CN';

type Catalogue = Record<ReasonCode, string>;

const REASONS_EN: Catalogue = {
  'segment/ack-before-synack': 'You are in {state}: the peer\'s SYN has not reached you yet (on its own or on a SYN+ACK), so there is nothing to acknowledge. Wait for it; if your SYN was lost, send the SYN again, without ACK.',
  'segment/ack-mismatch': 'The acknowledgment number must be your RCV.NXT, the next sequence number you expect: {expected}, not {given}.',
  'segment/ack-off-by-one': 'Off by one: SYN and FIN each count as one in sequence space, so the ack must be {expected}, not {given}.',
  'segment/ack-unreceived': 'You cannot acknowledge what never reached you: everything before {expected} has arrived, but you acknowledged up to {given}.',
  'segment/ack-required': 'You are in {state}: the peer\'s SYN has reached you, so every segment you send now, except a RST, carries the ACK flag (with ack = RCV.NXT).',
  'segment/seq-mismatch': 'The sequence number must be {expected}, not {given}. A new segment starts at SND.NXT; a retransmission keeps its old numbers: a SYN goes again at the ISS, a FIN at its own number, data anywhere within [SND.UNA, SND.NXT), the part still unacknowledged.',
  'segment/seq-not-advanced': 'Your sequence number did not move on: bytes you already sent (and SYN/FIN) advance SND.NXT, so this segment starts at {expected}, not {given}.',
  'segment/data-after-fin': 'You are in {state}: you already sent your FIN, promising to send no data after it. You may still retransmit unacknowledged data sent before it, and acknowledge what arrives.',
  'segment/fin-already-sent': 'You are in {state}: you already sent your FIN, at seq {expected}, and each side sends only one. While it is unacknowledged (FIN_WAIT_1, CLOSING, LAST_ACK) you may retransmit it there; once it is acknowledged (FIN_WAIT_2, TIME_WAIT) there is nothing to retransmit: send only ACKs.',
  'segment/fin-before-established': 'You are in {state}: no connection is synchronized yet, so there is nothing to close with FIN (closing from CLOSED, LISTEN or SYN_SENT sends no segment, RFC 9293 3.10.4).',
  'segment/synack-without-syn': 'You are in {state}: no SYN is waiting for an answer here, so a SYN+ACK has nothing to acknowledge. A SYN+ACK answers a SYN.',
  'segment/syn-needs-ack': 'You are in {state}: a SYN has arrived, so your SYN must also acknowledge it: send SYN+ACK.',
  'segment/syn-missing': 'You are in {state}: you have received the peer\'s SYN but have not sent your own yet. Answer with SYN+ACK.',
  'segment/syn-in-synchronized-state': 'You are in {state}: the connection is already synchronized; SYN is sent only to open a connection.',
  'segment/data-before-established': 'You are in {state}: data can flow only once the connection is ESTABLISHED; until then only the handshake\'s segments are sent.',
  'segment/data-on-syn': 'A SYN carries no data in this game (that would be TCP Fast Open): send the SYN with length 0.',
  'segment/connection-reset': 'Your connection was reset (RST): it no longer exists. Open a new one with SYN.',
  'segment/no-connection': 'You are in {state}: there is no connection to send on. From here only a SYN (opening one) or a RST (answering a segment that arrived for no connection) can be sent; a listening server waits for the peer\'s SYN.',
  'segment/no-listener': 'You are in {state}: nothing listens here, so a SYN (or any segment without ACK) that arrives is refused with a RST, not answered with {given}. Send {expected} with seq 0 and ack = the arrived segment\'s seq + its length (a SYN counts one, RFC 9293 3.10.7.1).',
  'segment/rst-nothing-to-answer': 'You are in {state}: there is no connection to abort, and no segment arrived here that a RST would answer.',
  'segment/abort-sends-nothing': 'You are in {state}: an abort from here sends no RST (RFC 9293 3.10.5: only SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 and CLOSE_WAIT send one), and no segment arrived that a RST would answer.',
  'segment/rst-seq-mismatch': 'The RST\'s {field} must be {expected}, not {given}: an abort is sent at your SND.NXT (RFC 9293 3.10.5); a RST answering a segment (one that arrived for no connection, or with an unacceptable ACK) takes its numbers from that segment (RFC 9293 3.10.7).',
  'segment/flag-not-allowed-in-state': 'No correct TCP endpoint sends this segment, in {state} or any other state: a RST carries no SYN, FIN or data, and SYN and FIN never share a segment ({field}: {given}).',
  'segment/window-exceeded': 'You are in {state}: at most 2^30 sequence numbers (one per octet, and one for a FIN) may be unacknowledged at once, the largest window TCP can advertise. This segment would take {given}; only {expected} are left until an ACK arrives.',
  'segment/invalid': 'That segment is malformed ({given}).',
  'wire/empty': 'Nothing is in flight there.',
};

const REASONS_ZH: Catalogue = {
  'segment/ack-before-synack': '你处于 {state} 状态：对方的 SYN 还没有到达（无论是单独的 SYN 还是 SYN+ACK），没有可确认的内容。请等待；如果你的 SYN 丢失了，就再发送一次 SYN，不带 ACK。',
  'segment/ack-mismatch': '确认号必须是你的 RCV.NXT，即期望收到的下一个序号：应为 {expected}，而不是 {given}。',
  'segment/ack-off-by-one': '差了一：SYN 和 FIN（终止）在序号空间中各占一个序号，所以确认号应为 {expected}，而不是 {given}。',
  'segment/ack-unreceived': '不能确认从未到达的内容：{expected} 之前的都已收到，你却确认到了 {given}。',
  'segment/ack-required': '你处于 {state} 状态：对方的 SYN 已经到达，所以从现在起你发送的每个报文段（RST 除外）都必须带 ACK 标志位（确认号 = RCV.NXT）。',
  'segment/seq-mismatch': '序号应为 {expected}，而不是 {given}。新的报文段从 SND.NXT 开始；重传沿用原来的序号：SYN 用初始序号 ISS，FIN（终止）用它自己的序号，数据可以用 [SND.UNA, SND.NXT) 中仍未被确认的任何序号。',
  'segment/seq-not-advanced': '序号没有前进：已发送的字节（以及 SYN 和 FIN（终止））都会推进 SND.NXT，所以这个报文段应从 {expected} 开始，而不是 {given}。',
  'segment/data-after-fin': '你处于 {state} 状态：你已经发送了 FIN（终止），表示此后不再发送数据。你仍可以重传在它之前发送、尚未被确认的数据，并确认收到的内容。',
  'segment/fin-already-sent': '你处于 {state} 状态：你已经在序号 {expected} 发送过 FIN（终止），每一方只发送一个。它尚未被确认时（FIN_WAIT_1、CLOSING、LAST_ACK 状态）可以在该序号重传；一旦被确认（FIN_WAIT_2、TIME_WAIT 状态），就没有需要重传的了：只需发送 ACK。',
  'segment/fin-before-established': '你处于 {state} 状态：连接尚未同步，没有可以用 FIN（终止）关闭的连接（从 CLOSED、LISTEN 或 SYN_SENT 状态关闭不发送任何报文段，RFC 9293 3.10.4）。',
  'segment/synack-without-syn': '你处于 {state} 状态：这里没有等待应答的 SYN，SYN+ACK 没有可确认的内容。SYN+ACK 是对 SYN 的应答。',
  'segment/syn-needs-ack': '你处于 {state} 状态：已经收到 SYN，你的 SYN 也必须确认它：请发送 SYN+ACK。',
  'segment/syn-missing': '你处于 {state} 状态：你收到了对方的 SYN，但还没有发送自己的 SYN。请用 SYN+ACK 应答。',
  'segment/syn-in-synchronized-state': '你处于 {state} 状态：连接已经同步；SYN 只用于建立连接。',
  'segment/data-before-established': '你处于 {state} 状态：只有连接进入 ESTABLISHED 状态后才能传输数据；在此之前只发送握手的报文段。',
  'segment/data-on-syn': '本游戏中 SYN 不携带数据（那是 TCP 快速打开）：请以长度 0 发送 SYN。',
  'segment/connection-reset': '你的连接已被复位（RST），它已不存在。请用 SYN 建立新连接。',
  'segment/no-connection': '你处于 {state} 状态：没有可以发送数据的连接。这里只能发送 SYN（建立连接），或用 RST（复位）应答发往不存在连接的报文段；处于监听的服务器等待对方的 SYN。',
  'segment/no-listener': '你处于 {state} 状态：这里没有程序监听，到达的 SYN（或任何不带 ACK 的报文段）只能用 RST（复位）拒绝，而不能用 {given} 应答。请发送 {expected}：序号为 0，确认号为到达报文段的序号加其长度（SYN 占一个序号，RFC 9293 3.10.7.1）。',
  'segment/rst-nothing-to-answer': '你处于 {state} 状态：没有可以中止的连接，也没有到达需要用 RST（复位）应答的报文段。',
  'segment/abort-sends-nothing': '你处于 {state} 状态：从这里中止连接不发送 RST（复位）。按 RFC 9293 3.10.5，只有在 SYN_RECEIVED、ESTABLISHED、FIN_WAIT_1、FIN_WAIT_2 和 CLOSE_WAIT 状态中止时才发送 RST；这里也没有到达需要用 RST 应答的报文段。',
  'segment/rst-seq-mismatch': '这个 RST（复位）的{field}应为 {expected}，而不是 {given}：中止连接的 RST 使用你的 SND.NXT（RFC 9293 3.10.5）；应答某个报文段（发往不存在的连接，或确认号不可接受）的 RST，其序号和确认号取自那个报文段（RFC 9293 3.10.7）。',
  'segment/flag-not-allowed-in-state': '无论处于 {state} 状态还是其他状态，正确的 TCP 端点都不会发送这样的报文段：RST（复位）不携带 SYN、FIN（终止）或数据，SYN 和 FIN 也不会出现在同一个报文段中（{field}：{given}）。',
  'segment/window-exceeded': '你处于 {state} 状态：同一时间最多只能有 2^30 个序号（每个字节一个，FIN（终止）也占一个）未被确认，这是 TCP 能通告的最大窗口。这个报文段要占用 {given} 个序号，而在收到确认之前只剩下 {expected} 个。',
  'segment/invalid': '报文段格式错误（{given}）。',
  'wire/empty': '那里没有正在传输的报文段。',
};

const IGNORED_EN: Record<IgnoreReason, string> = {
  'duplicate': 'Everything in it had already arrived, so nothing changes. A correct receiver acknowledges it again (ack = RCV.NXT; a SYN repeated in SYN_RECEIVED is answered with the SYN+ACK again), in case its earlier answer was lost.',
  'ack-nothing-new': 'It is an ACK that acknowledges nothing new and carries no data, SYN or FIN: nothing changes, and it is not answered (an ACK is never acknowledged). Repeated ones can mean a segment was lost: three trigger a fast retransmit.',
  'out-of-order': 'It starts beyond the receive window (far past the next expected byte): it is discarded, and the sender must send it again.',
  'rst-out-of-window': 'The RST\'s sequence number is outside the receive window, so it is ignored (this protects against forged resets).',
  'rst-without-ack': 'In SYN_SENT a RST is judged by its ACK, as there is no receive window yet (RFC 9293 3.10.7.3): it counts only when it acknowledges the SYN, and this one carries no ACK, so it is ignored.',
  'rst-no-connection': 'A RST for no connection is ignored.',
  'ack-unacceptable': 'Its acknowledgment number is not acceptable: it acknowledges something never sent (beyond SND.NXT) or, in SYN_SENT and SYN_RECEIVED, does not acknowledge the SYN (SND.UNA < ack ≤ SND.NXT is required there). It is not accepted; in SYN_SENT and SYN_RECEIVED it is answered with a RST whose seq is its ack, unless it is a RST itself.',
  'ack-missing': 'It carries no ACK flag: once an endpoint has received the peer\'s SYN (SYN_RECEIVED and later), it drops every segment without ACK (RFC 9293 3.10.7.4).',
  'no-connection': 'There is no connection here: the correct answer is a RST (seq = the segment\'s ack if it carried ACK; otherwise seq 0 with ACK set and ack = its seq + its length).',
  'not-expected-in-state': 'This segment has no meaning in {state}: it is dropped.',
};

const IGNORED_ZH: Record<IgnoreReason, string> = {
  'duplicate': '它携带的内容都已经收到过：状态不变。正确的接收方会再次确认（确认号 = RCV.NXT；在 SYN_RECEIVED 状态收到重复的 SYN 时，再次发送 SYN+ACK），以防之前的应答丢失。',
  'ack-nothing-new': '这是一个没有确认任何新内容、也不携带数据、SYN 或 FIN（终止）的 ACK：状态不变，也不需要应答（ACK 本身不被确认）。连续重复的 ACK 可能说明有报文段丢失：三个重复的 ACK 会触发快速重传。',
  'out-of-order': '它的起始序号超出了接收窗口（远超期望的下一个字节）：被丢弃，发送方必须重新发送。',
  'rst-out-of-window': '该 RST（复位）的序号不在接收窗口内，因此被忽略（用于防止伪造的复位报文段）。',
  'rst-without-ack': '在 SYN_SENT 状态下，RST（复位）按其确认号判断，因为此时还没有接收窗口（RFC 9293 3.10.7.3）：只有确认了 SYN 的 RST 才有效，而这个 RST 不带 ACK，因此被忽略。',
  'rst-no-connection': '发往不存在连接的 RST（复位）会被忽略。',
  'ack-unacceptable': '它的确认号不可接受：确认了从未发送的内容（超过 SND.NXT），或者在 SYN_SENT、SYN_RECEIVED 状态下没有确认 SYN（那里要求 SND.UNA < 确认号 ≤ SND.NXT）。它不被接受；在 SYN_SENT 和 SYN_RECEIVED 状态下，要用序号等于其确认号的 RST（复位）应答它，除非它本身就是 RST。',
  'ack-missing': '它没有 ACK 标志位：端点一旦收到对方的 SYN（SYN_RECEIVED 及之后的状态），就会丢弃任何不带 ACK 的报文段（RFC 9293 3.10.7.4）。',
  'no-connection': '这里没有连接：正确的应答是 RST（复位）。若该报文段带 ACK，RST 的序号取其确认号；否则 RST 的序号为 0 并带 ACK，确认号为该报文段的序号加其长度。',
  'not-expected-in-state': '该报文段在 {state} 状态下没有意义：被丢弃。',
};

/** How a `{field}` fact reads inside a sentence: Chinese names the field, English keeps the RFC's short names. */
const FIELD_NAMES: Record<Lang, Partial<Record<NonNullable<RefusalFacts['field']>, string>>> = {
  'en': { len: 'length' },
  'zh-CN': { seq: '序号', ack: '确认号', flags: '标志位', len: '数据长度' },
};

const fill = (text: string, facts: Partial<RefusalFacts>, lang: Lang): string =>
  text.replace(/\{(state|expected|given|field)\}/g, (_, k: keyof RefusalFacts) => {
    const value = facts[k];
    if (k === 'field' && value !== undefined) return FIELD_NAMES[lang][value as NonNullable<RefusalFacts['field']>] ?? String(value);
    return String(value ?? '?');
  });

/** The explanation for a refused move, in the given language, with its facts filled in. */
export function explainRefusal(code: ReasonCode, facts: Partial<RefusalFacts>, lang: Lang = 'en'): string {
  return fill((lang === 'zh-CN' ? REASONS_ZH : REASONS_EN)[code], facts, lang);
}

/** The explanation for a delivered segment that its receiver ignored. */
export function explainIgnored(why: IgnoreReason, state: string, lang: Lang = 'en'): string {
  return fill((lang === 'zh-CN' ? IGNORED_ZH : IGNORED_EN)[why], { state: state as RefusalFacts['state'] }, lang);
}
