/** What can be wrong with a capture file, as stable codes (conventions habit 5) and readable messages. */

/** The largest capture readCapture accepts (8 MiB): a classroom capture is a few KB. */
export const MAX_CAPTURE_BYTES = 8 * 1024 * 1024;

/** Every code readCapture and streamTrace answer with when they cannot do what was asked. */
export const CAPTURE_ERRORS = {
  /** More than MAX_CAPTURE_BYTES. */
  tooLarge: 'capture/too-large',
  /** Not a pcap or pcapng file: the first four bytes are no magic number we know. */
  badMagic: 'capture/bad-magic',
  /** The file ends inside a header, a record or a block: it was cut short, or a length points past its end. */
  truncated: 'capture/truncated',
  /** A file or section header we cannot read: an unknown version, a bad byte-order mark. */
  badHeader: 'capture/bad-header',
  /** A pcapng block whose lengths are impossible: zero or below 12, not a multiple of 4, the two copies differ, contents longer than the block. */
  badBlock: 'capture/bad-block',
  /** A packet record that breaks its header's promises: longer than the snap length, or on an interface the file never described. */
  badPacket: 'capture/bad-packet',
  /** The file is readable but holds no TCP segment we could decode. */
  noTcp: 'capture/no-tcp',
  /** streamTrace: there is no stream with that number. */
  noStream: 'capture/no-stream',
  /** streamTrace: the stream's first segment is not the client's SYN, so there is no opening to judge from. */
  midConnection: 'capture/mid-connection',
  /** A bug in the reader (an exception it did not expect). Never expected; the fuzz test checks it never appears. */
  internal: 'capture/internal',
} as const;
/** One of the codes in CAPTURE_ERRORS. */
export type CaptureErrorCode = (typeof CAPTURE_ERRORS)[keyof typeof CAPTURE_ERRORS];
/** Every code, as a list (for checks such as the fuzz test's). */
export const CAPTURE_ERROR_CODE_VALUES = Object.values(CAPTURE_ERRORS) as CaptureErrorCode[];

/** A refusal: a code for programs, a sentence for people. */
export interface CaptureError {
  ok: false;
  code: CaptureErrorCode;
  message: string;
}

/** Builds a refusal. */
export function captureError(code: CaptureErrorCode, message: string): CaptureError {
  return { ok: false, code, message };
}
