/** BERT's special tokens and their ids in bert-base-uncased's vocab.txt. */
export const PAD = '[PAD]';
export const UNK = '[UNK]';
export const CLS = '[CLS]';
export const SEP = '[SEP]';
export const MASK = '[MASK]';

export const SPECIAL_TOKENS = [PAD, UNK, CLS, SEP, MASK] as const;
export type SpecialToken = (typeof SPECIAL_TOKENS)[number];

/** WordPiece marks a piece that continues a word (not its first piece) with this prefix. */
export const CONTINUATION_PREFIX = '##';

/** Google's and Hugging Face's `max_input_chars_per_word`: longer words become a single [UNK]. */
export const MAX_INPUT_CHARS_PER_WORD = 100;
