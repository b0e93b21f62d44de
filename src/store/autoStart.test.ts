import { describe, expect, it } from 'vitest';
import { createLabStore, type LabStore } from './labStore';

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

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

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
    store.getState().holdAutoStart(new Promise<void>((resolve) => (resume = resolve)));
    store.getState().autoStartTraining();
    expect(starts()).toBe(0);
    // The resumed session is running when the hold ends: nothing to start.
    store.setState({ training: { ...store.getState().training, status: 'ready' } });
    resume();
    await settle();
    expect(store.getState().training.autoStartHolds).toBe(0);
    store.getState().autoStartTraining();
    expect(starts()).toBe(0);
  });

  it('starts once every hold has ended, a failed one included, if nothing else started it', async () => {
    const { store, starts } = recordingStore();
    let fail!: (error: Error) => void;
    let done!: () => void;
    store.getState().holdAutoStart(new Promise<void>((_, reject) => (fail = reject)));
    store.getState().holdAutoStart(new Promise<void>((resolve) => (done = resolve)));
    fail(new Error('no saved session here'));
    await settle();
    store.getState().autoStartTraining();
    expect(starts()).toBe(0);
    done();
    await settle();
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
