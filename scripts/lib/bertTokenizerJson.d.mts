/** vocab.txt as a token -> id record (throws unless it has 30,522 entries). */
export function readVocab(path: string): Record<string, number>;
/** bert-base-uncased's tokenizer.json, as an object, with this vocabulary. */
export function bertUncasedConfig(vocab: Record<string, number>): Record<string, unknown>;
