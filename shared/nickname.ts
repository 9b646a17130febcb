/**
 * The nickname rule, for the server (room.ts, on join and rename) and the browser (the join
 * and practice forms) alike: it imports no schema library, so the student page can use it.
 *
 * A nickname is what other people in the room read, so the rule is about what it looks like:
 * its length is counted in graphemes (what a reader counts as one character: 👨‍👩‍👧 is one),
 * it may not be or hide anything invisible, it may not pile combining marks onto a letter
 * ("Zalgo" text), and it may not look like a nickname already in the room: "Аlice" with a
 * Cyrillic А, "Ａｌｉｃｅ", "𝐀𝐥𝐢𝐜𝐞" and "ALICE" are all taken once "Alice" is.
 */
import { NICKNAME_MAX, NICKNAME_MAX_UNITS } from './protocol-constants.ts';

/** The refusal codes (ERROR_CODES in shared/protocol.ts has each of them). */
export type NicknameRefusal = 'nickname/empty' | 'nickname/too-long' | 'nickname/bad-characters' | 'nickname/taken';

export type NicknameCheck =
  | { ok: true; nickname: string }
  | { ok: false; code: NicknameRefusal; message: string };

/** At most this many combining marks on one letter: enough for Vietnamese, Thai or Arabic, not for Zalgo. */
export const MAX_MARKS_PER_LETTER = 3;

// ---------------------------------------------------------------------------------------
// Graphemes
// ---------------------------------------------------------------------------------------

// Intl.Segmenter is missing in Firefox before 125. There the form's check falls back to an
// approximation (a base, its marks, skin tones, tags and ZWJ-joined pictographs); the server
// (Node) always has the segmenter and has the last word.
const segmenter = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter('en', { granularity: 'grapheme' }) : null;
const APPROX_GRAPHEME = /\p{Regional_Indicator}{2}|[^](?:[\p{M}\u{1F3FB}-\u{1F3FF}\u{E0020}-\u{E007F}]|\u200D\p{Extended_Pictographic}?)*/gu;

/** The grapheme clusters of a text, by the approximation used where Intl.Segmenter is missing (exported for its test). */
export const approxGraphemes = (text: string): string[] => text.match(APPROX_GRAPHEME) ?? [];

/** The grapheme clusters of a text: what a reader counts as characters. */
export function graphemes(text: string): string[] {
  return segmenter ? Array.from(segmenter.segment(text), (s) => s.segment) : approxGraphemes(text);
}

/** How many characters a reader counts in a text (grapheme clusters, not code units or code points). */
export const graphemeLength = (text: string): number => graphemes(text).length;

// ---------------------------------------------------------------------------------------
// What may be in a nickname
// ---------------------------------------------------------------------------------------

// Control, format (zero-width, bidi overrides, tags), private-use and surrogate code points,
// line/paragraph separators, and everything Unicode says to render as nothing
// (Default_Ignorable_Code_Point: the Hangul fillers U+115F, U+1160, U+3164 and U+FFA0, the
// combining grapheme joiner U+034F, variation selectors, U+00AD), plus the blank Braille
// pattern U+2800, which is a visible character that shows nothing. Unassigned code points
// (Cn) are allowed: engines disagree on them.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800]/u;
const MARK = /\p{M}/u;
const SPACE = /\s/u;

// An emoji grapheme may use the invisible joiners it is built from: ZWJ between pictographs
// (👨‍👩‍👧, 🏳️‍🌈, 🧑🏽‍💻), the emoji and text variation selectors (❤️), keycaps (1️⃣) and the tag
// characters of a subdivision flag (🏴󠁧󠁢󠁳󠁣󠁴󠁿). Between Latin letters a ZWJ only hides, and is refused.
const PICTOGRAPH = String.raw`\p{Extended_Pictographic}(?:[\uFE0E\uFE0F]|[\u{1F3FB}-\u{1F3FF}])?`;
// At most four pictographs to a sequence, as in the longest real ones (👩‍❤️‍💋‍👨, 👨‍👩‍👧‍👦): a
// longer chain is still one grapheme but shows as a row of emoji.
const EMOJI_GRAPHEME = new RegExp(String.raw`^(?:${PICTOGRAPH}(?:\u200D${PICTOGRAPH}){0,3}|\p{Emoji}[\uFE0E\uFE0F]\u20E3?|\u{1F3F4}[\u{E0020}-\u{E007E}]{1,7}\u{E007F})$`, 'u');
// Variation selectors that choose a glyph of the letter before them: a Han ideograph's
// (standardized and ideographic variation sequences, for names written with a variant
// form) and Mongolian's free variation selectors.
const HAN = /\p{Script=Han}/u;
const HAN_VARIANT = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;
const MONGOLIAN = /\p{Script=Mongolian}/u;
const MONGOLIAN_VARIANT = /[\u180B-\u180D\u180F]/u;
// ZWJ and ZWNJ also shape letters in Arabic-script and Indic names (Persian's ZWNJ, the
// Sinhala ශ්‍රී): allowed between two code points of one of those scripts, where they
// change the rendering instead of hiding in it.
const JOINER = /[\u200C\u200D]/u;
const JOINING_SCRIPTS = ['Arabic', 'Syriac', 'Devanagari', 'Bengali', 'Gurmukhi', 'Gujarati', 'Oriya', 'Tamil', 'Telugu', 'Kannada', 'Malayalam', 'Sinhala']
  .map((script) => new RegExp(`\\p{Script=${script}}`, 'u'));
