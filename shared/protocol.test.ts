import { describe, expect, it } from 'vitest';
import {
  CLIENT_MESSAGE_TYPES, CLOSE_CODES, ERROR_CODES, EXAMPLES, MAX_FRAME_BYTES, NICKNAME_MAX, PROTOCOL_VERSION,
  checkNickname, clientMessageSchema, normalizeRoomCode, parseClientMessage, serverMessageSchema, utf8Length,
} from './protocol.ts';

describe('examples', () => {
  it('has one example per client message type, and each parses through parseClientMessage', () => {
    expect(Object.keys(EXAMPLES.client).sort()).toEqual([...CLIENT_MESSAGE_TYPES].sort());
    for (const [type, example] of Object.entries(EXAMPLES.client)) {
      const r = parseClientMessage(JSON.stringify(example));
      expect(r, type).toEqual({ ok: true, msg: example });
      expect(clientMessageSchema.parse(example).type).toBe(type);
    }
  });

  it('every server example parses with the server message schema', () => {
    const types = new Set<string>();
    for (const [name, example] of Object.entries(EXAMPLES.server)) {
      const r = serverMessageSchema.safeParse(JSON.parse(JSON.stringify(example)));
      expect(r.success, `${name}: ${r.error?.message}`).toBe(true);
      types.add(example.type);
    }
    expect([...types].sort()).toEqual(['error', 'move/result', 'pong', 'teacher/update', 'view', 'welcome']);
  });
});

describe('parseClientMessage', () => {
  const move = JSON.stringify(EXAMPLES.client.move);

  it('refuses an oversize frame before looking at it', () => {
    const big = JSON.stringify({ type: 'ping', pad: 'x'.repeat(MAX_FRAME_BYTES) });
    expect(parseClientMessage(big)).toMatchObject({ ok: false, code: 'frame/too-large' });
    // Not JSON either, but size is checked first.
    expect(parseClientMessage('{'.repeat(MAX_FRAME_BYTES + 1))).toMatchObject({ ok: false, code: 'frame/too-large' });
  });

  it('counts UTF-8 bytes, not UTF-16 units', () => {
    expect(utf8Length('a')).toBe(1);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('中')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
    const nickname = '中'.repeat(Math.ceil(MAX_FRAME_BYTES / 3));
    const text = JSON.stringify({ type: 'join', v: PROTOCOL_VERSION, code: 'ABCDEF', nickname });
    expect(text.length).toBeLessThan(MAX_FRAME_BYTES * 2);
    expect(parseClientMessage(text)).toMatchObject({ ok: false, code: 'frame/too-large' });
  });

  it('refuses garbage as not JSON', () => {
    for (const t of ['', 'hello', '{"type":', '\u0000', "{'type':'ping'}"]) {
      expect(parseClientMessage(t), t).toMatchObject({ ok: false, code: 'frame/not-json' });
    }
  });

  it('refuses JSON that is not an object with a string type', () => {
    for (const t of ['null', '[]', '42', '"ping"', '{}', '{"type":1}', '[{"type":"ping"}]']) {
      expect(parseClientMessage(t), t).toMatchObject({ ok: false, code: 'frame/invalid' });
    }
  });

  it('refuses unknown types with their own code, naming them', () => {
    expect(parseClientMessage('{"type":"hack"}')).toMatchObject({ ok: false, code: 'message/unknown-type', ref: 'hack' });
    expect(parseClientMessage('{"type":"__proto__"}')).toMatchObject({ ok: false, code: 'message/unknown-type' });
    expect(parseClientMessage('{"type":"toString"}')).toMatchObject({ ok: false, code: 'message/unknown-type' });
  });

  it('refuses schema violations with frame/invalid and the message type as ref', () => {
    const bad = [
      { type: 'move', stateSeq: 1, segment: { flags: ['SYN', 'SYN'], seq: 1, ack: 0, len: 0 } },
      { type: 'move', stateSeq: 1, segment: { flags: ['NOPE'], seq: 1, ack: 0, len: 0 } },
      { type: 'move', stateSeq: 1, segment: { flags: ['SYN'], seq: -1, ack: 0, len: 0 } },
      { type: 'move', stateSeq: 1, segment: { flags: ['SYN'], seq: 2 ** 32, ack: 0, len: 0 } },
      { type: 'move', stateSeq: 1, segment: { flags: ['SYN'], seq: 1.5, ack: 0, len: 0 } },
      { type: 'move', stateSeq: 1, segment: { flags: ['ACK'], seq: 1, ack: 0, len: 100000 } },
      // The seat and side come from the connection: a message naming them is refused.
      { type: 'move', stateSeq: 1, seatId: 's2', segment: { flags: ['SYN'], seq: 1, ack: 0, len: 0 } },
      { type: 'move', stateSeq: 1, segment: { from: 'server', flags: ['SYN'], seq: 1, ack: 0, len: 0 } },
      { type: 'join', v: PROTOCOL_VERSION, code: 'ABCDEF' },
      { type: 'round/start', scenario: 'nope', level: 1, speedBonus: false },
      { type: 'round/start', scenario: 'lifecycle', level: 4, speedBonus: false },
      { type: 'pair/set', client: 's1' },
    ];
    for (const m of bad) {
      expect(parseClientMessage(JSON.stringify(m)), JSON.stringify(m)).toMatchObject({ ok: false, code: 'frame/invalid', ref: m.type });
    }
  });

  it('refuses another protocol version', () => {
    const r = parseClientMessage(JSON.stringify({ ...EXAMPLES.client.join, v: PROTOCOL_VERSION + 1 }));
    expect(r).toMatchObject({ ok: false, code: 'protocol/version', ref: 'join' });
  });

  it('accepts a valid move', () => {
    expect(parseClientMessage(move)).toMatchObject({ ok: true, msg: { type: 'move', stateSeq: 7 } });
  });
});

