import { describe, expect, it } from 'vitest';
import { createLabStore } from './labStore';
import type { LabStore } from './types';

/** A store whose startTraining only records its calls and marks the engine as starting, as the real one does first. */
function recordingStore(): { store: LabStore; starts: () => number } {
  const store = createLabStore();
  let starts = 0;
  store.setState({
    startTraining: async () => {
      starts++;
      store.setState({ training: { ...store.getState().training, status: 'starting' } });
    },
  });
  return { store, starts: () => starts };
}

describe('starting the engine when a view is shown', () => {
  it('starts an idle engine once, however many views ask in the same moment', () => {
    const { store, starts } = recordingStore();
    store.getState().autoStartTraining();
    store.getState().autoStartTraining();
    expect(starts()).toBe(1);
  });

  it('waits while a link or a saved session holds the start, and stays out if that started the engine', async () => {
    const { store, starts } = recordingStore();
    let resume!: () => void;
    const hold = new Promise<void>((resolve) => (resume = resolve));
    store.getState().holdAutoStart(hold);
    store.getState().autoStartTraining();
    expect(starts()).toBe(0);
    // The resumed session is running when the hold ends: nothing to start.
    store.setState({ training: { ...store.getState().training, status: 'ready' } });
    resume();
    // The store took the hold first, so its release has run once the test's own wait ends.
    await hold;
    expect(store.getState().training.autoStartHolds).toBe(0);
    store.getState().autoStartTraining();
    expect(starts()).toBe(0);
  });

  it('starts once every hold has ended, a failed one included, if nothing else started it', async () => {
    const { store, starts } = recordingStore();
    let fail!: (error: Error) => void;
    let done!: () => void;
    const failing = new Promise<void>((_, reject) => (fail = reject));
    const succeeding = new Promise<void>((resolve) => (done = resolve));
    store.getState().holdAutoStart(failing);
    store.getState().holdAutoStart(succeeding);
    fail(new Error('no saved session here'));
    await expect(failing).rejects.toThrow('no saved session here');
    store.getState().autoStartTraining();
    expect(starts()).toBe(0);
    done();
    await succeeding;
    store.getState().autoStartTraining();
    expect(starts()).toBe(1);
  });

  it('never restarts an engine whose start failed: the learner sees why and restarts it', () => {
    const { store, starts } = recordingStore();
    store.setState({ training: { ...store.getState().training, status: 'error' } });
    store.getState().autoStartTraining();
    expect(starts()).toBe(0);
  });
});
