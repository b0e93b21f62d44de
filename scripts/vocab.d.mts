export const ROOT: string;
export const BERT_VOCAB_PATH: string;
export function convertSentencePieceVocab(sentencePieceVocab: readonly string[]): string[];
export function ensureBertVocab(): string;
