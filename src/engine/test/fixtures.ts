/** What the engine's Node tests train on: the built-in corpus and a small vocabulary learned from it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countWords, createWordPieceTrainer } from '../../core/tokenizer/train';
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../../core/domain/settings';

export const corpus = readFileSync(
  join(import.meta.dirname, '..', '..', '..', 'public', 'corpus', 'everyday.txt'),
  'utf8',
);

/** A WordPiece vocabulary of `size` tokens trained on the corpus to the end. */
export function corpusVocab(size: number): readonly string[] {
  const trainer = createWordPieceTrainer(countWords(corpus), { vocabSize: size });
  trainer.run(Number.MAX_SAFE_INTEGER);
  return trainer.vocab;
}

/** The engine's Node tests' model: micro on the cpu backend, 2 sequences of 16 tokens a batch. */
export const MICRO_CPU_SETTINGS: EngineSettings = {
  ...DEFAULT_ENGINE_SETTINGS,
  preset: 'micro',
  backend: 'cpu',
  batchSize: 2,
  seqLength: 16,
};
