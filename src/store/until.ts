import type { LabState, LabStore } from './types';

/** Resolves once `done(state)` holds: at once if it already does, else at the first change that makes it. */
export function until(store: LabStore, done: (state: LabState) => boolean): Promise<void> {
  if (done(store.getState())) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = store.subscribe((state) => {
      if (!done(state)) return;
      stop();
      resolve();
    });
  });
}
