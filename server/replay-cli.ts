/**
 * `npm run --silent replay -- FILE`: judge a TCP trace, or a connection in a pcap/pcapng
 * capture, with the shared state machine. Prints one JSON line per step; exits 0 if every
 * step was legal, 1 if any was not, 2 if the file cannot be read, is not a valid trace, or
 * its capture cannot be converted (one line on stderr says why).
 *
 * For a capture (recognised by its magic number, whatever the file is called):
 *   --stream N   judge connection N (Wireshark's tcp.stream; default 0)
 *   --list       one JSON line per connection: endpoints, packets, how it ends, whether it is legal
 *   --trace      print the converted trace (format v1) instead of judging it
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { CAPTURE_ERRORS, MAX_CAPTURE_BYTES, hasCaptureMagic, readCapture, streamTrace, type Capture } from '../shared/capture/capture.ts';
import { parseTrace, replayTrace, type Trace } from '../shared/tcp/trace.ts';

const USAGE = 'usage: npm run --silent replay -- FILE [--stream N] [--list | --trace]';

interface Options { file: string; stream: number; list: boolean; trace: boolean; captureOnly: string[] }

/** The command line, or a one-line complaint. */
function parseArgs(argv: string[]): Options | string {
  const o: Options = { file: '', stream: 0, list: false, trace: false, captureOnly: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--list') { o.list = true; o.captureOnly.push(a); }
    else if (a === '--trace') { o.trace = true; o.captureOnly.push(a); }
    else if (a === '--stream' || a.startsWith('--stream=')) {
      const v = a === '--stream' ? argv[++i] : a.slice('--stream='.length);
      if (v === undefined || !/^\d+$/.test(v)) return `--stream needs a stream number (0, 1, …), not ${v === undefined ? 'nothing' : JSON.stringify(v)}`;
      o.stream = Number(v);
      o.captureOnly.push('--stream');
    } else if (a.startsWith('--')) return `unknown option ${a}`;
    else if (o.file) return `one file at a time (${o.file}, ${a})`;
    else o.file = a;
  }
  if (!o.file) return USAGE;
  if (o.list && o.trace) return '--list and --trace do not go together';
  return o;
}

/** The file's bytes and size; a capture larger than the limit is not read past its magic number. */
function readBytes(file: string): { bytes: Uint8Array; size: number } {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = new Uint8Array(Math.min(size, 4));
    readSync(fd, head, 0, head.length, 0);
    const n = size > MAX_CAPTURE_BYTES && hasCaptureMagic(head) ? MAX_CAPTURE_BYTES + 1 : size;
    const bytes = new Uint8Array(n);
    let off = 0;
    while (off < n) {
      const got = readSync(fd, bytes, off, n - off, off);
      if (got === 0) break;
      off += got;
    }
    return { bytes: bytes.subarray(0, off), size };
  } finally {
    closeSync(fd);
  }
}

const print = (lines: unknown[]) => process.stdout.write(lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length ? '\n' : ''));

function main(argv: string[]): number {
  const opts = parseArgs(argv);
  if (typeof opts === 'string') {
    process.stderr.write(`${opts}\n${opts === USAGE ? '' : `${USAGE}\n`}`);
    return 2;
  }
  const { file } = opts;
  let bytes: Uint8Array;
  let size: number;
  try {
    ({ bytes, size } = readBytes(file));
  } catch (e) {
    process.stderr.write(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    return 2;
  }
  if (hasCaptureMagic(bytes)) {
    if (size > MAX_CAPTURE_BYTES) {
      process.stderr.write(`${file}: ${CAPTURE_ERRORS.tooLarge}: the capture is ${size} bytes; at most ${MAX_CAPTURE_BYTES} (8 MiB) are read: filter it first (e.g. tshark -r FILE -Y tcp.stream==0 -w small.pcapng)\n`);
      return 2;
    }
    return capture(file, bytes, opts);
  }
  if (opts.captureOnly.length) {
    const which = [...new Set(opts.captureOnly)];
    process.stderr.write(`${file}: ${which.join(', ')} ${which.length === 1 ? 'applies' : 'apply'} only to .pcap/.pcapng captures, and this is not one\n`);
    return 2;
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    process.stderr.write(`${file} is not JSON: ${(e as Error).message.split('\n')[0]}\n`);
    return 2;
  }
  const parsed = parseTrace(json);
  if (!parsed.ok) {
    process.stderr.write(`${file}: ${parsed.error}\n`);
    return 2;
  }
  const { lines } = replayTrace(parsed.trace);
  print(lines);
  return lines.every((l) => l.ok) ? 0 : 1;
}

function capture(file: string, bytes: Uint8Array, opts: Options): number {
  const read = readCapture(bytes);
  if (!read.ok) {
    process.stderr.write(`${file}: ${read.code}: ${read.message}\n`);
    return 2;
  }
  if (opts.list) {
    print(read.capture.streams.map((s) => listLine(read.capture, s.stream)));
    return 0;
  }
  const t = streamTrace(read.capture, opts.stream);
  if (!t.ok) {
    process.stderr.write(`${file}: ${t.code}: ${t.message}\n`);
    return 2;
  }
  if (opts.trace) {
    process.stdout.write(traceText(t.trace));
    return 0;
  }
  const { lines } = replayTrace(t.trace);
  print(lines);
  return lines.every((l) => l.ok) ? 0 : 1;
}

/** A trace as JSON people can read: one step a line. */
function traceText(trace: Trace): string {
  const { steps, ...head } = trace;
  const top = Object.entries(head).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},`);
  const body = steps.map((s, i) => `    ${JSON.stringify(s)}${i < steps.length - 1 ? ',' : ''}`);
  return ['{', ...top, '  "steps": [', ...body, '  ]', '}', ''].join('\n');
}

/** One line of --list: the stream, its ends and packets, and (when it converts) how the judged trace ends. */
function listLine(c: Capture, n: number): Record<string, unknown> {
  const s = c.streams[n];
  if (!s) return { stream: n };
  const base = { stream: s.stream, client: s.client, server: s.server, packets: s.packets, frames: [s.firstFrame, s.lastFrame], start: s.start };
  const t = streamTrace(c, n);
  if (!t.ok) return { ...base, code: t.code, message: t.message };
  const { lines, connection } = replayTrace(t.trace);
  const illegal = lines.filter((l) => !l.ok).length;
  return {
    ...base,
    steps: lines.length,
    legal: illegal === 0,
    ...(illegal ? { illegal } : {}),
    final: { client: connection.client.state, server: connection.server.state },
    ignored: t.ignored.map((i) => i.message),
  };
}

process.exitCode = main(process.argv.slice(2));