const sameJoiningScript = (a: string, b: string): boolean => JOINING_SCRIPTS.some((re) => re.test(a) && re.test(b));

/** Whether an invisible code point is doing a visible job here (between `prev` and `next`, in grapheme `g`). */
function invisibleAllowed(cp: string, prev: string, next: string, g: string): boolean {
  return EMOJI_GRAPHEME.test(g)
    || (HAN_VARIANT.test(cp) && HAN.test(prev))
    || (MONGOLIAN_VARIANT.test(cp) && MONGOLIAN.test(prev))
    || (JOINER.test(cp) && sameJoiningScript(prev, next));
}

/** Why one grapheme may not be in a nickname, or null if it may; `after` is the first code point of the next one. */
function graphemeProblem(g: string, after: string): string | null {
  const cps = [...g];
  const first = cps[0] ?? '';
  // Alone, or on a space (which Intl.Segmenter lets it join): a mark with nothing to mark.
  if (MARK.test(first) || (SPACE.test(first) && cps.some((c) => MARK.test(c)))) return 'a combining mark needs a letter to sit on';
  let marks = 0;
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i] as string;
    if (INVISIBLE.test(cp) && !invisibleAllowed(cp, cps[i - 1] ?? '', cps[i + 1] ?? after, g)) {
      return 'a nickname cannot contain control or invisible characters';
    }
    // Counted per letter, not per grapheme: an Indic conjunct is one grapheme of several
    // letters, each with its own virama or vowel sign.
    marks = MARK.test(cp) ? marks + 1 : 0;
    if (marks > MAX_MARKS_PER_LETTER) return `a nickname has at most ${MAX_MARKS_PER_LETTER} accents or marks on one letter`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// Looking alike
// ---------------------------------------------------------------------------------------

// Cyrillic and Greek letters that look like Latin ones, in the case in which they do (Ν is
// N but ν is v; В is B, в is nothing Latin). NFKC has already turned full-width forms and
// mathematical letters (𝐀, 𝔸, 𝖆) into ASCII; this covers what Unicode does not call
// compatible. A full confusables table (UTS #39, thousands of entries) would be a
// dependency for a classroom's worth of names; these are the scripts our students type.
const LOOKALIKE = new Map<string, string>(Object.entries({
  // Cyrillic
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', У: 'Y', Ү: 'Y', Ѕ: 'S', І: 'I',
  Ј: 'J', Ԛ: 'Q', Ԝ: 'W', Һ: 'H', Ӏ: 'I',
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ү: 'y',
  ӏ: 'l',
  // Greek
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Υ: 'Y', Χ: 'X',
  ο: 'o', ν: 'v', ρ: 'p', α: 'a', ι: 'i', κ: 'k', ϲ: 'c', ϳ: 'j',
  // Latin letters outside ASCII that NFKC keeps
  ı: 'i', ɑ: 'a', ɡ: 'g',
}));
// Within Latin, in the case in which they look alike: I, l, 1 and | in a sans-serif font,
// "rn" beside "m". Compared without folding case (else "Ian" would look like "Lan").
const LATIN_LOOKALIKE: readonly [RegExp, string][] = [[/[Il1|]/g, 'l'], [/rn/g, 'm']];

