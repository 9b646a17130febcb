/** The zod pieces every schema that carries a TCP segment shares: the trace format, the log, the protocol, the views. */
import { z } from 'zod';
import { FLAGS } from './types.ts';

/** An unsigned 32-bit number: a sequence or acknowledgment number. */
export const u32Schema = z.number().int().min(0).max(0xffffffff);
/** One end of the connection. */
export const sideSchema = z.enum(['client', 'server']);
/** A segment's flags: any combination, each at most once. */
export const flagSetSchema = z.array(z.enum(FLAGS)).max(FLAGS.length).refine((f) => new Set(f).size === f.length, 'flags repeat');
