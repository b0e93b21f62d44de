/**
 * The Lesson's pure core: the chapters (content and run plans) and, per chapter, the function that
 * turns the run's real data into numbers, sentences and a checkable claim. No React, no DOM, no
 * tfjs: it runs in the page, a Worker and Node alike.
 */
export * from './chapters';
export * from './result';
export * from './rowChapters';
export * from './adam';
export * from './randomStart';
export * from './jointTraining';
export * from './wordpiece';
export * from './vocabSize';
export * from './learned';
