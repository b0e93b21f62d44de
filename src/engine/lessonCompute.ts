/**
 * The page's handle on the Lesson's computation Worker (lessonCompute.worker.ts): one request, one
 * Worker, ended after its reply or when the signal aborts.
 */
import type { compareVocabularies, VocabularyComparison } from '../core/lesson/vocabSize';
import type { wordpieceLesson, WordpieceResult } from '../core/lesson/wordpiece';
import lessonWorkerUrl from './lessonCompute.worker.ts?worker&url';
import { startLabWorker } from './labWorker';

export type LessonComputeRequest =
  | {
      readonly type: 'wordpiece';
      readonly corpus: string;
      readonly bertVocab: readonly string[];
      readonly options: Parameters<typeof wordpieceLesson>[2];
    }
  | {
      readonly type: 'compare';
      readonly corpus: string;
      readonly options: Parameters<typeof compareVocabularies>[1];
    };

export type LessonComputeReply =
  | { readonly ok: true; readonly value: WordpieceResult | VocabularyComparison }
  | { readonly ok: false; readonly error: string };

type Answer<R extends LessonComputeRequest> = R['type'] extends 'wordpiece'
  ? WordpieceResult
  : VocabularyComparison;

export function computeInWorker<R extends LessonComputeRequest>(
  request: R,
  signal: AbortSignal,
): Promise<Answer<R>> {
  return new Promise((resolve, reject) => {
    const worker = startLabWorker(lessonWorkerUrl);
    const end = () => {
      worker.terminate();
      signal.removeEventListener('abort', aborted);
    };
    const aborted = () => {
      end();
      reject(new Error('The lesson run was stopped.'));
    };
    signal.addEventListener('abort', aborted);
    worker.onmessage = (event: MessageEvent<LessonComputeReply>) => {
      end();
      const reply = event.data;
      if (reply.ok) resolve(reply.value as Answer<R>);
      else reject(new Error(reply.error));
    };
    worker.onerror = (event) => {
      end();
      reject(new Error(event.message || 'The lesson computation stopped unexpectedly.'));
    };
    worker.postMessage(request);
  });
}
