/**
 * The views other than Tokenize & Pack, loaded on demand. The first view, the store and React are
 * all a learner needs to start typing; the other views, with their charts, d3 scales and export
 * code, are about as heavy again, so they come in their own chunks when first shown (or, for the
 * Training view, once the first view is ready: see App). TensorFlow.js is in none of them: it
 * lives in the training Worker only.
 */
import { lazy, Suspense, type ReactNode } from 'react';

export const VocabView = lazy(() =>
  import('../components/vocab/VocabView').then((m) => ({ default: m.VocabView })),
);
export const TrainPanel = lazy(() =>
  import('../components/train/TrainPanel').then((m) => ({ default: m.TrainPanel })),
);
export const SumView = lazy(() => import('../components/sum/SumView').then((m) => ({ default: m.SumView })));
export const LearnedView = lazy(() =>
  import('../components/learned/LearnedView').then((m) => ({ default: m.LearnedView })),
);
export const LessonView = lazy(() =>
  import('../components/lesson/LessonView').then((m) => ({ default: m.LessonView })),
);

/** What shows while a view's code loads: usually a few milliseconds, from the cache once offline. */
export function ViewSuspense({ children }: { children: ReactNode }) {
  return (
    <Suspense
      fallback={
        <p className="muted" role="status" data-testid="view.loading">
          Loading the view…
        </p>
      }
    >
      {children}
    </Suspense>
  );
}
