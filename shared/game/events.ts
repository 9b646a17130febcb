/**
 * The schema of the room log's events (model.ts `RoomEvent`), so that the reducer can refuse
 * a malformed event instead of failing on it, and the server can check rows it reads back.
 */
import { z } from 'zod';
import { TIMING_LIMITS } from './timings.ts';
import { SCENARIO_IDS, type RoomEvent } from './model.ts';

import { flagSetSchema, sideSchema as side, u32Schema as u32 } from '../tcp/schema.ts';
const id = z.string().min(1).max(64);
const actor = z.union([z.literal('teacher'), z.literal('server'), z.templateLiteral(['seat:', z.string()])]);
/** A room's timings, each within TIMING_LIMITS (timings.ts). */
const timingsSchema = z.object({
  latencyMs: z.number().int().min(TIMING_LIMITS.latencyMs.min).max(TIMING_LIMITS.latencyMs.max),
  rtxMs: z.number().int().min(TIMING_LIMITS.rtxMs.min).max(TIMING_LIMITS.rtxMs.max),
  timeWaitMs: z.number().int().min(TIMING_LIMITS.timeWaitMs.min).max(TIMING_LIMITS.timeWaitMs.max),
});
const isnPair = z.object({ client: u32, server: u32 });

export const logSegmentSchema = z.object({
  from: side,
  flags: flagSetSchema,
  seq: u32,
  ack: u32,
  len: z.number().int().min(0).max(0x7fffffff),
});

export const roomEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('room/created'), code: z.string().min(1), kind: z.enum(['class', 'practice']), keyHash: z.string(), at: z.number().int().min(0),
    // The server's defaults as configured (tests shorten them past what a teacher may set).
    timings: z.object({ latencyMs: z.number().int().min(0), rtxMs: z.number().int().min(0), timeWaitMs: z.number().int().min(0) }).optional(),
  }),
  z.object({ type: z.literal('room/timings-set'), ...timingsSchema.shape, by: actor }),
  z.object({ type: z.literal('seat/joined'), seatId: id, nickname: z.string(), tokenHash: z.string().min(1), bot: z.literal(true).optional() }),
  z.object({ type: z.literal('seat/renamed'), seatId: id, nickname: z.string(), by: actor }),
  z.object({ type: z.literal('seat/removed'), seatId: id, by: actor }),
  z.object({ type: z.literal('pair/formed'), pairId: id, client: id, server: id, by: actor, isn: isnPair.optional() }),
  z.object({ type: z.literal('pair/swapped'), pairId: id, by: actor }),
  z.object({ type: z.literal('pair/dissolved'), pairId: id, by: actor }),
  z.object({
    type: z.literal('round/started'), scenario: z.enum(SCENARIO_IDS), level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    speedBonus: z.boolean(), isns: z.record(z.string(), isnPair), by: actor, hints: z.boolean().optional(),
  }),
  z.object({ type: z.literal('pair/restarted'), pairId: id, isn: isnPair, by: actor }),
  z.object({ type: z.literal('hint/given'), pairId: id, seatId: id }),
  z.object({ type: z.literal('round/paused'), by: actor }),
  z.object({ type: z.literal('round/resumed'), by: actor }),
  z.object({ type: z.literal('round/ended'), by: actor }),
  z.object({
    type: z.literal('move'), pairId: id, seatId: id, stateSeq: z.number().int().min(0), segment: logSegmentSchema,
    elapsedMs: z.number().min(0).optional(),
  }),
  z.object({ type: z.literal('wire/delivered'), pairId: id, from: side, id: z.number().int().min(0) }),
  z.object({ type: z.literal('wire/dropped'), pairId: id, from: side, id: z.number().int().min(0), by: actor }),
  z.object({ type: z.literal('timer/fired'), pairId: id, side, timer: z.enum(['rtx', 'time-wait']) }),
  z.object({ type: z.literal('room/locked'), by: actor }),
  z.object({ type: z.literal('room/unlocked'), by: actor }),
  z.object({ type: z.literal('room/closed'), by: actor }),
]) satisfies z.ZodType<RoomEvent, unknown>;
