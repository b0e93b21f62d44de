/** The page's handle on the vocabulary-trainer Worker: typed messages in, typed messages out. */
import type { FromTrainer, ToTrainer } from './vocabProtocol';
import vocabWorkerUrl from './vocabTrainer.worker.ts?worker&url';
import { startLabWorker } from './labWorker';

export interface VocabTrainerClient {
  send(message: ToTrainer): void;
  dispose(): void;
}

export function createVocabTrainerClient(onMessage: (message: FromTrainer) => void): VocabTrainerClient {
  const worker = startLabWorker(vocabWorkerUrl);
  worker.onmessage = (event: MessageEvent<FromTrainer>) => onMessage(event.data);
  worker.onerror = (event) =>
    onMessage({
      type: 'error',
      message: event.message || 'The trainer stopped unexpectedly.',
      during: 'run',
    });
  return {
    send: (message) => worker.postMessage(message),
    dispose: () => worker.terminate(),
  };
}
