import { describe, expect, it } from 'vitest';
import en from './en.ts';
import zhCN from './zh-CN.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the message catalogues', () => {
  it('have the same keys (TypeScript checks this too) and no empty message', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    // Each catalogue on its own: a merged object would hide an empty English message behind the Chinese one.
    for (const [name, cat] of [['en', en], ['zh-CN', zhCN]] as const) {
      for (const [k, v] of Object.entries(cat)) expect(v.trim(), `${name}: ${k}`).not.toBe('');
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
  });
});
