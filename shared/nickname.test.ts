/** The nickname rule (shared/nickname.ts): length in graphemes, nothing invisible, no Zalgo, no look-alikes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NICKNAME_MAX, NICKNAME_MAX_UNITS } from './protocol-constants.ts';
import { approxGraphemes, checkNickname, graphemeLength, graphemes, looksAlike, MAX_MARKS_PER_LETTER, nicknameKey } from './nickname.ts';

const FAMILY = '👨\u200D👩\u200D👧';
const accepted = (name: string, taken: string[] = []) => expect(checkNickname(name, taken), JSON.stringify(name)).toMatchObject({ ok: true });
const refused = (name: string, code: string, taken: string[] = []) =>
  expect(checkNickname(name, taken), `${JSON.stringify(name)} beside ${JSON.stringify(taken)}`).toMatchObject({ ok: false, code });

describe('length, in graphemes', () => {
  it('counts what a reader counts', () => {
    expect(graphemeLength(FAMILY)).toBe(1);
    expect(FAMILY.length).toBe(8);
    expect(graphemeLength('é')).toBe(1);
    expect(graphemeLength('e\u0301')).toBe(1);
    expect(graphemeLength('🇨🇳')).toBe(1);
    expect(graphemeLength('张伟')).toBe(2);
    expect(graphemeLength('')).toBe(0);
  });

  it('allows an emoji family, and 20 graphemes but not 21', () => {
    accepted(FAMILY);
    accepted('😀'.repeat(NICKNAME_MAX));
    refused('😀'.repeat(NICKNAME_MAX + 1), 'nickname/too-long');
    accepted(FAMILY.repeat(NICKNAME_MAX));
    refused(FAMILY.repeat(NICKNAME_MAX + 1), 'nickname/too-long');
    accepted('a'.repeat(NICKNAME_MAX));
    refused('a'.repeat(NICKNAME_MAX + 1), 'nickname/too-long');
    accepted('é'.repeat(NICKNAME_MAX));
    accepted('e\u0301'.repeat(NICKNAME_MAX)); // stored NFC, 20 either way
  });

  it('fits 20 of the longest emoji the rule allows in the field the protocol carries', () => {
    const kiss = '🧑🏻\u200D❤️\u200D💋\u200D🧑🏼'; // four pictographs, two skin tones
    accepted(kiss.repeat(NICKNAME_MAX));
    expect(kiss.repeat(NICKNAME_MAX).length).toBeLessThanOrEqual(NICKNAME_MAX_UNITS);
    // A longer chain of ZWJs is one grapheme but shows as a row of emoji.
    refused(Array(5).fill('👨').join('\u200D'), 'nickname/bad-characters');
  });

  it('the fallback for browsers without Intl.Segmenter agrees on names people type', () => {
    for (const n of [FAMILY, 'Ada', '张伟', 'e\u0301', '🇨🇳🇫🇷', '🧑🏽\u200D💻', '1\uFE0F\u20E3', '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}', 'Nguyễn', 'عَلِيّ', '김민준']) {
      expect(approxGraphemes(n), n).toEqual(graphemes(n));
    }
  });
});

describe('allowed', () => {
  it('ordinary names in the scripts of the class, trimmed and stored NFC', () => {
    expect(checkNickname('  Ada ', [])).toEqual({ ok: true, nickname: 'Ada' });
    expect(checkNickname('Jose\u0301', [])).toEqual({ ok: true, nickname: 'José' });
    for (const n of ['张伟', '小明', 'é', 'Zoë', "O'Brien", 'O’Brien', 'Jean-Luc O\'Neil', 'Nguyễn Văn An', 'Ελένη', 'Мария', 'عَلِيّ', 'שָׁלוֹם', 'สมชาย', 'लक्ष्मी', '김민준', 'さくら', 'Ada Lin']) accepted(n);
  });

  it('emoji, including the invisible joiners they are made of', () => {
    for (const n of [FAMILY, '🏳️\u200D🌈', '🧑🏽\u200D💻', '👍🏽', '❤️', '1️⃣', '🇨🇳', '🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}', 'Ada 🚀']) accepted(n);
  });

  it('joiners where a script shapes with them, variation selectors on the letter they vary', () => {
    accepted('ශ්\u200Dරී'); // Sinhala "Sri"
    accepted('علی\u200Cرضا'); // Persian, with a zero-width non-joiner
    accepted('葛\u{E0100}'); // an ideographic variation sequence
  });

  it(`up to ${MAX_MARKS_PER_LETTER} combining marks on a letter`, () => {
    accepted('Z\u0336\u0322\u031Bo\u0336\u0322\u031Be');
  });
});

describe('refused as invisible or malformed', () => {
  it('empty after trimming', () => {
    for (const n of ['', '   ', '\t\n', '\u3000']) refused(n, 'nickname/empty');
  });

  it('control, format, private-use and separator characters, as before', () => {
    for (const n of ['a\u0000b', 'a\nb', 'a\u0007', 'a\u200Bb', 'a\u202Eb', 'x\u2028y', '\uE000x', 'a\u00ADb', 'a\uD800']) refused(n, 'nickname/bad-characters');
  });

  it('blank-looking letters: Hangul fillers, the blank Braille pattern, the combining grapheme joiner', () => {
    for (const blank of ['\u3164', '\uFFA0', '\u115F', '\u1160', '\u2800']) {
      refused(blank, 'nickname/bad-characters');
      refused(blank.repeat(3), 'nickname/bad-characters');
      refused(`Ada${blank}`, 'nickname/bad-characters');
      refused(`A${blank}B`, 'nickname/bad-characters');
    }
    refused('\u034F', 'nickname/bad-characters');
    refused('a\u034Fb', 'nickname/bad-characters');
  });

  it('ZWJ and variation selectors away from emoji', () => {
    refused('a\u200Db', 'nickname/bad-characters');
    refused('Ali\u200Dce', 'nickname/bad-characters');
    refused('x\uFE0F', 'nickname/bad-characters');
    refused('a\u{E0100}', 'nickname/bad-characters');
    refused('🏴\u{E0067}', 'nickname/bad-characters'); // tags without their cancel tag
  });

  it('lone combining marks: a whole name of them, one at the start, or one on a space', () => {
    refused('\u0301', 'nickname/bad-characters');
    refused('\u0301\u0301\u0301', 'nickname/bad-characters');
    refused('\u0301Ada', 'nickname/bad-characters');
    refused('Ada \u0301Lin', 'nickname/bad-characters');
  });

  it(`Zalgo: more than ${MAX_MARKS_PER_LETTER} marks on one letter`, () => {
    refused('Z\u0336\u0322\u031B\u0334algo', 'nickname/bad-characters');
    refused(`A${'\u0300'.repeat(40)}`, 'nickname/bad-characters');
    expect(checkNickname('Z\u0336\u0322\u031B\u0334', [])).toMatchObject({ message: 'a nickname has at most 3 accents or marks on one letter' });
  });
});

describe('refused as looking like a name in the room', () => {
  it('Alice\'s look-alikes', () => {
    for (const n of ['\u0410lice', 'Ａｌｉｃｅ', '𝐀𝐥𝐢𝐜𝐞', 'ALICE', 'alice ', 'alice', 'Alicé', 'A\u0301lice', 'AIice', 'Al\u0456ce', '𝔄𝔩𝔦𝔠𝔢', 'ᴬˡⁱᶜᵉ']) {
      refused(n, 'nickname/taken', ['Bob', 'Alice']);
    }
  });

  it('says which name it looks like, or that it is the same name', () => {
    expect(checkNickname('\u0410lice', ['Alice'])).toEqual({ ok: false, code: 'nickname/taken', message: '"\u0410lice" looks too much like "Alice", already in this room' });
    expect(checkNickname('ALICE ', ['Alice'])).toEqual({ ok: false, code: 'nickname/taken', message: '"ALICE" is already taken in this room' });
  });

  it('Cyrillic and Greek capitals that look Latin, and Latin letters that look alike in one case', () => {
    refused('ΒΟΒ', 'nickname/taken', ['bob']); // Greek Beta, Omicron
    refused('Наnnаh', 'nickname/taken', ['Hannah']); // Cyrillic Н, а
    refused('ӏvan', 'nickname/taken', ['Ivan']); // Cyrillic palochka
    refused('Ian', 'nickname/taken', ['lan']);
    refused('Bi11', 'nickname/taken', ['Bill']);
    refused('Strasse', 'nickname/taken', ['Straße']);
    refused('Ada  Lin', 'nickname/taken', ['Ada Lin']);
    refused('Ada\u00A0Lin', 'nickname/taken', ['Ada Lin']);
    refused('Jean\u2010Luc', 'nickname/taken', ['Jean-Luc']);
    refused('O’Brien', 'nickname/taken', ["O'Brien"]);
    refused('❤️', 'nickname/taken', ['❤']);
  });

  it('still ignores case within Cyrillic and Greek', () => {
    refused('МАРИЯ', 'nickname/taken', ['мария']);
    refused('КИРИЛЛ', 'nickname/taken', ['Кирилл']);
    refused('ΕΛΈΝΗ', 'nickname/taken', ['Ελένη']);
  });

  it('Chinese: the same name is taken, a longer one is not', () => {
    refused('张伟', 'nickname/taken', ['张伟']);
    accepted('张伟伟', ['张伟']);
    accepted('张伟', ['张伟伟', '张卫']);
  });

  it('names that only look different enough are allowed', () => {
    accepted('Bobby', ['bob']);
    accepted('Ian', ['Lan']); // capital L does not look like I
    accepted('Alice2', ['Alice']);
    accepted('Mariya', ['Мария']);
    accepted('रमा', ['रम']); // a vowel sign makes another name
    accepted('が', ['か']); // so does a dakuten
  });
});

describe('nicknameKey, the skeleton', () => {
  it('folds what does not change how a name reads', () => {
    expect(nicknameKey('Ａｌｉｃｅ')).toBe('alice');
    expect(nicknameKey('𝐀𝐥𝐢𝐜𝐞')).toBe('alice');
    expect(nicknameKey('\u0410LICE')).toBe('alice');
    expect(nicknameKey('  Zoë   Smith ')).toBe('zoe smith');
    expect(nicknameKey('张伟')).toBe('张伟');
  });

  it('is what looksAlike compares (with the case-sensitive Latin check besides)', () => {
    expect(looksAlike('Alice', 'ALICE')).toBe(true);
    expect(looksAlike('Alice', 'AIice')).toBe(true);
    expect(nicknameKey('Alice')).not.toBe(nicknameKey('AIice'));
    expect(looksAlike('Sam', 'Sasha')).toBe(false);
  });
});

describe('for any text', () => {
  it('never throws; an accepted name is stored trimmed and NFC, is taken beside itself and beside its upper case', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (raw) => {
      const r = checkNickname(raw, []);
      if (!r.ok) return;
      expect(r.nickname).toBe(r.nickname.normalize('NFC').trim());
      expect(checkNickname(raw, [r.nickname])).toMatchObject({ ok: false, code: 'nickname/taken' });
      expect(looksAlike(r.nickname.toUpperCase(), r.nickname)).toBe(true);
    }), { numRuns: 500 });
  });
});
