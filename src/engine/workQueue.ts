/**
 * The Worker's one line of work: commands never interleave with a step, because each runs after
 * everything queued before it. Background work (probing backends, the race) waits until no command
 * is queued, so the learner's clicks always go first and the background only fills the gaps, such
 * as the pauses between two steps of Play.
 */
export interface WorkQueue {
  /** Runs `work` after everything queued before it. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Runs `work` once no command is queued or running; commands queued meanwhile go first. */
  background<T>(work: () => Promise<T>): Promise<T>;
  /** Commands queued or running now. */
  readonly waiting: number;
}

export function createWorkQueue(): WorkQueue {
  let tail: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  const enqueue = <T>(work: () => Promise<T>, counted: boolean): Promise<T> => {
    if (counted) waiting++;
    const run = async () => {
      try {
        return await work();
      } finally {
        if (counted) waiting--;
      }
    };
    const next = tail.then(run, run);
    tail = next.catch(() => undefined);
    return next;
  };
  return {
    run: (work) => enqueue(work, true),
    async background(work) {
      // Each pass waits for what is queued now; a command queued while it waited is waited for too.
      while (waiting > 0) await tail;
      return enqueue(work, false);
    },
    get waiting() {
      return waiting;
    },
  };
}
