// Generates src/core/tokenizer/__fixtures__/golden.json: golden outputs of the reference BERT uncased
// tokenizer, against which our own tokenizer is tested.
//
//   node scripts/gen-tokenizer-fixtures.mjs        (or: npm run fixtures:tokenizer)
//
// Inputs (all checked in, edited by hand):
//   scripts/fixtures/sentences.txt    one ordinary English sentence per line ("sentence 001", ...)
//   scripts/fixtures/edge-cases.json  { single: [{name, text}], addedTokenCases: [{name, text}] }
//   scripts/fixtures/pairs.json       [{name, a, b?, maxLength?, padTo?}]
// A `text`, `a` or `b` is a string, or an array of parts that are concatenated: a string, or
// { "repeat": "ab", "times": 50 } (for the 100-character words). In pairs.json, `a`/`b` may also be
// { "sentences": [first, last] }: lines first..last (1-based, inclusive) of sentences.txt joined by " ".
//
// Reference: the Hugging Face `tokenizers` npm package (Rust binding) 0.23.2, configured exactly as
// bert-base-uncased's tokenizer.json (bertUncasedConfig below), with the vocab.txt in public/vocab/;
// for truncated pairs, Google's _truncate_seq_pair decides how many pieces of each side are kept.
//
// Findings that the fixtures rely on (checked again on every run where cheap; see the asserts):
//
// * Offsets. Encoding.getOffsets() of this binding is in Unicode CODE POINTS (Rust `char`s) of the
//   input, not UTF-8 bytes and not UTF-16 code units: for "café 😀 x" it returns cafe [0,4],
//   😀 [5,6], x [7,8] (bytes would give [0,5] / UTF-16 would give x [8,9]). The generator probes
//   this at start-up (detectOffsetUnit) and converts to UTF-16 code-unit offsets, so that in the
//   fixture `text.slice(start, end)` is the source of the piece.
// * Lone surrogates are accepted: N-API turns each lone UTF-16 surrogate into one U+FFFD, which the
//   BertNormalizer's clean_text then deletes. One surrogate = one code point = one UTF-16 unit, so
//   the code-point -> UTF-16 mapping below (which iterates the JS string by code points, yielding
//   each lone surrogate on its own) stays exact.
// * Special tokens typed in the text ("[MASK]", "[CLS]", ...) are matched as added tokens, on the raw
//   text (normalized: false), case-sensitively, even glued to a word ("foo[MASK]bar"). Every input
//   that contains one goes to `addedTokenCases`; the generator refuses such a match in `single`.
// * Truncated pairs follow Google, not this binding. The lab truncates a pair "longest first" as
//   Google's run_classifier._truncate_seq_pair and transformers' Python truncate_sequences do: with
//   budget = maxLength - 3, pop the last piece of the longer side, of B on a tie, until the pair fits
//   (googleTruncateSeqPair below, written here on its own, not imported from src). So a pair
//   fixture's tokens and ids are built from HF's encodings of A and of B ALONE (untruncated), cut to
//   Google's lengths, then packed [CLS] A [SEP] B [SEP] (+ [PAD]). The same assembly with HF's own
//   kept lengths is asserted to equal HF's truncated encoding of the pair, so the packing itself is
//   still HF's, and only the split of the budget differs.
//   HF's Rust truncation (tokenizers/src/utils/truncation.rs, LongestFirst) splits differently: it
//   keeps the shorter side whole and cuts the longer one when that fits; otherwise it gives
//   floor(budget / 2) to the SHORTER side and the rest to the longer one, treating A as the shorter
//   on a tie; and the lengths it compares are min(length, maxLength), as if each side were first
//   cut to maxLength on its own (hfRustLongestFirst below reproduces every case of a
//   0..22 x 0..22 x maxLength 3..16 grid). It therefore disagrees with Google when both sides are
//   cut, the budget is odd and min(a, maxLength) <= min(b, maxLength): Google keeps one more piece
//   of A, HF one more of B. Such pair fixtures must be named "google and hf python, not hf rust:
//   longest_first odd budget ..." (asserted both ways). With B absent both keep the first
//   maxLength - 2 pieces.
// * "unaffable" is una ##ffa ##ble with this vocabulary (greedy longest match: "una" is a vocab entry,
//   "unaf..." is not). The "un ##aff ##able" in Google's WordpieceTokenizer docstring is illustrative.
// * Unicode tables. BertNormalizer / BertPreTokenizer take "control" (Cc, Cf, Co: deleted), "nonspacing
//   mark" (Mn: stripped after NFD) and "punctuation" (P*: split off) from the unicode_categories crate,
//   whose tables are Unicode 8.0; lowercasing, White_Space and NFD come from newer tables. Unassigned
//   code points (Cn) are NOT deleted: 🥲 U+1F972, 🫠 U+1FAE0, 🫎 U+1FACE are kept and become [UNK].
//   Private use (Co) IS deleted, unlike Google (which deletes only Cc and Cf).
// * Offsets of a piece do not cover characters deleted or stripped at its end ("cafe\u0301" -> cafe
//   [0, 4]); deleted characters inside a word are covered ("ab\u0000cd" -> abc [0, 4], ##d [4, 5]).
// * Other places where this reference differs from Google's tokenization.py are named
//   "hf differs from google: ..." in edge-cases.json: CJK table (HF spaces 0x2B920.., Google 0x2B820..),
//   uppercase final sigma (Python's str.lower() gives ς, HF lowercases per character: σ), private use,
//   the 100-char word limit (Google's WordpieceTokenizer default is 200) and the Unicode 8.0 category
//   tables. The names were checked against a re-implementation of tokenization.py on Python 3.11
//   (Unicode 14.0); every other fixture, including all of sentences.txt, tokenizes identically there.
//   Under an older Python the Unicode-version cases may agree with HF instead.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import tokenizers from 'tokenizers';
import { bertUncasedConfig, readVocab } from './lib/bertTokenizerJson.mjs';
import { ROOT, ensureBertVocab } from './vocab.mjs';

