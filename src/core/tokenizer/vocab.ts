import { CLS, MASK, PAD, SEP, UNK, type SpecialToken } from './specials';

/** A token id in one vocabulary. Branded so an id is never mixed up with a position or a count. */
export type TokenId = number & { readonly __brand: 'TokenId' };

export interface Vocab {
  readonly tokens: readonly string[];
  /** token -> id; the inverse of `tokens`. */
  readonly ids: ReadonlyMap<string, TokenId>;
  readonly special: Readonly<Record<SpecialToken, TokenId>>;
}

export class VocabError extends Error {
  override name = 'VocabError';
}

/**
 * Parses a `vocab.txt`: one token per line, the line number is the id. A trailing newline is
 * allowed; blank lines in the middle are not, because they would shift every id after them.
 */
export function parseVocabText(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

const vocabCache = new WeakMap<readonly string[], Vocab>();

/** Indexes a token list once per list (cached), checking that it can drive BERT's tokenizer. */
export function indexVocab(tokens: readonly string[]): Vocab {
  const cached = vocabCache.get(tokens);
  if (cached) return cached;
  if (tokens.length === 0) throw new VocabError('The vocabulary is empty.');
  const ids = new Map<string, TokenId>();
  tokens.forEach((token, id) => {
    if (token === '') throw new VocabError(`Vocabulary line ${id + 1} is empty.`);
    // vocab.txt never repeats a token; if it did, HF keeps the last id, and so do we.
    ids.set(token, id as TokenId);
  });
  const need = (token: SpecialToken): TokenId => {
    const id = ids.get(token);
    if (id === undefined) throw new VocabError(`The vocabulary has no ${token} token.`);
    return id;
  };
  const vocab: Vocab = {
    tokens,
    ids,
    special: { [PAD]: need(PAD), [UNK]: need(UNK), [CLS]: need(CLS), [SEP]: need(SEP), [MASK]: need(MASK) },
  };
  vocabCache.set(tokens, vocab);
  return vocab;
}
