/**
 * The fixed question bank: every question in English and Simplified Chinese, with a worked
 * explanation, a topic and a level. Adding a question is one entry here (like the scenario
 * catalogue). RFC 9293 is the authority; where classroom material says otherwise (no data
 * during a teardown, HTTP closing after each response, a teardown always four segments), the
 * bank teaches what TCP does. bank.test.ts checks the shape, and replays the handshake and
 * teardown order questions through the machine.
 */
import { OPTION_IDS, type Localized, type OptionId, type QuizOption, type QuizQuestion } from './types.ts';

const l = (en: string, zh: string): Localized => ({ en, 'zh-CN': zh });

/** Options with ids a, b, c, … in the order given. */
const o = (...texts: Localized[]): QuizOption[] => texts.map((text, i) => ({ id: OPTION_IDS[i] as OptionId, text }));

/** The same text in both languages: TCP state names stay in English. */
const same = (s: string): Localized => l(s, s);

/** A multi prompt says that several options may be right. */
const all = (p: Localized): Localized => l(`${p.en} Choose all that apply.`, `${p['zh-CN']}（多选：选出所有正确的选项。）`);

export const QUIZ_BANK: readonly QuizQuestion[] = [
  // -------------------------------------------------------------------------------------
  // The handshake
  // -------------------------------------------------------------------------------------
  {
    id: 'hs-first-segment', kind: 'single', topic: 'handshake', level: 1,
    prompt: l('Which segment does the client send first to open a TCP connection?',
      '客户端要建立 TCP 连接，首先发送哪一个报文段？'),
    options: o(same('ACK'), same('FIN'), same('SYN'), same('SYN+ACK')),
    correct: 'c',
    explanation: l(
      'A connection opens with a SYN (synchronize). It carries the client\'s initial sequence number (ISN) and asks the server to synchronize with it. The server answers with SYN+ACK and the client\'s ACK completes the three-way handshake.',
      '连接以 SYN（同步）报文段开始。它携带客户端的初始序号（ISN），请求服务器与之同步。服务器回复 SYN+ACK，客户端再发送 ACK，三次握手就完成了。'),
  },
  {
    id: 'hs-answer-to-syn', kind: 'single', topic: 'handshake', level: 1,
    prompt: l('A SYN arrives at a server port that is listening (LISTEN). What does the server send back?',
      '一个 SYN 到达服务器上正在监听（LISTEN 状态）的端口。服务器回复什么？'),
    options: o(l('An ACK alone', '只回复 ACK'), same('SYN+ACK'), same('RST'), same('FIN+ACK')),
    correct: 'b',
    explanation: l(
      'The server has two things to do: acknowledge the client\'s SYN, and send its own SYN with its own ISN. It does both in one segment, SYN+ACK. A RST would come back only if nothing listened on that port.',
      '服务器要做两件事：确认客户端的 SYN，并发送自己的 SYN（携带服务器自己的 ISN）。它把两者放在一个报文段里，即 SYN+ACK。只有当该端口没有程序监听时，才会回复 RST。'),
  },
  {
    id: 'hs-count', kind: 'single', topic: 'handshake', level: 1,
    prompt: l('How many segments does a normal TCP handshake take?', '正常的 TCP 连接建立过程需要几个报文段？'),
    options: o(l('Four', '四个'), l('Two', '两个'), l('Three', '三个'), l('Six', '六个')),
    correct: 'c',
    explanation: l(
      'SYN (client to server), SYN+ACK (server to client), ACK (client to server). Each side must send a SYN and have it acknowledged; because the server\'s ACK and its SYN travel in one segment, three segments are enough. That is why it is called the three-way handshake (三次握手).',
      'SYN（客户端到服务器）、SYN+ACK（服务器到客户端）、ACK（客户端到服务器）。每一方都要发送 SYN 并得到对方的确认；由于服务器的 ACK 和它的 SYN 放在同一个报文段中，三个报文段就够了。所以叫作“三次握手”。'),
  },
  {
    id: 'hs-order', kind: 'order', topic: 'handshake', level: 1,
    prompt: l('Put the segments of the three-way handshake in order.', '把三次握手的报文段按顺序排列。'),
    items: o(l('The client sends ACK', '客户端发送 ACK'), l('The client sends SYN', '客户端发送 SYN'), l('The server sends SYN+ACK', '服务器发送 SYN+ACK')),
    answer: ['b', 'c', 'a'],
    replay: {
      start: 'listen',
      segments: { a: { from: 'client', flags: ['ACK'] }, b: { from: 'client', flags: ['SYN'] }, c: { from: 'server', flags: ['SYN', 'ACK'] } },
      end: { client: 'ESTABLISHED', server: 'ESTABLISHED' },
    },
    explanation: l(
      'The client opens with SYN (it enters SYN_SENT); the server, listening, answers SYN+ACK (it enters SYN_RECEIVED); the client acknowledges the server\'s SYN with ACK. The client is ESTABLISHED when the SYN+ACK arrives, the server when the ACK arrives.',
      '客户端先发送 SYN（进入 SYN_SENT 状态）；正在监听的服务器回复 SYN+ACK（进入 SYN_RECEIVED 状态）；客户端用 ACK 确认服务器的 SYN。客户端在收到 SYN+ACK 时进入 ESTABLISHED 状态，服务器在收到 ACK 时进入 ESTABLISHED 状态。'),
  },
  {
    id: 'hs-why-third', kind: 'single', topic: 'handshake', level: 2,
    prompt: l('Why does the client send the third segment of the handshake, the ACK?', '为什么客户端要发送握手的第三个报文段 ACK？'),
    options: o(
      l('To tell the server that its SYN, and so its ISN, arrived: until then the server cannot know that the client received its SYN+ACK.',
        '告诉服务器它的 SYN（也就是它的 ISN）已经收到：在此之前，服务器无法知道客户端是否收到了 SYN+ACK。'),
      l('To send the client\'s ISN, which the SYN did not carry.', '发送客户端的 ISN，因为 SYN 中没有携带它。'),
      l('To ask the server for permission to send data.', '请求服务器允许发送数据。'),
      l('It is optional: both sides are already open after the SYN+ACK.', '它是可选的：SYN+ACK 之后双方都已经建立连接。')),
    correct: 'a',
    explanation: l(
      'Each direction is synchronized by a SYN and the ACK of that SYN. The SYN+ACK acknowledges the client\'s SYN; only the third segment acknowledges the server\'s. Until it arrives the server stays in SYN_RECEIVED (and retransmits its SYN+ACK if it is lost). The exchange also keeps an old duplicate SYN from opening a connection nobody asked for (RFC 9293, section 3.5).',
      '每个方向都要靠一个 SYN 和对它的 ACK 完成同步。SYN+ACK 确认了客户端的 SYN；只有第三个报文段才确认服务器的 SYN。在它到达之前，服务器一直处于 SYN_RECEIVED 状态（若它丢失，服务器会重传 SYN+ACK）。这样还能防止一个旧的重复 SYN 打开一个没人请求的连接（RFC 9293 第 3.5 节）。'),
  },
  {
    id: 'hs-synack-facts', kind: 'multi', topic: 'handshake', level: 2,
    prompt: all(l('Which of these are true of the server\'s SYN+ACK?', '关于服务器发送的 SYN+ACK，下列哪些说法正确？')),
    options: o(
      l('Its sequence number is the server\'s ISN.', '它的序号是服务器的 ISN。'),
      l('Its acknowledgment number is the client\'s ISN + 1.', '它的确认号是客户端的 ISN + 1。'),
      l('It acknowledges the client\'s SYN.', '它确认了客户端的 SYN。'),
      l('Its sequence number is the client\'s ISN.', '它的序号是客户端的 ISN。')),
    correct: ['a', 'b', 'c'],
    explanation: l(
      'The SYN+ACK is two things in one segment. As a SYN it carries the server\'s own ISN as its sequence number. As an ACK it acknowledges the client\'s SYN: the SYN took one sequence number, so the next byte the server expects is the client\'s ISN + 1. Each direction numbers its own bytes; the server never sends with the client\'s numbers.',
      'SYN+ACK 是把两件事放在一个报文段里。作为 SYN，它的序号是服务器自己的 ISN；作为 ACK，它确认客户端的 SYN：SYN 占用了一个序号，所以服务器期望的下一个序号是客户端的 ISN + 1。两个方向各自编号，服务器发送时从不使用客户端的序号。'),
  },

  // -------------------------------------------------------------------------------------
  // States after each segment
  // -------------------------------------------------------------------------------------
  {
    id: 'st-client-after-syn', kind: 'single', topic: 'states', level: 1,
    prompt: l('The client has just sent its SYN. Which state is it in?', '客户端刚刚发送了 SYN。它处于什么状态？'),
    options: o(same('SYN_SENT'), same('SYN_RECEIVED'), same('LISTEN'), same('ESTABLISHED')),
    correct: 'a',
    explanation: l(
      'Sending the SYN takes the client from CLOSED to SYN_SENT, where it waits for the server\'s SYN+ACK. SYN_RECEIVED is where the server is after a SYN arrived; LISTEN is a server waiting for SYNs.',
      '发送 SYN 使客户端从 CLOSED 状态进入 SYN_SENT 状态，在那里等待服务器的 SYN+ACK。SYN_RECEIVED 是服务器收到 SYN 之后的状态；LISTEN 是服务器等待 SYN 的状态。'),
  },
  {
    id: 'st-server-after-synack', kind: 'single', topic: 'states', level: 1,
    prompt: l('A SYN arrived at a listening server and the server answered with SYN+ACK. Which state is the server in now?',
      '一个 SYN 到达正在监听的服务器，服务器回复了 SYN+ACK。服务器现在处于什么状态？'),
    options: o(same('LISTEN'), same('ESTABLISHED'), same('SYN_RECEIVED'), same('SYN_SENT')),
    correct: 'c',
    explanation: l(
      'The arriving SYN takes the server from LISTEN to SYN_RECEIVED. It answers with SYN+ACK and stays in SYN_RECEIVED until the client\'s ACK of that SYN+ACK arrives; only then is it ESTABLISHED.',
      '到达的 SYN 使服务器从 LISTEN 状态进入 SYN_RECEIVED 状态。它回复 SYN+ACK，并一直停留在 SYN_RECEIVED 状态，直到客户端对 SYN+ACK 的 ACK 到达，这时才进入 ESTABLISHED 状态。'),
  },
  {
    id: 'st-client-after-synack', kind: 'single', topic: 'states', level: 1,
    prompt: l('The server\'s SYN+ACK arrives at the client, which is in SYN_SENT. Which state does the client enter?',
      '服务器的 SYN+ACK 到达处于 SYN_SENT 状态的客户端。客户端进入什么状态？'),
    options: o(same('ESTABLISHED'), same('SYN_RECEIVED'), same('FIN_WAIT_1'),
      l('It stays in SYN_SENT until its ACK has been acknowledged', '仍处于 SYN_SENT 状态，直到它的 ACK 被确认')),
    correct: 'a',
    explanation: l(
      'The SYN+ACK acknowledges the client\'s SYN and brings the server\'s ISN, so the client is synchronized: it enters ESTABLISHED and sends its ACK. A pure ACK is never acknowledged itself, so the client waits for nothing more; it may send data at once.',
      'SYN+ACK 确认了客户端的 SYN，并带来了服务器的 ISN，客户端因此完成同步：进入 ESTABLISHED 状态并发送 ACK。单纯的 ACK 本身不会被确认，所以客户端不再等待什么，可以立即发送数据。'),
  },
  {
    id: 'st-server-established', kind: 'single', topic: 'states', level: 2,
    prompt: l('When does the server enter ESTABLISHED?', '服务器在什么时候进入 ESTABLISHED 状态？'),
    options: o(
      l('When the client\'s ACK of its SYN+ACK arrives', '当客户端对其 SYN+ACK 的确认（ACK）到达时'),
      l('As soon as it sends its SYN+ACK', '一发送 SYN+ACK 就进入'),
      l('When the client\'s SYN arrives', '当客户端的 SYN 到达时'),
      l('When it sends its first byte of data', '当它发送第一个数据字节时')),
    correct: 'a',
    explanation: l(
      'The server\'s own SYN must be acknowledged before its direction is synchronized. So it goes LISTEN → SYN_RECEIVED when the SYN arrives, and SYN_RECEIVED → ESTABLISHED when the client\'s ACK arrives. The two ends reach ESTABLISHED at different moments: the client one trip earlier.',
      '服务器自己的 SYN 必须被确认，它这个方向才算同步。所以 SYN 到达时它从 LISTEN 状态进入 SYN_RECEIVED 状态，客户端的 ACK 到达时再从 SYN_RECEIVED 状态进入 ESTABLISHED 状态。两端进入 ESTABLISHED 状态的时刻不同：客户端早一个单程。'),
  },
  {
    id: 'st-fin-wait-2', kind: 'single', topic: 'states', level: 2,
    prompt: l('The client closes first. The server has acknowledged the client\'s FIN but has not sent its own FIN yet. Which state is the client in?',
      '客户端先关闭。服务器已经确认了客户端的 FIN，但还没有发送自己的 FIN。客户端处于什么状态？'),
    options: o(same('FIN_WAIT_1'), same('FIN_WAIT_2'), same('CLOSING'), same('TIME_WAIT')),
    correct: 'b',
    explanation: l(
      'Sending the FIN takes the client from ESTABLISHED to FIN_WAIT_1; the ACK of that FIN takes it to FIN_WAIT_2. There it waits for the server\'s FIN, and meanwhile still receives whatever data the server sends. When the server\'s FIN arrives, the client acknowledges it and enters TIME_WAIT.',
      '发送 FIN 使客户端从 ESTABLISHED 状态进入 FIN_WAIT_1 状态；该 FIN 的 ACK 使它进入 FIN_WAIT_2 状态。在这里它等待服务器的 FIN，同时仍然接收服务器发来的数据。服务器的 FIN 到达后，客户端确认它并进入 TIME_WAIT 状态。'),
  },
  {
    id: 'st-order-closer', kind: 'order', topic: 'states', level: 2,
    prompt: l('Put the states of the end that closes first in order, for a teardown in which its FIN is acknowledged before the other end\'s FIN arrives.',
      '对于先关闭的一端，如果它的 FIN 在对方的 FIN 到达之前就被确认，把它经历的状态按顺序排列。'),
    items: o(same('TIME_WAIT'), same('FIN_WAIT_2'), same('ESTABLISHED'), same('CLOSED'), same('FIN_WAIT_1')),
    answer: ['c', 'e', 'b', 'a', 'd'],
    explanation: l(
      'ESTABLISHED → (sends FIN) FIN_WAIT_1 → (its FIN is acknowledged) FIN_WAIT_2 → (the other end\'s FIN arrives and is acknowledged) TIME_WAIT → (after 2MSL) CLOSED. The end that closes first is the one that waits in TIME_WAIT, whether it is the client or the server.',
      'ESTABLISHED →（发送 FIN）FIN_WAIT_1 →（自己的 FIN 被确认）FIN_WAIT_2 →（收到并确认对方的 FIN）TIME_WAIT →（等待 2MSL 后）CLOSED。先关闭的一端要在 TIME_WAIT 状态等待，无论它是客户端还是服务器。'),
  },

  // -------------------------------------------------------------------------------------
  // CLOSE_WAIT and LAST_ACK
  // -------------------------------------------------------------------------------------
  {
    id: 'cw-meaning', kind: 'single', topic: 'close-wait', level: 2,
    prompt: l('What does it mean when the server is in CLOSE_WAIT?', '服务器处于 CLOSE_WAIT 状态表示什么？'),
    options: o(
      l('The client\'s FIN has arrived and been acknowledged; the server may still send data, and waits for its own application to close.',
        '客户端的 FIN 已经到达并被确认；服务器仍可以发送数据，并等待自己的应用程序关闭。'),
      l('The server has sent its FIN and waits for it to be acknowledged.', '服务器已经发送 FIN，正在等待它被确认。'),
      l('The server waits 2MSL before it may close.', '服务器要等待 2MSL 才能关闭。'),
      l('The server is waiting for the client\'s FIN.', '服务器正在等待客户端的 FIN。')),
    correct: 'a',
    explanation: l(
      'CLOSE_WAIT is entered when the peer\'s FIN arrives in ESTABLISHED: the peer has finished sending. TCP acknowledges the FIN and tells the application, which may go on sending; when it closes, TCP sends this side\'s FIN and enters LAST_ACK. Waiting for the ACK of one\'s own FIN is LAST_ACK; waiting 2MSL is TIME_WAIT.',
      '在 ESTABLISHED 状态收到对方的 FIN 时进入 CLOSE_WAIT 状态：对方已经发送完毕。TCP 确认这个 FIN 并通知应用程序，应用程序仍可以继续发送；当它关闭时，TCP 发送本方的 FIN 并进入 LAST_ACK 状态。等待自己 FIN 的确认是 LAST_ACK 状态；等待 2MSL 是 TIME_WAIT 状态。'),
  },
  {
    id: 'cw-last-ack', kind: 'single', topic: 'close-wait', level: 2,
    prompt: l('The server in CLOSE_WAIT sends its FIN. Which state is it in now, and what is it waiting for?',
      '处于 CLOSE_WAIT 状态的服务器发送了自己的 FIN。它现在处于什么状态，在等待什么？'),
    options: o(
      l('LAST_ACK, waiting for the ACK of its FIN', 'LAST_ACK 状态，等待对其 FIN 的确认'),
      l('TIME_WAIT, waiting for 2MSL to pass', 'TIME_WAIT 状态，等待 2MSL'),
      l('FIN_WAIT_1, waiting for the client\'s FIN', 'FIN_WAIT_1 状态，等待客户端的 FIN'),
      l('CLOSING, waiting for the client\'s FIN', 'CLOSING 状态，等待客户端的 FIN')),
    correct: 'a',
    explanation: l(
      'The client\'s FIN has already arrived, so the server waits only for the last ACK: LAST_ACK. When it arrives the server goes straight to CLOSED; the end that closes second does not enter TIME_WAIT. If that ACK is lost, the server retransmits its FIN, and the client, in TIME_WAIT, acknowledges it again.',
      '客户端的 FIN 已经到达，所以服务器只需等待最后一个 ACK：LAST_ACK 状态。这个 ACK 到达后服务器直接进入 CLOSED 状态；后关闭的一端不进入 TIME_WAIT 状态。如果这个 ACK 丢失，服务器重传它的 FIN，处于 TIME_WAIT 状态的客户端会再次确认。'),
  },
  {
    id: 'cw-passive-facts', kind: 'multi', topic: 'close-wait', level: 3,
    prompt: all(l('Which of these are true of the end that closes second (it receives the first FIN)?', '对于后关闭的一端（它收到第一个 FIN），下列哪些说法正确？')),
    options: o(
      l('It passes through CLOSE_WAIT.', '它会经历 CLOSE_WAIT 状态。'),
      l('It passes through LAST_ACK.', '它会经历 LAST_ACK 状态。'),
      l('It may still send data while in CLOSE_WAIT.', '在 CLOSE_WAIT 状态下它仍可以发送数据。'),
      l('It ends in TIME_WAIT.', '它最后进入 TIME_WAIT 状态。')),
    correct: ['a', 'b', 'c'],
    explanation: l(
      'The passive closer goes ESTABLISHED → CLOSE_WAIT (the FIN arrives) → LAST_ACK (it sends its FIN) → CLOSED (its FIN is acknowledged). In CLOSE_WAIT only the other direction is closed, so it may go on sending. TIME_WAIT belongs to the end that sent the first FIN.',
      '被动关闭的一端经历 ESTABLISHED →（收到 FIN）CLOSE_WAIT →（发送自己的 FIN）LAST_ACK →（自己的 FIN 被确认）CLOSED。在 CLOSE_WAIT 状态中只有对方那个方向关闭了，所以它仍可以继续发送。TIME_WAIT 状态属于发送第一个 FIN 的一端。'),
  },
  {
    id: 'cw-stuck', kind: 'single', topic: 'close-wait', level: 3,
    prompt: l('A server shows hundreds of connections that have stayed in CLOSE_WAIT for hours. What is the most likely cause?',
      '一台服务器上有几百个连接在 CLOSE_WAIT 状态停留了几个小时。最可能的原因是什么？'),
    options: o(
      l('The server\'s application never closes those sockets, so the server never sends its FIN.', '服务器的应用程序一直没有关闭这些套接字，所以服务器从未发送自己的 FIN。'),
      l('The clients\' final ACKs were lost.', '客户端的最后一个 ACK 丢失了。'),
      l('The network drops the server\'s FINs.', '网络丢弃了服务器的 FIN。'),
      l('TIME_WAIT is set too long.', 'TIME_WAIT 设置得太长。')),
    correct: 'a',
    explanation: l(
      'CLOSE_WAIT has no timer: TCP leaves it only when the local application closes and TCP sends its FIN. The clients\' FINs arrived and were acknowledged; the application never called close. A lost FIN would leave the server in LAST_ACK, retransmitting, not in CLOSE_WAIT.',
      'CLOSE_WAIT 状态没有计时器：只有本地应用程序关闭、TCP 发出 FIN 后才会离开这个状态。客户端的 FIN 已经到达并被确认，是应用程序一直没有调用 close。如果是 FIN 丢失，服务器会停在 LAST_ACK 状态并不断重传，而不是停在 CLOSE_WAIT 状态。'),
  },

  // -------------------------------------------------------------------------------------
  // The teardown
  // -------------------------------------------------------------------------------------
  {
    id: 'td-first-segment', kind: 'single', topic: 'teardown', level: 1,
    prompt: l('Which segment does an endpoint send to begin closing a connection gracefully?', '一端要正常（优雅地）关闭连接，首先发送哪种报文段？'),
    options: o(same('RST'), same('SYN'), same('FIN'), l('An ACK alone', '只发送 ACK')),
    correct: 'c',
    explanation: l(
      'A FIN (finish) says "I have finished sending". It is delivered in order after all the data sent before it, and the peer acknowledges it. A RST is not a graceful close: it aborts the connection at once.',
      'FIN（结束）表示“我已经发送完毕”。它按顺序排在之前发送的所有数据之后到达，并由对方确认。RST 不是正常关闭：它会立即中止连接。'),
  },
  {
    id: 'td-four', kind: 'single', topic: 'teardown', level: 1,
    prompt: l('The client closes first, and the server\'s application closes a little later. How many segments does the teardown take?',
      '客户端先关闭，服务器的应用程序稍后才关闭。这次连接释放需要几个报文段？'),
    options: o(l('Two', '两个'), l('Three', '三个'), l('Four', '四个'), l('Five', '五个')),
    correct: 'c',
    explanation: l(
      'The client sends FIN; the server acknowledges it at once with ACK; later, when its application closes, the server sends its own FIN; the client acknowledges that with ACK. Four segments, which is why it is often called the four-way teardown (四次挥手). When the server closes at once, its ACK and FIN can share one segment and three are enough.',
      '客户端发送 FIN；服务器立即用 ACK 确认；稍后服务器的应用程序关闭时，服务器发送自己的 FIN；客户端再用 ACK 确认。共四个报文段，这就是常说的“四次挥手”。如果服务器立刻关闭，它的 ACK 和 FIN 可以合在一个报文段里，三个报文段就够了。'),
  },
  {
    id: 'td-three', kind: 'single', topic: 'teardown', level: 2,
    prompt: l('The client closes first, and the server\'s application closes at once, as soon as the client\'s FIN arrives. How many segments can the teardown take?',
      '客户端先关闭，服务器的应用程序在客户端的 FIN 一到达就立即关闭。这次连接释放最少可以只用几个报文段？'),
    options: o(l('Two', '两个'), l('Three', '三个'), l('Always four', '总是四个'), l('Six', '六个')),
    correct: 'b',
    explanation: l(
      'The server can acknowledge the client\'s FIN and send its own FIN in the same segment, a FIN+ACK. The teardown is then FIN, FIN+ACK, ACK: three segments. The name "four-way" counts the server\'s ACK and FIN separately, as they must be sent when the server still has data to send or its application closes later.',
      '服务器可以在同一个报文段中确认客户端的 FIN 并发送自己的 FIN，即 FIN+ACK。这时连接释放就是 FIN、FIN+ACK、ACK：三个报文段。“四次挥手”这个名称把服务器的 ACK 和 FIN 分开计算；当服务器还有数据要发送、或者它的应用程序稍后才关闭时，这两者确实要分开发送。'),
  },
  {
    id: 'td-why-three', kind: 'single', topic: 'teardown', level: 3,
    prompt: l('Textbooks call it the four-way teardown (四次挥手), but a capture shows only three segments: FIN, FIN+ACK, ACK. Why?',
      '教材把它叫作“四次挥手”，但抓包只看到三个报文段：FIN、FIN+ACK、ACK。为什么？'),
    options: o(
      l('The server acknowledged the client\'s FIN and sent its own FIN in one segment, because its application closed at once.', '服务器的应用程序立即关闭，所以服务器在一个报文段中既确认了客户端的 FIN，又发送了自己的 FIN。'),
      l('The capture missed a segment: a teardown always has four.', '抓包漏掉了一个报文段：连接释放总是四个报文段。'),
      l('The client\'s FIN needs no acknowledgment.', '客户端的 FIN 不需要确认。'),
      l('One end closed with RST instead of FIN.', '有一端用 RST 代替了 FIN。')),
    correct: 'a',
    explanation: l(
      'A FIN must be acknowledged, and each direction needs its own FIN, so there are four things to send: FIN, ACK, FIN, ACK. Nothing forces the middle two apart: when the server has nothing left to send as the client\'s FIN arrives, it puts both in one FIN+ACK. The server still goes through CLOSE_WAIT (briefly) and LAST_ACK; the client goes FIN_WAIT_1 → TIME_WAIT, or via FIN_WAIT_2 in the same instant.',
      'FIN 必须被确认，而且每个方向都要有自己的 FIN，所以要发送四样东西：FIN、ACK、FIN、ACK。中间两个并不一定要分开：如果客户端的 FIN 到达时服务器已经没有要发送的数据，它就把两者合成一个 FIN+ACK。服务器仍然经历（短暂的）CLOSE_WAIT 状态和 LAST_ACK 状态；客户端从 FIN_WAIT_1 状态进入 TIME_WAIT 状态，或者在同一时刻经过 FIN_WAIT_2 状态。'),
  },
  {
    id: 'td-order-four', kind: 'order', topic: 'teardown', level: 1,
    prompt: l('The client closes first and the server closes later. Put the segments of the teardown in order.', '客户端先关闭，服务器稍后关闭。把连接释放的报文段按顺序排列。'),
    items: o(l('The server sends its FIN', '服务器发送自己的 FIN'), l('The client sends ACK', '客户端发送 ACK'),
      l('The client sends FIN', '客户端发送 FIN'), l('The server sends ACK', '服务器发送 ACK')),
    answer: ['c', 'd', 'a', 'b'],
    replay: {
      start: 'established',
      segments: {
        a: { from: 'server', flags: ['FIN', 'ACK'] }, b: { from: 'client', flags: ['ACK'] },
        c: { from: 'client', flags: ['FIN', 'ACK'] }, d: { from: 'server', flags: ['ACK'] },
      },
      end: { client: 'TIME_WAIT', server: 'CLOSED' },
    },
    explanation: l(
      'Client FIN (client → FIN_WAIT_1, server → CLOSE_WAIT); server ACK (client → FIN_WAIT_2); server FIN when its application closes (server → LAST_ACK; client → TIME_WAIT on receiving it); client ACK (server → CLOSED). Between the server\'s ACK and its FIN the server may still send data.',
      '客户端发送 FIN（客户端进入 FIN_WAIT_1 状态，服务器进入 CLOSE_WAIT 状态）；服务器发送 ACK（客户端进入 FIN_WAIT_2 状态）；服务器的应用程序关闭时发送 FIN（服务器进入 LAST_ACK 状态，客户端收到后进入 TIME_WAIT 状态）；客户端发送 ACK（服务器进入 CLOSED 状态）。在服务器的 ACK 和 FIN 之间，服务器仍可以发送数据。'),
  },
  {
    id: 'td-order-three', kind: 'order', topic: 'teardown', level: 2,
    prompt: l('The client closes first and the server\'s application closes at once. Put the three segments of the teardown in order.',
      '客户端先关闭，服务器的应用程序立即关闭。把连接释放的三个报文段按顺序排列。'),
    items: o(l('The client sends ACK', '客户端发送 ACK'), l('The client sends FIN', '客户端发送 FIN'),
      l('The server sends FIN+ACK: its ACK of the client\'s FIN and its own FIN in one segment', '服务器发送 FIN+ACK：对客户端 FIN 的确认和自己的 FIN 合在一个报文段中')),
    answer: ['b', 'c', 'a'],
    replay: {
      start: 'established',
      segments: { a: { from: 'client', flags: ['ACK'] }, b: { from: 'client', flags: ['FIN', 'ACK'] }, c: { from: 'server', flags: ['FIN', 'ACK'] } },
      end: { client: 'TIME_WAIT', server: 'CLOSED' },
    },
    explanation: l(
      'FIN from the client; FIN+ACK from the server, which acknowledges the client\'s FIN and closes the server\'s direction at once; ACK from the client, which enters TIME_WAIT. The server, in LAST_ACK, closes when that ACK arrives. Same four steps as the four-segment teardown, with the middle two in one segment.',
      '客户端发送 FIN；服务器发送 FIN+ACK，既确认客户端的 FIN，又立即关闭服务器这个方向；客户端发送 ACK 并进入 TIME_WAIT 状态。处于 LAST_ACK 状态的服务器在这个 ACK 到达后关闭。这与四个报文段的释放过程步骤相同，只是中间两步合在了一个报文段中。'),
  },
  {
    id: 'td-fin-facts', kind: 'multi', topic: 'teardown', level: 2,
    prompt: all(l('Which of these are true of FIN?', '关于 FIN，下列哪些说法正确？')),
    options: o(
      l('Each direction of the connection is closed by its own FIN.', '连接的每个方向都由各自的 FIN 关闭。'),
      l('A FIN is acknowledged, like data.', 'FIN 要像数据一样被确认。'),
      l('One FIN closes both directions at once.', '一个 FIN 同时关闭两个方向。'),
      l('A FIN occupies one sequence number.', 'FIN 占用一个序号。')),
    correct: ['a', 'b', 'd'],
    explanation: l(
      'TCP is full duplex, and a FIN ends only its sender\'s direction: the other end may go on sending until it sends its own FIN. A FIN takes one sequence number, like one byte, so that it can be acknowledged (ack = FIN\'s seq + 1) and retransmitted if lost.',
      'TCP 是全双工的，一个 FIN 只结束发送方这个方向：另一端在发送自己的 FIN 之前仍可以继续发送。FIN 像一个字节一样占用一个序号，这样它才能被确认（ack = FIN 的序号 + 1），丢失时也能重传。'),
  },
  {
    id: 'td-why-not-combine', kind: 'single', topic: 'teardown', level: 2,
    prompt: l('Why can the server not always put its ACK and its FIN in one segment?', '为什么服务器不能总是把 ACK 和 FIN 放在一个报文段里？'),
    options: o(
      l('Its application may not have finished: TCP acknowledges the client\'s FIN at once, and sends the server\'s FIN only when the application has sent all it wants and closes.',
        '它的应用程序可能还没有结束：TCP 立即确认客户端的 FIN，而只有当应用程序发送完所有要发的内容并关闭时，才发送服务器的 FIN。'),
      l('TCP forbids FIN and ACK in the same segment.', 'TCP 不允许 FIN 和 ACK 出现在同一个报文段中。'),
      l('The client must first acknowledge the server\'s ACK.', '客户端必须先确认服务器的 ACK。'),
      l('The FIN must wait 2MSL after the ACK.', 'FIN 必须在 ACK 之后等待 2MSL。')),
    correct: 'a',
    explanation: l(
      'The client\'s FIN closes only the client\'s direction. TCP acknowledges it promptly (so the client does not retransmit), but the server\'s own FIN is the server application\'s decision: it may still have a response to send. FIN+ACK in one segment is allowed, and common when the application closes at once.',
      '客户端的 FIN 只关闭客户端这个方向。TCP 会及时确认它（免得客户端重传），但服务器自己的 FIN 由服务器的应用程序决定：它可能还有响应要发送。FIN 和 ACK 放在一个报文段里是允许的，当应用程序立即关闭时也很常见。'),
  },

  // -------------------------------------------------------------------------------------
  // TIME_WAIT
  // -------------------------------------------------------------------------------------
  {
    id: 'tw-why', kind: 'single', topic: 'time-wait', level: 2,
    prompt: l('What is TIME_WAIT for?', 'TIME_WAIT 状态有什么作用？'),
    options: o(
      l('If the final ACK is lost, the peer resends its FIN and the endpoint can acknowledge it again; and old duplicate segments of this connection die out before the same pair of addresses and ports is used again.',
        '如果最后一个 ACK 丢失，对方会重传 FIN，本端还能再次确认它；同时让这个连接残留在网络中的旧的重复报文段消失，之后才能再次使用相同的地址和端口对。'),
      l('To wait for the rest of the peer\'s data.', '等待对方剩余的数据。'),
      l('To let the server accept the next connection sooner.', '让服务器更快地接受下一个连接。'),
      l('To wait until the peer acknowledges the final ACK.', '等待对方确认最后一个 ACK。')),
    correct: 'a',
    explanation: l(
      'The final ACK is the only segment of the teardown that is not acknowledged, so its sender cannot know it arrived. Staying in TIME_WAIT for 2MSL it can answer a retransmitted FIN with another ACK. And after 2MSL any delayed segment of this connection has expired, so it cannot be mistaken for part of a new connection between the same ports. An ACK is never acknowledged, and the peer\'s data all arrived before its FIN.',
      '最后一个 ACK 是连接释放过程中唯一不被确认的报文段，发送方无法知道它是否到达。在 TIME_WAIT 状态等待 2MSL，就能用另一个 ACK 回答重传的 FIN。并且 2MSL 之后，这个连接所有迟到的报文段都已失效，不会被误认为是相同端口之间新连接的报文段。ACK 本身从不被确认，而对方的数据都在它的 FIN 之前到达。'),
  },
  {
    id: 'tw-who', kind: 'single', topic: 'time-wait', level: 2,
    prompt: l('Which end of a connection enters TIME_WAIT?', '连接的哪一端会进入 TIME_WAIT 状态？'),
    options: o(
      l('Always the client', '总是客户端'),
      l('Always the server', '总是服务器'),
      l('The end that closes first, that is, sends the first FIN (in a simultaneous close, both ends)', '先关闭的一端，即发送第一个 FIN 的一端（同时关闭时两端都进入）'),
      l('The end that receives the first FIN', '收到第一个 FIN 的一端')),
    correct: 'c',
    explanation: l(
      'TIME_WAIT is the active closer\'s state: the end that sent the first FIN ends up sending the last ACK, and it is that ACK TIME_WAIT protects. Which end closes first depends on the application, not on who opened the connection: a web server that closes after a response is the one in TIME_WAIT. The end that receives the first FIN goes through CLOSE_WAIT and LAST_ACK to CLOSED.',
      'TIME_WAIT 是主动关闭方的状态：发送第一个 FIN 的一端最后要发送最后一个 ACK，TIME_WAIT 保护的正是这个 ACK。哪一端先关闭取决于应用程序，而不取决于谁建立了连接：发送完响应就关闭连接的 Web 服务器，就是进入 TIME_WAIT 状态的一端。收到第一个 FIN 的一端经历 CLOSE_WAIT 和 LAST_ACK 状态后进入 CLOSED 状态。'),
  },
  {
    id: 'tw-server-first', kind: 'single', topic: 'time-wait', level: 2,
    prompt: l('The server closes first: it sends the first FIN, the client acknowledges it and later sends its own FIN. Which end ends in TIME_WAIT?',
      '服务器先关闭：它发送第一个 FIN，客户端确认后，稍后发送自己的 FIN。哪一端最后处于 TIME_WAIT 状态？'),
    options: o(l('The client', '客户端'), l('The server', '服务器'), l('Both', '两端都是'), l('Neither', '两端都不是')),
    correct: 'b',
    explanation: l(
      'The server is the active closer here: ESTABLISHED → FIN_WAIT_1 → FIN_WAIT_2 → TIME_WAIT. The client receives the first FIN and goes CLOSE_WAIT → LAST_ACK → CLOSED. TIME_WAIT is not a client state; it belongs to whoever sends the first FIN.',
      '这里服务器是主动关闭方：ESTABLISHED → FIN_WAIT_1 → FIN_WAIT_2 → TIME_WAIT。客户端收到第一个 FIN，经历 CLOSE_WAIT → LAST_ACK → CLOSED。TIME_WAIT 并不是客户端专有的状态，它属于发送第一个 FIN 的一端。'),
  },
  {
    id: 'tw-lost-ack', kind: 'single', topic: 'time-wait', level: 3,
    prompt: l('An endpoint is in TIME_WAIT. The peer\'s FIN arrives again. What happens?', '一端处于 TIME_WAIT 状态，对方的 FIN 又一次到达。会发生什么？'),
    options: o(
      l('Its final ACK must have been lost: it acknowledges the FIN again and restarts the 2MSL timer.', '说明它的最后一个 ACK 丢失了：它再次确认这个 FIN，并重新开始 2MSL 计时。'),
      l('It answers with RST: the connection is over.', '它回复 RST：连接已经结束。'),
      l('It ignores the FIN; the peer will give up.', '它忽略这个 FIN，对方最终会放弃。'),
      l('It goes back to ESTABLISHED.', '它回到 ESTABLISHED 状态。')),
    correct: 'a',
    explanation: l(
      'The peer, in LAST_ACK, retransmitted its FIN because the ACK did not reach it. This is exactly what TIME_WAIT waits for: the endpoint still knows the connection, acknowledges the FIN again and restarts the 2MSL timeout (RFC 9293, section 3.10.7.4). Had it already closed, the peer would have received a RST instead of a clean close.',
      '处于 LAST_ACK 状态的对方没有收到 ACK，所以重传了 FIN。这正是 TIME_WAIT 要等待的情况：本端仍然记得这个连接，再次确认 FIN，并重新开始 2MSL 超时（RFC 9293 第 3.10.7.4 节）。如果它已经关闭，对方收到的将是 RST，而不是正常的关闭。'),
  },
  {
    id: 'tw-reasons', kind: 'multi', topic: 'time-wait', level: 3,
    prompt: all(l('Which of these are reasons for TIME_WAIT?', '下列哪些是设置 TIME_WAIT 状态的原因？')),
    options: o(
      l('To be able to acknowledge the peer\'s FIN again if the final ACK is lost', '如果最后一个 ACK 丢失，能够再次确认对方的 FIN'),
      l('To let old duplicate segments of this connection expire before the same connection can be opened again', '让这个连接旧的重复报文段失效，之后才能再次建立相同的连接'),
      l('To receive the rest of the peer\'s data', '接收对方剩余的数据'),
      l('To retransmit its own FIN', '重传自己的 FIN')),
    correct: ['a', 'b'],
    explanation: l(
      'Both correct reasons come from RFC 9293: a reliable close (the last ACK can be repeated) and a clean start for the next incarnation of the connection (segments live at most MSL, so 2MSL covers a segment and its answer). By the time an end is in TIME_WAIT its own FIN has been acknowledged and the peer\'s FIN, which comes after all the peer\'s data, has arrived.',
      '两个正确原因都来自 RFC 9293：可靠地关闭（最后一个 ACK 可以重发），以及让同一连接的下一次使用干净地开始（报文段最多存活 MSL，2MSL 覆盖一个报文段及其回应）。一端进入 TIME_WAIT 状态时，它自己的 FIN 已经被确认，而对方的 FIN（在对方所有数据之后）也已经到达。'),
  },
  {
    id: 'tw-duration', kind: 'single', topic: 'time-wait', level: 1,
    prompt: l('How long does an endpoint stay in TIME_WAIT?', '一端在 TIME_WAIT 状态停留多长时间？'),
    options: o(
      l('2MSL: twice the maximum segment lifetime', '2MSL：最长报文段寿命的两倍'),
      l('One round-trip time', '一个往返时间'),
      l('Until the peer sends RST', '直到对方发送 RST'),
      l('Until its application closes the socket', '直到它的应用程序关闭套接字')),
    correct: 'a',
    explanation: l(
      'MSL is the longest time a segment may survive in the network; RFC 9293 takes 2 minutes as an engineering choice, and many systems use a shorter value (Linux waits 60 seconds in all). Twice MSL lets a last segment and any answer to it both expire. In this game 2MSL is compressed to a few seconds.',
      'MSL 是报文段在网络中能存活的最长时间；RFC 9293 作为工程上的选择取 2 分钟，许多系统用更短的值（Linux 总共等待 60 秒）。两倍 MSL 可以让最后一个报文段和对它的回应都失效。在本游戏中，2MSL 被压缩为几秒钟。'),
  },

  // -------------------------------------------------------------------------------------
  // Simultaneous open
  // -------------------------------------------------------------------------------------
  {
    id: 'so-state', kind: 'single', topic: 'simultaneous-open', level: 3,
    prompt: l('Both ends send a SYN at the same moment and the SYNs cross on the wire. When the other end\'s SYN arrives at an end in SYN_SENT, which state does it enter?',
      '两端在同一时刻发送 SYN，两个 SYN 在线路上交叉。对方的 SYN 到达处于 SYN_SENT 状态的一端时，它进入什么状态？'),
    options: o(same('ESTABLISHED'), same('SYN_RECEIVED'), same('LISTEN'), same('CLOSING')),
    correct: 'b',
    explanation: l(
      'The arriving SYN carries no ACK, so the end\'s own SYN is still unacknowledged: it enters SYN_RECEIVED and answers with SYN+ACK (its SYN again, now acknowledging the other). When the other end\'s SYN+ACK arrives it enters ESTABLISHED (RFC 9293, figure 8).',
      '到达的 SYN 没有携带 ACK，本端自己的 SYN 仍未被确认：它进入 SYN_RECEIVED 状态，并回复 SYN+ACK（再次发送自己的 SYN，同时确认对方的 SYN）。对方的 SYN+ACK 到达后，它进入 ESTABLISHED 状态（RFC 9293 图 8）。'),
  },
  {
    id: 'so-count', kind: 'single', topic: 'simultaneous-open', level: 3,
    prompt: l('In a simultaneous open, how many segments are sent in all before both ends are ESTABLISHED?', '在同时打开中，两端都进入 ESTABLISHED 状态之前一共发送了几个报文段？'),
    options: o(l('Three', '三个'), l('Four', '四个'), l('Two', '两个'), l('Six', '六个')),
    correct: 'b',
    explanation: l(
      'Each end sends a SYN, and each answers the SYN it received with a SYN+ACK: four segments. Neither end is a listener, and neither end\'s SYN can ride on an ACK of the other\'s, because each sent its SYN before the other\'s arrived.',
      '每一端各发送一个 SYN，又各用一个 SYN+ACK 回答收到的 SYN：共四个报文段。两端都不是监听方；由于各自的 SYN 都是在对方的 SYN 到达之前发出的，谁的 SYN 都没法和对对方的确认合在一起。'),
  },
  {
    id: 'so-order', kind: 'order', topic: 'simultaneous-open', level: 3,
    prompt: l('In a simultaneous open, put the states of one end in order.', '在同时打开中，把其中一端经历的状态按顺序排列。'),
    items: o(same('ESTABLISHED'), same('SYN_SENT'), same('CLOSED'), same('SYN_RECEIVED')),
    answer: ['c', 'b', 'd', 'a'],
    explanation: l(
      'CLOSED → (sends SYN) SYN_SENT → (the other end\'s SYN arrives, without ACK) SYN_RECEIVED → (the other end\'s SYN+ACK arrives) ESTABLISHED. Unlike the usual handshake, SYN_RECEIVED is reached from SYN_SENT, not from LISTEN.',
      'CLOSED →（发送 SYN）SYN_SENT →（对方不带 ACK 的 SYN 到达）SYN_RECEIVED →（对方的 SYN+ACK 到达）ESTABLISHED。与普通握手不同，这里的 SYN_RECEIVED 状态是从 SYN_SENT 状态进入的，而不是从 LISTEN 状态。'),
  },

  // -------------------------------------------------------------------------------------
  // Simultaneous close
  // -------------------------------------------------------------------------------------
  {
    id: 'sc-closing', kind: 'single', topic: 'simultaneous-close', level: 2,
    prompt: l('Both ends send FIN before either FIN has arrived. When the other end\'s FIN reaches an end in FIN_WAIT_1, which state does it enter?',
      '两端都在对方的 FIN 到达之前发送了 FIN。对方的 FIN 到达处于 FIN_WAIT_1 状态的一端时，它进入什么状态？'),
    options: o(same('FIN_WAIT_2'), same('TIME_WAIT'), same('CLOSING'), same('CLOSE_WAIT')),
    correct: 'c',
    explanation: l(
      'In FIN_WAIT_1 the end\'s own FIN is not yet acknowledged. The arriving FIN carries no ACK of it (it was sent before our FIN arrived), so the end acknowledges the FIN and enters CLOSING, where it waits for the ACK of its own FIN.',
      '在 FIN_WAIT_1 状态，本端自己的 FIN 还没有被确认。到达的 FIN 并没有确认它（那个 FIN 是在我们的 FIN 到达之前发出的），所以本端确认这个 FIN 并进入 CLOSING 状态，等待对自己 FIN 的确认。'),
  },
  {
    id: 'sc-leave-closing', kind: 'single', topic: 'simultaneous-close', level: 3,
    prompt: l('An end is in CLOSING. What takes it to TIME_WAIT?', '一端处于 CLOSING 状态。什么使它进入 TIME_WAIT 状态？'),
    options: o(
      l('The ACK of its own FIN arrives', '对它自己 FIN 的确认到达'),
      l('The 2MSL timer expires', '2MSL 计时器到期'),
      l('It sends a second FIN', '它发送第二个 FIN'),
      l('A RST from the other end', '对方发来 RST')),
    correct: 'a',
    explanation: l(
      'CLOSING means both FINs have been sent and the other end\'s FIN has arrived; only the ACK of our own FIN is missing. When it arrives, the end enters TIME_WAIT and waits 2MSL. In a simultaneous close both ends do this, so both end in TIME_WAIT.',
      'CLOSING 状态表示两个 FIN 都已发送，且对方的 FIN 已经到达，只差对自己 FIN 的确认。确认到达后，本端进入 TIME_WAIT 状态并等待 2MSL。在同时关闭中两端都这样，所以两端最后都处于 TIME_WAIT 状态。'),
  },
  {
    id: 'sc-facts', kind: 'multi', topic: 'simultaneous-close', level: 3,
    prompt: all(l('In a simultaneous close, which of these are true?', '在同时关闭中，下列哪些说法正确？')),
    options: o(
      l('Both ends pass through CLOSING.', '两端都经历 CLOSING 状态。'),
      l('Both ends end in TIME_WAIT.', '两端最后都进入 TIME_WAIT 状态。'),
      l('Neither end passes through CLOSE_WAIT or LAST_ACK.', '两端都不经历 CLOSE_WAIT 和 LAST_ACK 状态。'),
      l('Only the client enters TIME_WAIT.', '只有客户端进入 TIME_WAIT 状态。')),
    correct: ['a', 'b', 'c'],
    explanation: l(
      'Each end goes ESTABLISHED → FIN_WAIT_1 (sends FIN) → CLOSING (the other FIN arrives) → TIME_WAIT (its FIN is acknowledged) → CLOSED. Both sent a first FIN, so both are active closers; CLOSE_WAIT and LAST_ACK belong to an end that received a FIN before sending one.',
      '每一端都经历 ESTABLISHED →（发送 FIN）FIN_WAIT_1 →（对方的 FIN 到达）CLOSING →（自己的 FIN 被确认）TIME_WAIT → CLOSED。两端都发送了第一个 FIN，所以都是主动关闭方；CLOSE_WAIT 和 LAST_ACK 状态属于在发送 FIN 之前先收到 FIN 的一端。'),
  },

  // -------------------------------------------------------------------------------------
  // RST
  // -------------------------------------------------------------------------------------
  {
    id: 'rst-closed-port', kind: 'single', topic: 'rst', level: 1,
    prompt: l('A client sends a SYN to a port on which no application listens. What does the server\'s TCP send back?', '客户端向一个没有应用程序监听的端口发送 SYN。服务器的 TCP 会回复什么？'),
    options: o(l('A RST: the connection is refused', 'RST：连接被拒绝'), same('SYN+ACK'), same('FIN'), l('An ACK without SYN', '不带 SYN 的 ACK')),
    correct: 'a',
    explanation: l(
      'With no listener there is no connection to synchronize, so TCP answers the SYN with a reset (RST+ACK, acknowledging the SYN so the client can trust it). The client, in SYN_SENT, goes back to CLOSED and its application is told "connection refused".',
      '没有程序监听，就没有可以同步的连接，所以 TCP 用复位报文段回答这个 SYN（RST+ACK，确认该 SYN，让客户端可以相信它）。处于 SYN_SENT 状态的客户端回到 CLOSED 状态，它的应用程序得到“连接被拒绝”的错误。'),
  },
  {
    id: 'rst-vs-fin', kind: 'single', topic: 'rst', level: 2,
    prompt: l('How does ending a connection with RST differ from closing it with FIN?', '用 RST 结束连接与用 FIN 关闭连接有什么不同？'),
    options: o(
      l('RST aborts at once: it is not acknowledged, both ends drop the connection without TIME_WAIT, and data not yet delivered may be lost. FIN closes one direction gracefully, after all the data sent before it.',
        'RST 立即中止连接：它不被确认，两端都不经过 TIME_WAIT 直接丢弃连接，尚未交付的数据可能丢失。FIN 在之前发送的全部数据之后，正常地关闭一个方向。'),
      l('RST is just a faster FIN: the same data arrives.', 'RST 只是更快的 FIN，收到的数据完全一样。'),
      l('RST closes only one direction, like FIN.', 'RST 像 FIN 一样只关闭一个方向。'),
      l('RST must be answered with an ACK.', 'RST 必须用 ACK 来回答。')),
    correct: 'a',
    explanation: l(
      'A RST says "this connection no longer exists". The receiver checks that it belongs to the connection (its seq is in the window), then closes at once and discards queued data; nobody acknowledges a RST and nobody waits in TIME_WAIT. A FIN is an orderly end of one direction: it arrives after the data before it, it is acknowledged, and the other direction stays open.',
      'RST 表示“这个连接已经不存在了”。接收方检查它属于这个连接（序号在窗口内）后，立即关闭连接，并丢弃排队的数据；没有人确认 RST，也没有人在 TIME_WAIT 状态等待。FIN 是一个方向的有序结束：它在之前的数据之后到达，要被确认，而另一个方向仍然打开。'),
  },
  {
    id: 'rst-when', kind: 'multi', topic: 'rst', level: 2,
    prompt: all(l('When does a TCP send a RST?', 'TCP 在什么情况下发送 RST？')),
    options: o(
      l('A SYN arrives for a port on which nothing listens.', '一个 SYN 到达了没有程序监听的端口。'),
      l('Its application aborts the connection.', '它的应用程序中止了连接。'),
      l('At the end of every normal close, to finish it off.', '每次正常关闭的最后，用来收尾。'),
      l('A segment arrives for a connection that no longer exists.', '一个报文段到达，而它所属的连接已经不存在。')),
    correct: ['a', 'b', 'd'],
    explanation: l(
      'RST answers what cannot be accepted: a SYN with no listener, or any segment for a connection this end does not have (for example after a crash). An application may also abort, which sends a RST instead of a FIN. A normal close needs no RST: it ends with the last ACK.',
      'RST 用来回答无法接受的报文段：没有监听者的 SYN，或者属于本端并不存在的连接的任何报文段（例如崩溃重启之后）。应用程序也可以中止连接，这时发送的是 RST 而不是 FIN。正常关闭不需要 RST：它以最后一个 ACK 结束。'),
  },

  // -------------------------------------------------------------------------------------
  // Half-close: data still flows towards the end that sent FIN
  // -------------------------------------------------------------------------------------
  {
    id: 'hc-server-still-sends', kind: 'single', topic: 'half-close', level: 2,
    prompt: l('The client has sent its FIN and the server has acknowledged it (client in FIN_WAIT_2, server in CLOSE_WAIT). The server still has data for the client. What happens?',
      '客户端已经发送 FIN，服务器也已确认（客户端处于 FIN_WAIT_2 状态，服务器处于 CLOSE_WAIT 状态）。服务器还有数据要发给客户端。会怎样？'),
    options: o(
      l('The server sends it; the client receives and acknowledges it in FIN_WAIT_2. The server sends its FIN when it has finished.', '服务器照常发送；客户端在 FIN_WAIT_2 状态接收并确认。服务器发送完毕后再发送自己的 FIN。'),
      l('The server must send its FIN first and the data after it.', '服务器必须先发送 FIN，再发送数据。'),
      l('The server must open a new connection to send it.', '服务器必须建立一个新连接来发送。'),
      l('The client answers the data with RST, because it has closed.', '客户端已经关闭，所以用 RST 回答这些数据。')),
    correct: 'a',
    explanation: l(
      'This is a half-close: the client\'s FIN closed only the client-to-server direction. Data keeps flowing from the server to the client during the teardown, in CLOSE_WAIT, and the client accepts it in FIN_WAIT_1 or FIN_WAIT_2. Nothing may follow a FIN from its own sender, so the server sends its FIN last.',
      '这就是半关闭：客户端的 FIN 只关闭了客户端到服务器的方向。在连接释放（挥手）过程中，数据仍然从服务器流向客户端：服务器在 CLOSE_WAIT 状态发送，客户端在 FIN_WAIT_1 或 FIN_WAIT_2 状态接收。发送方在自己的 FIN 之后不能再发送内容，所以服务器最后才发送 FIN。'),
  },
  {
    id: 'hc-direction', kind: 'single', topic: 'half-close', level: 2,
    prompt: l('After the client\'s FIN has been acknowledged, which direction of the connection is closed?', '客户端的 FIN 被确认之后，连接的哪个方向关闭了？'),
    options: o(
      l('Only client to server; server to client stays open until the server\'s FIN', '只有客户端到服务器的方向；服务器到客户端的方向保持打开，直到服务器发送 FIN'),
      l('Both directions', '两个方向'),
      l('Only server to client', '只有服务器到客户端的方向'),
      l('Neither: a FIN only asks for permission to close', '都没有关闭：FIN 只是请求允许关闭')),
    correct: 'a',
    explanation: l(
      'TCP is full duplex and each direction is closed by its own FIN. The client has said it has finished sending; it still receives. The server\'s direction closes when the server\'s FIN is sent and acknowledged. That is why a teardown has two FINs.',
      'TCP 是全双工的，每个方向都由各自的 FIN 关闭。客户端表示自己已经发送完毕，但它仍然接收。服务器的方向要等服务器发送 FIN 并被确认后才关闭。这就是连接释放要有两个 FIN 的原因。'),
  },
  {
    id: 'hc-close-wait-may', kind: 'multi', topic: 'half-close', level: 3,
    prompt: all(l('The server is in CLOSE_WAIT. What may it still do?', '服务器处于 CLOSE_WAIT 状态。它还可以做什么？')),
    options: o(
      l('Send data to the client', '向客户端发送数据'),
      l('Send its FIN when its application closes', '在它的应用程序关闭时发送自己的 FIN'),
      l('Accept new bytes from the client that come after the client\'s FIN', '接收客户端在其 FIN 之后发来的新字节'),
      l('Retransmit data the client has not yet acknowledged', '重传客户端尚未确认的数据')),
    correct: ['a', 'b', 'd'],
    explanation: l(
      'In CLOSE_WAIT the server\'s own direction is fully open: it sends, retransmits what is unacknowledged, and closes with its FIN when its application is done. What ended is the client\'s direction: the client\'s FIN was its last number, so there are no client bytes after it to accept.',
      '在 CLOSE_WAIT 状态，服务器自己的方向完全打开：它可以发送数据、重传未被确认的数据，并在应用程序结束时用 FIN 关闭。结束的是客户端的方向：客户端的 FIN 是它的最后一个序号，之后不会再有客户端的字节可接收。'),
  },
  {
    id: 'hc-client-receives', kind: 'single', topic: 'half-close', level: 3,
    prompt: l('The client is in FIN_WAIT_2. A segment with 200 bytes of data arrives from the server. What does the client do?',
      '客户端处于 FIN_WAIT_2 状态。服务器发来一个携带 200 字节数据的报文段。客户端怎么做？'),
    options: o(
      l('It accepts the bytes, passes them to its application and acknowledges them; it stays in FIN_WAIT_2.', '接收这些字节，交给应用程序并确认；它仍处于 FIN_WAIT_2 状态。'),
      l('It drops them, because it has closed.', '丢弃它们，因为它已经关闭。'),
      l('It answers with RST.', '回复 RST。'),
      l('It enters TIME_WAIT.', '进入 TIME_WAIT 状态。')),
    correct: 'a',
    explanation: l(
      'FIN_WAIT_1 and FIN_WAIT_2 are receiving states (RFC 9293, section 3.10.7.4): the client closed only its sending direction. It processes the text as in ESTABLISHED, acknowledges it with ack = the next byte expected, and goes on waiting for the server\'s FIN. Only the server\'s FIN takes it to TIME_WAIT.',
      'FIN_WAIT_1 和 FIN_WAIT_2 状态都可以接收数据（RFC 9293 第 3.10.7.4 节）：客户端只关闭了自己的发送方向。它像在 ESTABLISHED 状态一样处理数据，用 ack = 期望的下一个字节进行确认，并继续等待服务器的 FIN。只有服务器的 FIN 才使它进入 TIME_WAIT 状态。'),
  },

  // -------------------------------------------------------------------------------------
  // seq / ack arithmetic
  // -------------------------------------------------------------------------------------
  {
    id: 'sa-syn-counts', kind: 'single', topic: 'seq-ack', level: 1,
    prompt: l('A client\'s SYN has sequence number 1000. After the handshake, what sequence number does its first byte of data have?', '客户端 SYN 的序号是 1000。握手完成后，它的第一个数据字节的序号是多少？'),
    options: o(same('1000'), same('1001'), same('0'), same('1')),
    correct: 'b',
    explanation: l(
      'The SYN occupies one sequence number, 1000, as if it were one byte. So the data starts at 1001, and the server\'s SYN+ACK acknowledges 1001: the next byte it expects.',
      'SYN 像一个字节一样占用一个序号 1000，所以数据从 1001 开始，服务器的 SYN+ACK 确认的也是 1001，即它期望的下一个字节。'),
  },
  {
    id: 'sa-ack-meaning', kind: 'single', topic: 'seq-ack', level: 1,
    prompt: l('What does the acknowledgment number in a segment mean?', '报文段中的确认号表示什么？'),
    options: o(
      l('The sequence number of the next byte the sender expects to receive', '发送方期望收到的下一个字节的序号'),
      l('The sequence number of the last byte received', '最后收到的那个字节的序号'),
      l('How many segments have been received', '已经收到了多少个报文段'),
      l('The sender\'s own next sequence number', '发送方自己的下一个序号')),
    correct: 'a',
    explanation: l(
      'TCP acknowledgments are cumulative and point forward: ack = n means "I have everything before n; send me n next" (RCV.NXT). After bytes 101–110 arrive, the ack is 111, not 110.',
      'TCP 的确认是累积的，并且指向下一个：ack = n 表示“n 之前的我都收到了，接下来请发 n”（RCV.NXT）。收到第 101–110 号字节后，确认号是 111，而不是 110。'),
  },
  {
    id: 'sa-fin-counts', kind: 'single', topic: 'seq-ack', level: 2,
    prompt: l('The client\'s FIN has sequence number 5000. What acknowledgment number does the server\'s ACK of it carry?', '客户端 FIN 的序号是 5000。服务器确认它的 ACK 携带的确认号是多少？'),
    options: o(same('5000'), same('5001'), same('5002'), same('4999')),
    correct: 'b',
    explanation: l(
      'A FIN occupies one sequence number, like the SYN: the FIN is number 5000, so the next number the server expects is 5001. An ack of 5000 would say the FIN had not arrived.',
      'FIN 和 SYN 一样占用一个序号：FIN 的序号是 5000，所以服务器期望的下一个序号是 5001。确认号为 5000 则表示 FIN 还没有收到。'),
  },
  {
    id: 'sa-what-counts', kind: 'multi', topic: 'seq-ack', level: 2,
    prompt: all(l('Which of these occupy sequence numbers?', '下列哪些会占用序号？')),
    options: o(same('SYN'), same('FIN'), l('Each byte of data', '每个数据字节'), l('A pure ACK, carrying only an acknowledgment', '只携带确认的纯 ACK')),
    correct: ['a', 'b', 'c'],
    explanation: l(
      'Sequence space counts what must be delivered reliably: every data byte, plus one for the SYN and one for the FIN, so that each can be acknowledged and retransmitted. A pure ACK is never acknowledged and takes no number: the next segment carries the same seq.',
      '序号空间计算的是需要可靠交付的内容：每个数据字节，再加上 SYN 和 FIN 各一个，这样它们都能被确认和重传。纯 ACK 从不被确认，也不占用序号：下一个报文段仍使用相同的序号。'),
  },
  {
    id: 'sa-wrap', kind: 'single', topic: 'seq-ack', level: 3,
    prompt: l('A client\'s ISN is 4294967295 (2^32 − 1). What acknowledgment number does the server\'s SYN+ACK carry?', '客户端的 ISN 是 4294967295（2^32 − 1）。服务器的 SYN+ACK 携带的确认号是多少？'),
    options: o(same('4294967296'), same('0'), same('1'), same('4294967295')),
    correct: 'b',
    explanation: l(
      'Sequence numbers are 32-bit and wrap modulo 2^32 (RFC 9293, section 3.4). The SYN takes 4294967295; the next number is 4294967295 + 1 = 2^32, which wraps to 0. 4294967296 does not fit in the field at all.',
      '序号是 32 位的，按 2^32 取模回绕（RFC 9293 第 3.4 节）。SYN 占用 4294967295；下一个序号是 4294967295 + 1 = 2^32，回绕为 0。4294967296 根本放不进这个字段。'),
  },

  // -------------------------------------------------------------------------------------
  // HTTP over TCP
  // -------------------------------------------------------------------------------------
  {
    id: 'http-many-requests', kind: 'single', topic: 'http', level: 2,
    prompt: l('Over HTTP/1.1, a browser loads a page and then fetches three more files from the same server, one after another. How many TCP handshakes does that need at the least?',
      '浏览器通过 HTTP/1.1 加载一个网页，然后依次从同一台服务器再获取三个文件。这至少需要几次 TCP 握手？'),
    options: o(l('One', '一次'), l('Four', '四次'), l('Two', '两次'), l('Eight', '八次')),
    correct: 'a',
    explanation: l(
      'HTTP/1.1 connections are persistent by default: after a response the TCP connection stays open and the next request goes over it. One connection can carry many requests and responses, so one handshake is enough (browsers may still open a few connections in parallel). Closing after every response was HTTP/1.0\'s default.',
      'HTTP/1.1 的连接默认是持久连接：一个响应之后 TCP 连接保持打开，下一个请求继续使用它。一个连接可以承载许多请求和响应，所以一次握手就够了（浏览器仍可能并行打开几个连接）。每个响应之后就关闭连接，是 HTTP/1.0 的默认做法。'),
  },
  {
    id: 'http-close', kind: 'single', topic: 'http', level: 2,
    prompt: l('When is an HTTP/1.1 connection closed after a response?', 'HTTP/1.1 连接在响应之后什么时候关闭？'),
    options: o(
      l('After every response', '每个响应之后'),
      l('When the client or the server sends Connection: close, or one side decides to close (for example after an idle timeout); otherwise it stays open for more requests', '当客户端或服务器发送 Connection: close，或者某一方决定关闭（例如空闲超时）时；否则连接保持打开，继续处理更多请求'),
      l('Only after exactly 100 requests', '正好 100 个请求之后'),
      l('Never: HTTP/1.1 connections cannot be closed', '从不关闭：HTTP/1.1 连接无法关闭')),
    correct: 'b',
    explanation: l(
      'In HTTP/1.1 a connection is persistent unless a message says Connection: close (RFC 9112, section 9.3). Either side may also close an idle connection. The close itself is an ordinary TCP teardown, started by whichever end closes first.',
      '在 HTTP/1.1 中，除非某个报文声明 Connection: close，否则连接是持久的（RFC 9112 第 9.3 节）。任何一方也可以关闭空闲的连接。关闭本身就是一次普通的 TCP 连接释放，由先关闭的一端发起。'),
  },
  {
    id: 'http-10', kind: 'single', topic: 'http', level: 3,
    prompt: l('A handout says: "HTTP closes the TCP connection after each response." Which HTTP does that describe?', '一份讲义写道：“HTTP 在每个响应之后关闭 TCP 连接。”这描述的是哪种 HTTP？'),
    options: o(
      l('HTTP/1.1 by default', '默认的 HTTP/1.1'),
      l('HTTP/1.0 by default (without keep-alive); HTTP/1.1 keeps the connection open unless Connection: close', '默认的 HTTP/1.0（不使用 keep-alive）；HTTP/1.1 除非有 Connection: close，否则保持连接打开'),
      l('Every version of HTTP', '所有版本的 HTTP'),
      l('WebSocket', 'WebSocket')),
    correct: 'b',
    explanation: l(
      'HTTP/1.0 opened a connection per request and closed it after the response, unless both sides agreed on keep-alive. HTTP/1.1 made persistent connections the default, and the handout describes the old behaviour. Reusing the connection saves a handshake (and a teardown) per request.',
      'HTTP/1.0 每个请求打开一个连接，响应之后就关闭，除非双方约定了 keep-alive。HTTP/1.1 把持久连接作为默认，讲义描述的是旧的行为。复用连接可以为每个请求省去一次握手（和一次连接释放）。'),
  },
  {
    id: 'http-facts', kind: 'multi', topic: 'http', level: 2,
    prompt: all(l('Which of these are true of HTTP/1.1 over TCP?', '关于基于 TCP 的 HTTP/1.1，下列哪些说法正确？')),
    options: o(
      l('One TCP connection can carry many requests and responses.', '一个 TCP 连接可以承载许多请求和响应。'),
      l('The three-way handshake happens once per connection, not once per request.', '三次握手是每个连接一次，而不是每个请求一次。'),
      l('Every request needs a new three-way handshake.', '每个请求都需要一次新的三次握手。'),
      l('A Connection: close header asks for the connection to be closed after that response.', 'Connection: close 首部要求在该响应之后关闭连接。')),
    correct: ['a', 'b', 'd'],
    explanation: l(
      'HTTP is carried by TCP: the handshake opens a connection, and HTTP/1.1 then sends request after request over it. Only Connection: close (or a timeout, or an error) ends it, with a normal teardown.',
      'HTTP 由 TCP 承载：握手建立连接，之后 HTTP/1.1 在这个连接上一个接一个地发送请求。只有 Connection: close（或者超时、出错）才会结束它，并通过正常的连接释放来关闭。'),
  },
  {
    id: 'http-close-time-wait', kind: 'single', topic: 'http', level: 3,
    prompt: l('An HTTP/1.1 server answers with Connection: close and closes the connection right after the response. Which end sends the first FIN, and which end ends in TIME_WAIT?',
      '一台 HTTP/1.1 服务器在响应中带上 Connection: close，并在响应之后立即关闭连接。哪一端发送第一个 FIN，哪一端最后处于 TIME_WAIT 状态？'),
    options: o(
      l('The server sends the first FIN, and the server ends in TIME_WAIT', '服务器发送第一个 FIN，服务器最后处于 TIME_WAIT 状态'),
      l('The client sends the first FIN, and the client ends in TIME_WAIT', '客户端发送第一个 FIN，客户端最后处于 TIME_WAIT 状态'),
      l('The server sends the first FIN, and the client ends in TIME_WAIT', '服务器发送第一个 FIN，客户端最后处于 TIME_WAIT 状态'),
      l('Neither: HTTP always closes with RST', '都不是：HTTP 总是用 RST 关闭')),
    correct: 'a',
    explanation: l(
      'Whoever closes first sends the first FIN and is the one that waits in TIME_WAIT. Here that is the server, which is why busy web servers can hold many connections in TIME_WAIT. The client receives the FIN in ESTABLISHED and goes CLOSE_WAIT → LAST_ACK → CLOSED.',
      '谁先关闭，谁就发送第一个 FIN，也就是在 TIME_WAIT 状态等待的一端。这里是服务器，所以繁忙的 Web 服务器上会有很多处于 TIME_WAIT 状态的连接。客户端在 ESTABLISHED 状态收到 FIN，之后经历 CLOSE_WAIT → LAST_ACK → CLOSED。'),
  },
  {
    id: 'http-order', kind: 'order', topic: 'http', level: 2,
    prompt: l('A client opens a new TCP connection and makes one HTTP/1.1 request. Put the segments in order.', '客户端建立一个新的 TCP 连接并发出一个 HTTP/1.1 请求。把这些报文段按顺序排列。'),
    items: o(
      l('The server sends the response (HTTP/1.1 200 OK)', '服务器发送响应（HTTP/1.1 200 OK）'),
      l('The client sends SYN', '客户端发送 SYN'),
      l('The client sends the GET request', '客户端发送 GET 请求'),
      l('The server sends SYN+ACK', '服务器发送 SYN+ACK'),
      l('The client sends ACK', '客户端发送 ACK')),
    answer: ['b', 'd', 'e', 'c', 'a'],
    replay: {
      start: 'listen',
      segments: {
        a: { from: 'server', flags: ['ACK', 'PSH'], len: 512 }, b: { from: 'client', flags: ['SYN'] },
        c: { from: 'client', flags: ['ACK', 'PSH'], len: 78 }, d: { from: 'server', flags: ['SYN', 'ACK'] },
        e: { from: 'client', flags: ['ACK'] },
      },
      end: { client: 'ESTABLISHED', server: 'ESTABLISHED' },
    },
    explanation: l(
      'HTTP runs on an open TCP connection: first the three-way handshake, then the request travels as data from the client, then the response as data from the server. Afterwards the connection stays ESTABLISHED for the next request; HTTP/1.1 closes it only on Connection: close or a timeout. (The client may put the request on the handshake\'s ACK; here they are separate.)',
      'HTTP 运行在已建立的 TCP 连接上：先进行三次握手，然后请求作为客户端的数据发送，响应作为服务器的数据返回。之后连接保持 ESTABLISHED 状态，供下一个请求使用；HTTP/1.1 只有在 Connection: close 或超时时才关闭它。（客户端也可以把请求放在握手的 ACK 中；这里把它们分开。）'),
  },

  // -------------------------------------------------------------------------------------
  // WebSocket
  // -------------------------------------------------------------------------------------
  {
    id: 'ws-upgrade', kind: 'single', topic: 'websocket', level: 2,
    prompt: l('How does a browser open a WebSocket connection?', '浏览器如何建立 WebSocket 连接？'),
    options: o(
      l('It sends an HTTP/1.1 GET with Upgrade: websocket and Connection: Upgrade; the server answers 101 Switching Protocols, and WebSocket frames then flow over that same TCP connection.',
        '它发送一个带有 Upgrade: websocket 和 Connection: Upgrade 的 HTTP/1.1 GET 请求；服务器回复 101 Switching Protocols，之后 WebSocket 帧就在同一个 TCP 连接上传输。'),
      l('It opens a special UDP socket.', '它打开一个特殊的 UDP 套接字。'),
      l('It sends a TCP segment with a WebSocket flag set.', '它发送一个设置了 WebSocket 标志位的 TCP 报文段。'),
      l('It opens a second TCP connection after the HTTP response.', '它在 HTTP 响应之后再建立第二个 TCP 连接。')),
    correct: 'a',
    explanation: l(
      'The WebSocket opening handshake (RFC 6455) is an HTTP/1.1 Upgrade request on an ordinary TCP connection. The server agrees with 101 Switching Protocols, and from then on the same connection carries WebSocket frames in both directions. TCP has no WebSocket flag; WebSocket is an application protocol above TCP.',
      'WebSocket 的打开握手（RFC 6455）是在普通 TCP 连接上发送的一个 HTTP/1.1 Upgrade 请求。服务器用 101 Switching Protocols 表示同意，此后同一个连接双向传输 WebSocket 帧。TCP 没有 WebSocket 标志位；WebSocket 是 TCP 之上的应用层协议。'),
  },
  {
    id: 'ws-status', kind: 'single', topic: 'websocket', level: 1,
    prompt: l('Which HTTP status does a server send to accept a WebSocket upgrade?', '服务器接受 WebSocket 升级时发送哪个 HTTP 状态码？'),
    options: o(same('200 OK'), same('101 Switching Protocols'), same('301 Moved Permanently'), same('426 Upgrade Required')),
    correct: 'b',
    explanation: l(
      '101 Switching Protocols says: the protocol on this connection changes now, to the one named in the Upgrade header. Any other status means the upgrade did not happen and the connection is still speaking HTTP. 426 is the opposite case: the server demands that the client upgrade.',
      '101 Switching Protocols 表示：这个连接上的协议从现在起换成 Upgrade 首部中指定的协议。其他任何状态码都表示没有升级，连接上仍然是 HTTP。426 正好相反：服务器要求客户端进行升级。'),
  },
  {
    id: 'ws-same-connection', kind: 'single', topic: 'websocket', level: 2,
    prompt: l('After the server\'s 101 Switching Protocols, which TCP connection carries the WebSocket messages?', '服务器回复 101 Switching Protocols 之后，WebSocket 消息由哪个 TCP 连接承载？'),
    options: o(
      l('The same TCP connection that carried the upgrade request: there is no new handshake', '就是承载升级请求的那个 TCP 连接：不需要新的握手'),
      l('A new TCP connection for each message', '每条消息一个新的 TCP 连接'),
      l('A new connection that the server opens back to the client', '服务器反向向客户端建立的新连接'),
      l('A UDP flow between the same ports', '相同端口之间的 UDP 数据流')),
    correct: 'a',
    explanation: l(
      'The upgrade switches the protocol spoken on the existing connection. The TCP connection opened by one three-way handshake stays ESTABLISHED for the whole WebSocket session, which is why WebSocket suits long-lived, two-way messaging such as this game.',
      '升级切换的是已有连接上使用的协议。由一次三次握手建立的 TCP 连接在整个 WebSocket 会话期间一直处于 ESTABLISHED 状态，所以 WebSocket 适合长时间、双向的消息通信，比如本游戏。'),
  },
  {
    id: 'ws-order', kind: 'order', topic: 'websocket', level: 2,
    prompt: l('Put the steps of opening a WebSocket in order.', '把建立 WebSocket 的步骤按顺序排列。'),
    items: o(
      l('The server answers 101 Switching Protocols', '服务器回复 101 Switching Protocols'),
      l('The TCP three-way handshake', 'TCP 三次握手'),
      l('Both ends exchange WebSocket frames over the same connection', '双方在同一连接上交换 WebSocket 帧'),
      l('The client sends an HTTP/1.1 GET with Upgrade: websocket', '客户端发送带有 Upgrade: websocket 的 HTTP/1.1 GET 请求')),
    answer: ['b', 'd', 'a', 'c'],
    explanation: l(
      'TCP first (SYN, SYN+ACK, ACK), then the HTTP/1.1 Upgrade request as data, then the 101 answer, and from then on WebSocket frames over the same connection, in either direction at any time.',
      '先建立 TCP 连接（SYN、SYN+ACK、ACK），然后作为数据发送 HTTP/1.1 Upgrade 请求，再收到 101 应答，此后双方可以随时在同一个连接上双向发送 WebSocket 帧。'),
  },
  {
    id: 'ws-facts', kind: 'multi', topic: 'websocket', level: 3,
    prompt: all(l('Which of these are true of WebSocket?', '关于 WebSocket，下列哪些说法正确？')),
    options: o(
      l('Opening one takes one TCP handshake and one HTTP request and response (plus a TLS handshake for wss:).', '建立它需要一次 TCP 握手和一次 HTTP 请求与响应（使用 wss: 时还要一次 TLS 握手）。'),
      l('After the 101, either end may send a message at any time.', '收到 101 之后，任何一端都可以随时发送消息。'),
      l('Each message opens a new TCP connection.', '每条消息都要建立一个新的 TCP 连接。'),
      l('It starts as HTTP/1.1 and switches protocols on the same connection.', '它以 HTTP/1.1 开始，并在同一个连接上切换协议。')),
    correct: ['a', 'b', 'd'],
    explanation: l(
      'WebSocket reuses HTTP/1.1\'s Upgrade mechanism to start, then leaves HTTP\'s request/response pattern behind: both ends send frames whenever they like over the one TCP connection. It ends with a WebSocket close frame and then an ordinary TCP teardown.',
      'WebSocket 借助 HTTP/1.1 的 Upgrade 机制开始，之后就不再使用 HTTP 的请求/响应模式：双方随时在这一个 TCP 连接上发送帧。结束时先发送 WebSocket 关闭帧，然后进行普通的 TCP 连接释放。'),
  },
];
