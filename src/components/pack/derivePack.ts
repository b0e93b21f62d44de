/**
 * What the Tokenize & Pack view shows, derived from its inputs. Pure, so it is tested without a
 * browser, and every failure becomes a message for the page instead of an exception.
 */
import {
  PackError,
  minMaxLength,
  type Analysis,
  type BertTokenizer,
  type PackedInput,
} from '../../core/tokenizer';

/** Longest text per sentence that the view tokenizes as you type. */
export const MAX_INPUT_CHARS = 100_000;
/** bert-base has 512 position embeddings, so no input can be longer. */
export const MAX_POSITIONS = 512;

export interface PackInputs {
  readonly sentenceA: string;
  readonly sentenceB: string;
  readonly maxLengthInput: string;
  readonly padToMaxLength: boolean;
}

export type SideResult =
  { readonly ok: true; readonly analysis: Analysis } | { readonly ok: false; readonly message: string };

export interface PackView {
  readonly a: SideResult;
  /** null when sentence B is empty: the input is then `[CLS] A [SEP]`. */
  readonly b: SideResult | null;
  readonly maxLength:
    { readonly ok: true; readonly value: number } | { readonly ok: false; readonly message: string };
  readonly packed:
    { readonly ok: true; readonly value: PackedInput } | { readonly ok: false; readonly message: string };
}

const formatCount = (n: number) => n.toLocaleString('en-US');

export function analyzeSide(tokenizer: BertTokenizer, label: string, text: string): SideResult {
  if (text.length > MAX_INPUT_CHARS) {
    return {
      ok: false,
      message: `${label} is ${formatCount(text.length)} characters long. The lab tokenizes up to ${formatCount(MAX_INPUT_CHARS)} characters per sentence; shorten it to see its tokens. Your text is kept.`,
    };
  }
  return { ok: true, analysis: tokenizer.analyze(text) };
}

function parseMaxLength(input: string, hasPair: boolean): PackView['maxLength'] {
  const min = minMaxLength(hasPair);
  const trimmed = input.trim();
  if (trimmed === '')
    return { ok: false, message: `Enter a max length between ${min} and ${MAX_POSITIONS}.` };
  const value = Number(trimmed);
  if (!Number.isInteger(value)) {
    return { ok: false, message: `Max length must be a whole number between ${min} and ${MAX_POSITIONS}.` };
  }
  if (value < min) {
    const layout = hasPair ? '[CLS] A [SEP] B [SEP]' : '[CLS] A [SEP]';
    return {
      ok: false,
      message: `Max length ${value} is too small: ${layout} needs ${min} slots for its special tokens alone. Use ${min} to ${MAX_POSITIONS}.`,
    };
  }
  if (value > MAX_POSITIONS) {
    return {
      ok: false,
      message: `Max length ${value} is too large: BERT has ${MAX_POSITIONS} position embeddings, so no input can be longer than ${MAX_POSITIONS} tokens.`,
    };
  }
  return { ok: true, value };
}

export function derivePackView(
  tokenizer: BertTokenizer,
  inputs: PackInputs,
  analyses: { a: SideResult; b: SideResult | null },
): PackView {
  const { a, b } = analyses;
  const maxLength = parseMaxLength(inputs.maxLengthInput, b !== null);
  let packed: PackView['packed'];
  if (!a.ok || (b && !b.ok)) {
    packed = { ok: false, message: 'Fix the sentence above to see the packed input.' };
  } else if (!maxLength.ok) {
    packed = { ok: false, message: maxLength.message };
  } else {
    try {
      packed = {
        ok: true,
        value: tokenizer.pack(
          a.analysis,
          b?.ok ? b.analysis : undefined,
          inputs.padToMaxLength
            ? { maxLength: maxLength.value, padTo: maxLength.value }
            : { maxLength: maxLength.value },
        ),
      };
    } catch (error) {
      if (!(error instanceof PackError)) throw error;
      packed = { ok: false, message: error.message };
    }
  }
  return { a, b, maxLength, packed };
}
