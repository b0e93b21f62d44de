/// <reference lib="webworker" />
/**
 * The Lesson's pure computations that take a second or more (training WordPiece on the built-in
 * corpus, once or twice), off the page's main thread so its progress and controls stay live. One
 * request per Worker: the page ends it after the reply, or when the learner leaves mid-run.
 */
import { compareVocabularies } from '../core/lesson/vocabSize';
import { wordpieceLesson } from '../core/lesson/wordpiece';
import type { LessonComputeReply, LessonComputeRequest } from './lessonCompute';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (event: MessageEvent<LessonComputeRequest>) => {
  const request = event.data;
  const post = (reply: LessonComputeReply) => self.postMessage(reply);
  try {
    if (request.type === 'wordpiece')
      post({ ok: true, value: wordpieceLesson(request.corpus, request.bertVocab, request.options) });
    else post({ ok: true, value: compareVocabularies(request.corpus, request.options) });
  } catch (error) {
    post({ ok: false, error: error instanceof Error ? error.message : String(error) });
  }
};