// Marks that decorate Latin, Greek, Cyrillic (and Arabic vowel signs): the ones in the
// general combining blocks (Script=Inherited). Marks of Indic or Thai scripts, and the
// Japanese (han)dakuten, make another letter, and are kept: रमा is not रम, が is not か.
const DECORATION = /(?![\u3099\u309A])\p{Script=Inherited}/gu;

/** A nickname without what does not change how it reads: compatibility forms, accents, invisibles, runs of spaces, dash and quote styles. */
const bare = (nickname: string): string => nickname.normalize('NFKD').replace(DECORATION, '').replace(/\p{Default_Ignorable_Code_Point}/gu, '')
  .replace(/\s+/gu, ' ').trim()
  .replace(/\p{Pd}/gu, '-')
  .replace(/[\u2018\u2019\u201B\u02BC\u2032\u00B4`]/gu, '\'');

/** Cyrillic and Greek look-alikes as the Latin letters they look like. */
const latinized = (text: string): string => Array.from(text, (c) => LOOKALIKE.get(c) ?? c).join('');

/** Full case folding as far as JavaScript has it: ß and ẞ become ss, ᾀ becomes ἀι. */
const foldCase = (text: string): string => text.toLowerCase().toUpperCase().toLowerCase();

/**
 * The skeleton of a nickname: two nicknames with the same one look the same to a reader
 * (case, accents, full-width and mathematical letters, Cyrillic and Greek look-alikes and
 * spacing ignored). NFC, so it can be read.
 */
export const nicknameKey = (nickname: string): string => bare(foldCase(latinized(bare(nickname)))).normalize('NFC');

// Two more keys catch what the skeleton cannot: case within Cyrillic and Greek (ΕΛΈΝΗ is
// Ελένη, though Ν→N and ν→v part ways in the skeleton), and Latin letters alike in one case.
const caselessKey = (nickname: string): string => bare(foldCase(nickname)).normalize('NFC');
const latinKey = (nickname: string): string =>
  LATIN_LOOKALIKE.reduce((s, [re, to]) => s.replace(re, to), latinized(bare(nickname))).normalize('NFC');

// A join compares the name with every seat's, and replaying a log repeats every join: the
// keys of names already seen are kept (a pure function's results; bounded).
const keyCache = new Map<string, readonly string[]>();
function keysOf(nickname: string): readonly string[] {
  let keys = keyCache.get(nickname);
  if (!keys) {
    keys = [nicknameKey(nickname), caselessKey(nickname), latinKey(nickname)];
    if (keyCache.size >= 10_000) keyCache.clear();
    keyCache.set(nickname, keys);
  }
  return keys;
}
const sameKey = (a: readonly string[], b: readonly string[]): boolean => a.some((k, i) => k === b[i]);

/** Whether two nicknames look too much alike to share a room. */
export const looksAlike = (a: string, b: string): boolean => sameKey(keysOf(a), keysOf(b));

// ---------------------------------------------------------------------------------------
// The rule
// ---------------------------------------------------------------------------------------

/**
 * The nickname rule: trimmed, 1–NICKNAME_MAX graphemes, nothing invisible or blank, no
 * lone or piled-up combining marks, and not looking like a nickname already in the room.
 * Returns the nickname to store (trimmed, NFC).
 */
export function checkNickname(raw: string, takenNicknames: Iterable<string>): NicknameCheck {
  const nickname = raw.normalize('NFC').trim();
  const parts = graphemes(nickname);
  if (parts.length === 0) return { ok: false, code: 'nickname/empty', message: 'choose a nickname' };
  // The unit limit only bites on text the grapheme count would let through as short: a
  // conjunct of a dozen consonants is one grapheme.
  if (parts.length > NICKNAME_MAX || nickname.length > NICKNAME_MAX_UNITS) return { ok: false, code: 'nickname/too-long', message: `a nickname has at most ${NICKNAME_MAX} characters` };
  for (const [i, g] of parts.entries()) {
    const problem = graphemeProblem(g, [...(parts[i + 1] ?? '')][0] ?? '');
    if (problem) return { ok: false, code: 'nickname/bad-characters', message: problem };
  }
  const keys = keysOf(nickname);
  for (const taken of takenNicknames) {
    if (!sameKey(keys, keysOf(taken))) continue;
    const same = nickname.toLowerCase() === taken.normalize('NFC').trim().toLowerCase();
    return {
      ok: false, code: 'nickname/taken',
      message: same ? `"${nickname}" is already taken in this room` : `"${nickname}" looks too much like "${taken}", already in this room`,
    };
  }
  return { ok: true, nickname };
}
