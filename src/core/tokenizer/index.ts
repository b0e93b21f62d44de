/**
 * BERT's uncased WordPiece tokenizer, with no tokenizer library: normalize -> pre-tokenize ->
 * WordPiece -> pack. It reproduces Hugging Face's `BertTokenizerFast` for bert-base-uncased,
 * checked id for id against golden fixtures made with HF's Rust tokenizer.
 */
import { analyze, encodeIds, type Analysis } from './analyze';
import { decode } from './decode';
import { pack, type PackedInput, type PackOptions } from './pack';
import { indexVocab, type Vocab } from './vocab';

export interface BertTokenizer {
  /** Word pieces, no specials. */
  tokenize(text: string): string[];
  /** Ids, no specials. */
  encode(text: string): number[];
  /** `[CLS] A [SEP] B [SEP]` (or `[CLS] A [SEP]` without B), truncated and padded as asked. */
  encodePair(a: string, b?: string, options?: PackOptions): PackedInput;
  decode(ids: readonly number[]): string;
  /** Packs texts analyzed earlier, so a view that shows the stages does not tokenize twice. */
  pack(a: Analysis, b?: Analysis, options?: PackOptions): PackedInput;
  /** Every stage for one text: normalized text, basic tokens, word pieces with source offsets. */
  analyze(text: string): Analysis;
  readonly vocab: readonly string[];
}

export function createBertTokenizer(tokens: readonly string[]): BertTokenizer {
  const vocab: Vocab = indexVocab(tokens);
  return {
    vocab: tokens,
    analyze: (text) => analyze(text, vocab),
    tokenize: (text) => analyze(text, vocab).pieces.map((p) => p.token),
    encode: (text) => encodeIds(text, vocab),
    encodePair: (a, b, options) =>
      pack(vocab, analyze(a, vocab), b === undefined ? undefined : analyze(b, vocab), options),
    decode: (ids) => decode(ids, vocab),
    pack: (a, b, options) => pack(vocab, a, b, options),
  };
}

export type { Analysis } from './analyze';
export type { PackedInput, PackedToken, PackOptions } from './pack';
export { PackError, minMaxLength, longestFirstBudget } from './pack';
export { parseVocabText, indexVocab, VocabError, type TokenId } from './vocab';
export * from './specials';
