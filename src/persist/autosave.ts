/**
 * When to save: at most one save at a time, the next no sooner than `minIntervalMs` after the
 * last one started (stretched to 10× the last save's duration, so a 53 MB bert-tiny save does not
 * run back to back), and right away on `flush` (pause, the tab being hidden or closed). Requests
 * made while a save runs fold into one save after it. The page never waits on a save.
 */
export interface Autosaver {
  /** Something changed: save within the interval. */
  request(): void;
  /** Save as soon as the running save (if any) ends; resolves when the state is saved. */
  flush(): Promise<void>;
  /** Drops a pending save (the session it was for is gone). */
  cancel(): void;
  readonly saving: boolean;
}

export function createAutosaver(
  save: () => Promise<void>,
  options: { minIntervalMs: number; now?: () => number },
): Autosaver {
  const now = options.now ?? (() => Date.now());
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let lastStart = -Infinity;
  let lastDuration = 0;

  const interval = () => Math.max(options.minIntervalMs, 10 * lastDuration);

  const run = (): Promise<void> => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (running) {
      again = true;
      return running;
    }
    lastStart = now();
    // The save starts in a microtask, after `running` is set: a save that makes its caller ask
    // for another save before its first await (a store listener) then folds into this one.
    running = Promise.resolve()
      .then(save)
      .catch(() => undefined) // the saver reports its own errors; a failed save must not stop later ones
      .finally(() => {
        lastDuration = now() - lastStart;
        running = null;
        if (again) {
          again = false;
          schedule();
        }
      });
    return running;
  };

  function schedule(): void {
    if (timer !== null || running) {
      if (running) again = true;
      return;
    }
    const wait = Math.max(0, lastStart + interval() - now());
    timer = setTimeout(() => void run(), wait);
  }

  return {
    request: schedule,
    async flush() {
      if (running) {
        await running;
      }
      await run();
    },
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      again = false;
    },
    get saving() {
      return running !== null;
    },
  };
}
