/**
 * The WordPiece vocabulary trainer's Worker, seen from the store: made on the first message sent
 * to it, and its messages turned into the Vocabulary view's state by a pure reduction.
 */
import { createVocabTrainerClient, type VocabTrainerClient } from '../../engine/vocabTrainerClient';
import type { FromTrainer } from '../../engine/vocabProtocol';
import type { VocabTrainerView } from '../types';

/** A `send` that starts the trainer's Worker on its first message; replies go to `receive`. */
export function connectVocabTrainer(receive: (message: FromTrainer) => void): VocabTrainerClient['send'] {
  let client: VocabTrainerClient | null = null;
  return (message) => {
    client ??= createVocabTrainerClient(receive);
    client.send(message);
  };
}

/** The change to the trainer's state that one message from its Worker makes. */
export function trainerPatchFor(trainer: VocabTrainerView, message: FromTrainer): Partial<VocabTrainerView> {
  switch (message.type) {
    case 'progress':
      return { progress: message.fraction };
    case 'loaded':
    case 'reset': {
      const { reset } = message;
      return {
        status: 'ready',
        progress: 1,
        ...(message.type === 'loaded' ? { corpus: message.corpus } : {}),
        vocab: reset.vocab,
        initialVocabSize: reset.initialVocabSize,
        initialPiecesPerWord: reset.initialPiecesPerWord,
        droppedChars: reset.droppedChars,
        droppedWords: reset.droppedWords,
        wordCount: reset.wordCount,
        stopped: reset.stopped,
        steps: [],
        error: null,
      };
    }
    case 'steps': {
      // A merge whose token already exists changes the splits but adds nothing to the vocabulary.
      const added = message.steps.filter(
        (s, i) => s.vocabSize > (message.steps[i - 1]?.vocabSize ?? trainer.vocab.length),
      );
      return {
        status: message.running ? 'running' : 'ready',
        steps: message.steps.length ? [...trainer.steps, ...message.steps] : trainer.steps,
        vocab: added.length ? [...trainer.vocab, ...added.map((s) => s.token)] : trainer.vocab,
        stopped: message.stopped,
      };
    }
    case 'error':
      return {
        status: message.during === 'load' && !trainer.corpus ? 'error' : trainer.corpus ? 'ready' : 'idle',
        error: message.message,
        progress: 0,
      };
  }
}