const { Tokenizer } = tokenizers;

const REFERENCE_VERSION = '0.23.2';
const REFERENCE =
  `tokenizers@${REFERENCE_VERSION} (Hugging Face Rust binding), bert-base-uncased settings; ` +
  `pairs truncated by Google's _truncate_seq_pair`;
const FIXTURE_DIR = join(ROOT, 'scripts', 'fixtures');
const OUT_PATH = join(ROOT, 'src', 'core', 'tokenizer', '__fixtures__', 'golden.json');
const MAX_OUTPUT_BYTES = 1.5 * 1024 * 1024;
const SPECIAL_TOKENS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'];
const ODD_BUDGET_NAME = 'google and hf python, not hf rust: longest_first odd budget';

// ---------------------------------------------------------------------------------------------------
// Reference tokenizer

function assertEqual(actual, expected, what) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Which unit getOffsets() counts in: 'codepoint', 'utf16' or 'utf8'. */
async function detectOffsetUnit(tokenizer) {
  // "é" is 1 code point / 1 UTF-16 unit / 2 bytes; "😀" is 1 code point / 2 units / 4 bytes.
  const encoding = await tokenizer.encode('é 😀 x', null, { addSpecialTokens: false });
  assertEqual(encoding.getTokens(), ['e', '[UNK]', 'x'], 'offset probe tokens');
  const units = { 4: 'codepoint', 5: 'utf16', 8: 'utf8' };
  const unit = units[encoding.getOffsets()[2][0]];
  if (!unit) throw new Error(`unknown offset unit: ${JSON.stringify(encoding.getOffsets())}`);
  return unit;
}

/** Maps a reference offset (in `unit`) to a UTF-16 index into `text`. */
function offsetMapper(text, unit) {
  if (unit === 'utf16') return (i) => i;
  const toUtf16 = [0];
  let utf16 = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0);
    const isLoneSurrogate = cp >= 0xd800 && cp <= 0xdfff; // becomes U+FFFD: 3 bytes
    const bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 || isLoneSurrogate ? 3 : 4;
    utf16 += ch.length;
    if (unit === 'utf8') for (let b = 1; b < bytes; b++) toUtf16.push(undefined);
    toUtf16.push(utf16);
  }
  return (i) => {
    const mapped = toUtf16[i];
    if (mapped === undefined)
      throw new Error(`offset ${i} (${unit}) is not a boundary in ${JSON.stringify(text)}`);
    return mapped;
  };
}

// ---------------------------------------------------------------------------------------------------
// Inputs

function readJson(name) {
  return JSON.parse(readFileSync(join(FIXTURE_DIR, name), 'utf8'));
}

function readSentences() {
  const lines = readFileSync(join(FIXTURE_DIR, 'sentences.txt'), 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    if (line.trim() === '') throw new Error(`sentences.txt:${i + 1}: empty line`);
  });
  return lines;
}