describe('code tables', () => {
  it('error codes are namespaced and unique', () => {
    const values = Object.values(ERROR_CODES);
    expect(new Set(values).size).toBe(values.length);
    for (const v of values) expect(v).toMatch(/^[a-z]+\/[a-z-]+$/);
  });
  it('close codes are application codes, unique, one of them for reconnecting', () => {
    const values = Object.values(CLOSE_CODES);
    expect(new Set(values).size).toBe(values.length);
    for (const v of values) expect(v >= 4000 && v <= 4999).toBe(true);
    expect(CLOSE_CODES['server/reconnect']).toBe(4000);
  });
});

describe('nicknames', () => {
  it('trims and accepts ordinary names, including Chinese', () => {
    expect(checkNickname('  Ada ', [])).toEqual({ ok: true, nickname: 'Ada' });
    expect(checkNickname('小明', [])).toEqual({ ok: true, nickname: '小明' });
    expect(checkNickname('Jean-Luc O\'Neil', [])).toMatchObject({ ok: true });
  });
  it('refuses empty ones', () => {
    for (const n of ['', '   ', '\t\n']) expect(checkNickname(n, []), JSON.stringify(n)).toMatchObject({ ok: false, code: 'nickname/empty' });
  });
  it('counts graphemes, not UTF-16 units (the rule is shared/nickname.ts; see its tests)', () => {
    expect(checkNickname('😀'.repeat(NICKNAME_MAX), [])).toMatchObject({ ok: true });
    expect(checkNickname('😀'.repeat(NICKNAME_MAX + 1), [])).toMatchObject({ ok: false, code: 'nickname/too-long' });
    expect(checkNickname('a'.repeat(NICKNAME_MAX + 1), [])).toMatchObject({ ok: false, code: 'nickname/too-long' });
  });
  it('refuses control and invisible characters', () => {
    for (const n of ['a\u0000b', 'a\nb', 'a\u0007', 'a\u200bb', 'a\u202eb', 'x\u2028y', '\ue000x']) {
      expect(checkNickname(n, []), JSON.stringify(n)).toMatchObject({ ok: false, code: 'nickname/bad-characters' });
    }
  });
  it('refuses a nickname taken case-insensitively', () => {
    expect(checkNickname('ada', ['Bob', 'ADA'])).toMatchObject({ ok: false, code: 'nickname/taken' });
    expect(checkNickname(' Bob ', ['bob'])).toMatchObject({ ok: false, code: 'nickname/taken' });
    expect(checkNickname('Bobby', ['bob'])).toMatchObject({ ok: true });
  });
});

it('normalizes typed room codes', () => {
  expect(normalizeRoomCode(' k7q-m2x ')).toBe('K7QM2X');
});
