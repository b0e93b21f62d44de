/// <reference lib="webworker" />
/**
 * The vocabulary trainer's Worker: counts the corpus words and runs WordPiece merges off the main
 * thread, in time slices so that "pause" and new settings are heard between slices.
 */
import {
  countWords,
  createWordPieceTrainer,
  TrainerError,
  type MergeStep,
  type WordPieceTrainer,
} from '../core/tokenizer/train';
import { CorpusError, readCorpus } from './corpusText';
import type { FromTrainer, ToTrainer, TrainerReset, TrainerSettings } from './vocabProtocol';

declare const self: DedicatedWorkerGlobalScope;

/** Longest a slice of merges runs before the Worker yields to its message queue. */
const SLICE_MS = 30;

let wordCounts: Map<string, number> | null = null;
let trainer: WordPieceTrainer | null = null;
let remaining = 0;
let generation = 0; // bumps on every load/configure, so a stale slice stops itself
let sliceQueued = false; // at most one chain of slices at a time

const post = (message: FromTrainer) => self.postMessage(message);

function describe(t: WordPieceTrainer): TrainerReset {
  return {
    vocab: [...t.vocab],
    initialVocabSize: t.vocab.length, // specials and alphabet: everything before the first merge
    initialPiecesPerWord: t.initialPiecesPerWord,
    droppedChars: t.droppedChars,
    droppedWords: t.droppedWords,
    wordCount: t.wordCount,
    stopped: t.stopped,
  };
}

function configure(settings: TrainerSettings): TrainerReset {
  if (!wordCounts) throw new CorpusError('No corpus is loaded yet.');
  generation++;
  remaining = 0;
  trainer = createWordPieceTrainer(wordCounts, settings);
  return describe(trainer);
}

function runSlice(forGeneration: number): void {
  sliceQueued = false;
  if (!trainer || forGeneration !== generation) return;
  const steps: MergeStep[] = [];
  const start = performance.now();
  while (remaining > 0 && performance.now() - start < SLICE_MS) {
    const step = trainer.step();
    if (!step) {
      remaining = 0;
      break;
    }
    steps.push(step);
    remaining--;
  }
  const running = remaining > 0 && trainer.stopped === null;
  post({ type: 'steps', steps, stopped: trainer.stopped, running });
  if (running) {
    sliceQueued = true;
    setTimeout(() => runSlice(forGeneration), 0);
  }
}

const errorMessage = (error: unknown) =>
  error instanceof CorpusError || error instanceof TrainerError || error instanceof Error
    ? error.message
    : String(error);

self.onmessage = async (event: MessageEvent<ToTrainer>) => {
  const message = event.data;
  switch (message.type) {
    case 'load': {
      generation++;
      remaining = 0;
      try {
        const corpus = await readCorpus(message.source);
        const counts = countWords(corpus.text, (fraction) => post({ type: 'progress', fraction }));
        let words = 0;
        for (const count of counts.values()) words += count;
        if (counts.size === 0)
          throw new CorpusError(
            'The corpus has no words once normalized (only spaces or control characters?).',
          );
        wordCounts = counts;
        const reset = configure(message.settings);
        post({
          type: 'loaded',
          corpus: { name: corpus.name, bytes: corpus.bytes, words, distinctWords: counts.size },
          reset,
        });
      } catch (error) {
        post({ type: 'error', message: errorMessage(error), during: 'load' });
      }
      break;
    }
    case 'configure':
      try {
        post({ type: 'reset', reset: configure(message.settings) });
      } catch (error) {
        post({ type: 'error', message: errorMessage(error), during: 'configure' });
      }
      break;
    case 'run': {
      if (!trainer) return post({ type: 'error', message: 'Load a corpus first.', during: 'run' });
      remaining = Math.max(0, Math.floor(message.steps));
      if (!sliceQueued) runSlice(generation);
      break;
    }
    case 'pause':
      remaining = 0;
      break;
  }
};