/** Resolves a text spec: a string, or an array of strings / { repeat, times } / { sentences }. */
function resolveText(spec, sentences, where) {
  if (typeof spec === 'string') return spec;
  if (Array.isArray(spec)) return spec.map((part) => resolveText(part, sentences, where)).join('');
  if (spec && typeof spec.repeat === 'string' && Number.isInteger(spec.times))
    return spec.repeat.repeat(spec.times);
  if (spec && Array.isArray(spec.sentences)) {
    const [first, last] = spec.sentences;
    if (!(first >= 1 && last >= first && last <= sentences.length))
      throw new Error(`${where}: bad sentence range`);
    return sentences.slice(first - 1, last).join(' ');
  }
  throw new Error(`${where}: unsupported text ${JSON.stringify(spec)}`);
}

// ---------------------------------------------------------------------------------------------------
// Fixtures

/** The literal special-token strings that the reference matched in `text` (as added tokens). */
function addedTokenMatches(fixture) {
  return fixture.tokens.filter(
    (token, i) =>
      SPECIAL_TOKENS.includes(token) &&
      fixture.text.slice(fixture.offsets[i][0], fixture.offsets[i][1]) === token,
  );
}

function checkOffsets(fixture) {
  const { text, tokens, offsets } = fixture;
  let previousStart = 0;
  offsets.forEach(([start, end], i) => {
    const ok = Number.isInteger(start) && Number.isInteger(end) && start >= previousStart;
    if (!ok || start > end || end > text.length) {
      throw new Error(`${fixture.name}: bad offsets ${JSON.stringify(offsets)}`);
    }
    for (const at of [start, end]) {
      const isLow = /[\udc00-\udfff]/.test(text.charAt(at));
      const afterHigh = /[\ud800-\udbff]/.test(text.charAt(at - 1));
      if (isLow && afterHigh) throw new Error(`${fixture.name}: offset ${at} splits a surrogate pair`);
    }
    // In plain ASCII the piece must be the lowercased source text.
    if (/^[\x20-\x7e]*$/.test(text) && tokens[i] !== '[UNK]') {
      const source = text.slice(start, end);
      if (!SPECIAL_TOKENS.includes(source) && source.toLowerCase() !== tokens[i].replace(/^##/, '')) {
        throw new Error(
          `${fixture.name}: piece ${tokens[i]} at [${start}, ${end}) is ${JSON.stringify(source)}`,
        );
      }
    }
    previousStart = start;
  });
}

async function singleFixture(tokenizer, unit, name, text) {
  const encoding = await tokenizer.encode(text, null, { addSpecialTokens: false });
  const toUtf16 = offsetMapper(text, unit);
  const fixture = {
    name,
    text,
    tokens: encoding.getTokens(),
    ids: encoding.getIds(),
    offsets: encoding.getOffsets().map(([start, end]) => [toUtf16(start), toUtf16(end)]),
  };
  checkOffsets(fixture);
  return fixture;
}

/** Pieces [a, b] that HF's Rust binding keeps with LongestFirst (as observed; see the header). */
function hfRustLongestFirst(lengthA, lengthB, maxLength) {
  const budget = maxLength - 3;
  const a = Math.min(lengthA, maxLength);
  const b = Math.min(lengthB, maxLength);
  if (a + b <= budget) return [a, b];
  const swap = a > b;
  let n1 = swap ? b : a; // the shorter side
  let n2 = n1 > budget ? n1 : Math.max(n1, budget - n1);
  if (n1 + n2 > budget) {
    n1 = Math.floor(budget / 2);
    n2 = n1 + (budget % 2);
  }
  return swap ? [n2, n1] : [n1, n2];
}

/**
 * Google's run_classifier._truncate_seq_pair, on lengths: while the pair is longer than the budget,
 * pop the longer side, B when they are equal. Deliberately the loop, not a closed form.
 */
function googleTruncateSeqPair(lengthA, lengthB, budget) {
  let a = lengthA;
  let b = lengthB;
  while (a + b > budget) {
    if (a > b) a -= 1;
    else b -= 1;
  }
  return [a, b];
}

/**
 * [CLS] A [SEP] (B [SEP]) from the first keepA / keepB pieces of each side, padded to padTo, as
 * HF's BertProcessing post-processor and padding do it (asserted against HF on every pair).
 */
function assemblePair(sideA, sideB, keepA, keepB, padTo) {
  const cls = { token: '[CLS]', id: 101 };
  const sep = { token: '[SEP]', id: 102 };
  const slots = [cls, ...sideA.slice(0, keepA), sep].map((p) => ({ ...p, typeId: 0 }));
  if (sideB) slots.push(...[...sideB.slice(0, keepB), sep].map((p) => ({ ...p, typeId: 1 })));
  const attentionMask = slots.map(() => 1);
  while (padTo !== undefined && slots.length < padTo) {
    slots.push({ token: '[PAD]', id: 0, typeId: 0 });
    attentionMask.push(0);
  }
  return {
    tokens: slots.map((s) => s.token),
    ids: slots.map((s) => s.id),
    typeIds: slots.map((s) => s.typeId),
    attentionMask,
  };
}

async function pairFixture(tokenizer, spec, sentences) {
  const { name, maxLength, padTo } = spec;
  const hasB = spec.b !== undefined;
  const a = resolveText(spec.a, sentences, name);
  const b = hasB ? resolveText(spec.b, sentences, name) : undefined;
  const alone = async (text) => {
    const encoding = await tokenizer.encode(text, null, { addSpecialTokens: false });
    const ids = encoding.getIds();
    return encoding.getTokens().map((token, i) => ({ token, id: ids[i] }));
  };
  const sideA = await alone(a);
  const sideB = hasB ? await alone(b) : null;
  const fullA = sideA.length;
  const fullB = hasB ? sideB.length : 0;
  const specials = hasB ? 3 : 2;

  let keepA = fullA;
  let keepB = fullB;
  if (maxLength !== undefined) {
    if (maxLength < specials) throw new Error(`${name}: maxLength below the ${specials} special tokens`);
    if (hasB) [keepA, keepB] = googleTruncateSeqPair(fullA, fullB, maxLength - specials);
    else keepA = Math.min(fullA, maxLength - specials);
  }
  if (padTo !== undefined && padTo < keepA + keepB + specials)
    throw new Error(`${name}: padTo ${padTo} < length ${keepA + keepB + specials}`);
  const expected = assemblePair(sideA, sideB, keepA, keepB, padTo);

  // HF's own encoding of the pair, to check the assembly and to name the fixtures honestly.
  try {
    if (maxLength !== undefined) tokenizer.setTruncation(maxLength, { strategy: 'LongestFirst' });
    if (padTo !== undefined)
      tokenizer.setPadding({ maxLength: padTo, padId: 0, padTypeId: 0, padToken: '[PAD]' });
    const encoding = await tokenizer.encode(a, hasB ? b : null);
    const sequenceIds = encoding.getSequenceIds();
    const hfA = sequenceIds.filter((s) => s === 0).length;
    const hfB = sequenceIds.filter((s) => s === 1).length;
    const hf = {
      tokens: encoding.getTokens(),
      ids: encoding.getIds(),
      typeIds: encoding.getTypeIds(),
      attentionMask: encoding.getAttentionMask(),
    };
    assertEqual(hf, assemblePair(sideA, sideB, hfA, hfB, padTo), `${name}: HF's packing of its own cut`);
    if (maxLength !== undefined && hasB) {
      assertEqual([hfA, hfB], hfRustLongestFirst(fullA, fullB, maxLength), `${name}: HF Rust kept pieces`);
    }
    const differs = hfA !== keepA || hfB !== keepB;
    if (differs !== name.startsWith(ODD_BUDGET_NAME)) {
      throw new Error(
        `${name}: HF Rust keeps ${hfA}+${hfB}, Google keeps ${keepA}+${keepB}; ` +
          `name it "${ODD_BUDGET_NAME} ..." exactly when they differ`,
      );
    }
  } finally {
    tokenizer.disableTruncation();
    tokenizer.disablePadding();
  }

  const fixture = { name, a };
  if (hasB) fixture.b = b;
  if (maxLength !== undefined) fixture.maxLength = maxLength;
  if (padTo !== undefined) fixture.padTo = padTo;
  Object.assign(fixture, expected, {
    truncated: hasB ? { a: fullA - keepA, b: fullB - keepB } : { a: fullA - keepA },
  });
  return fixture;
}

// ---------------------------------------------------------------------------------------------------
// Output

// Invisible or ambiguous characters are written as \u escapes so that diffs and reviews show them:
// controls, format characters, private use, unassigned, line/paragraph separators, every space other
// than U+0020, and nonspacing/enclosing marks. (JSON.stringify already escapes lone surrogates.)
const ESCAPED = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Mn}\p{Me}]|[^\P{Zs} ]/gu;

