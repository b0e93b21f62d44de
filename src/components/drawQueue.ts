/**
 * Chart redraws batched to animation frames, with a budget per frame. A training step changes
 * several charts at once (the map, the loss curves, the frequency plot, the schedule); drawn in the
 * task that delivered the step they make one long frame, drawn here they share the next frames:
 * each frame runs pending draws, oldest first, until `budgetMs` is spent (always at least one), and
 * leaves the rest for the frame after. A chart asked to redraw again before its turn draws once,
 * with its newest data, in its first place in the line.
 */
export interface DrawQueue {
  /** Asks for `draw` to run in a coming frame under `key`, replacing a draw pending under it. */
  schedule(key: object, draw: () => void): void;
  /** Forgets the draw pending under `key`, if any. */
  cancel(key: object): void;
  /** How many draws wait. */
  readonly pending: number;
}

export function createDrawQueue(
  requestFrame: (callback: () => void) => unknown,
  now: () => number,
  budgetMs: number,
): DrawQueue {
  const waiting = new Map<object, () => void>();
  let requested = false;

  const frame = () => {
    requested = false;
    const start = now();
    for (const [key, draw] of waiting) {
      waiting.delete(key);
      draw();
      if (now() - start >= budgetMs) break;
    }
    if (waiting.size > 0) request();
  };
  const request = () => {
    if (requested) return;
    requested = true;
    requestFrame(frame);
  };

  return {
    schedule(key, draw) {
      // Map.set on an existing key keeps its place: the chart keeps its turn.
      waiting.set(key, draw);
      request();
    },
    cancel(key) {
      waiting.delete(key);
    },
    get pending() {
      return waiting.size;
    },
  };
}