/** JSON.stringify on one line, with the characters above escaped. */
function stringifyLine(value) {
  return JSON.stringify(value).replace(ESCAPED, (ch) =>
    Array.from({ length: ch.length }, (_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join(
      '',
    ),
  );
}

function render(golden) {
  const parts = Object.entries(golden).map(([key, value]) => {
    if (!Array.isArray(value)) return `  ${JSON.stringify(key)}: ${stringifyLine(value)}`;
    if (value.length === 0) return `  ${JSON.stringify(key)}: []`;
    return `  ${JSON.stringify(key)}: [\n${value.map((item) => `    ${stringifyLine(item)}`).join(',\n')}\n  ]`;
  });
  return `{\n${parts.join(',\n')}\n}\n`;
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  const { version } = createRequire(import.meta.url)('tokenizers/package.json');
  if (version !== REFERENCE_VERSION)
    throw new Error(`expected tokenizers@${REFERENCE_VERSION}, found ${version}`);
  const vocabPath = ensureBertVocab();
  const tokenizer = Tokenizer.fromString(JSON.stringify(bertUncasedConfig(readVocab(vocabPath))));

  // Sanity checks against well-known bert-base-uncased outputs.
  const hello = await tokenizer.encode('Hello world!');
  assertEqual(hello.getTokens(), ['[CLS]', 'hello', 'world', '!', '[SEP]'], 'Hello world! tokens');
  assertEqual(hello.getIds(), [101, 7592, 2088, 999, 102], 'Hello world! ids');
  const unaffable = await tokenizer.encode('unaffable', null, { addSpecialTokens: false });
  assertEqual(unaffable.getTokens(), ['una', '##ffa', '##ble'], 'unaffable tokens');
  assertEqual(unaffable.getIds(), [14477, 20961, 3468], 'unaffable ids');
  const pair = await tokenizer.encode('Hello', 'world');
  assertEqual(pair.getTypeIds(), [0, 0, 0, 1, 1], 'pair type ids');

  const unit = await detectOffsetUnit(tokenizer);
  if (unit !== 'codepoint')
    console.warn(`note: offsets now come in ${unit}, not code points; converted anyway`);

  const sentences = readSentences();
  const edgeCases = readJson('edge-cases.json');
  const pairSpecs = readJson('pairs.json');

  const names = new Set();
  const claim = (name) => {
    if (typeof name !== 'string' || name === '') throw new Error(`fixture without a name`);
    if (names.has(name)) throw new Error(`duplicate fixture name: ${name}`);
    names.add(name);
    return name;
  };

  const single = [];
  for (const [i, sentence] of sentences.entries()) {
    single.push(
      await singleFixture(tokenizer, unit, claim(`sentence ${String(i + 1).padStart(3, '0')}`), sentence),
    );
  }
  for (const { name, text } of edgeCases.single) {
    single.push(await singleFixture(tokenizer, unit, claim(name), resolveText(text, sentences, name)));
  }
  for (const fixture of single) {
    const matched = addedTokenMatches(fixture);
    if (matched.length > 0) throw new Error(`${fixture.name}: matches added token ${matched[0]}; move it`);
  }

  const addedTokenCases = [];
  for (const { name, text } of edgeCases.addedTokenCases) {
    addedTokenCases.push(
      await singleFixture(tokenizer, unit, claim(name), resolveText(text, sentences, name)),
    );
  }

  const pairs = [];
  for (const spec of pairSpecs) {
    claim(spec.name);
    pairs.push(await pairFixture(tokenizer, spec, sentences));
  }

  const golden = {
    reference: REFERENCE,
    vocab: relative(ROOT, vocabPath).split(sep).join('/'),
    single,
    pairs,
    addedTokenCases,
  };
  const output = render(golden);
  if (JSON.stringify(JSON.parse(output)) !== JSON.stringify(golden))
    throw new Error('render is not faithful');
  const bytes = Buffer.byteLength(output);
  if (bytes > MAX_OUTPUT_BYTES) throw new Error(`golden.json would be ${bytes} bytes, over the limit`);
  if (!existsSync(dirname(OUT_PATH))) mkdirSync(dirname(OUT_PATH), { recursive: true });
  writeFileSync(OUT_PATH, output);
  console.log(
    `wrote ${relative(ROOT, OUT_PATH)} (${bytes} bytes): ${single.length} single, ${pairs.length} pairs, ` +
      `${addedTokenCases.length} addedTokenCases; reference offsets in ${unit}s, stored as UTF-16`,
  );
}

await main();
