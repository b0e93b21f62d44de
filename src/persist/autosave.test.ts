import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAutosaver } from './autosave';

describe('autosave timing', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** A save that takes `ms` of fake time; records when each save started. */
  function recorder(ms: number) {
    const starts: number[] = [];
    const save = () => {
      starts.push(Date.now());
      return new Promise<void>((resolve) => setTimeout(resolve, ms));
    };
    return { starts, save };
  }

  it('saves a burst of changes once, then at most every interval', async () => {
    const { starts, save } = recorder(10);
    const t0 = Date.now();
    const saver = createAutosaver(save, { minIntervalMs: 2000 });
    for (let i = 0; i < 50; i++) saver.request();
    await vi.advanceTimersByTimeAsync(100);
    expect(starts.map((t) => t - t0)).toEqual([0]);
    for (let i = 0; i < 50; i++) {
      saver.request();
      await vi.advanceTimersByTimeAsync(100);
    }
    // 5 s of steps every 100 ms: saves at 0, 2000 and 4000 ms only.
    expect(starts.map((t) => t - t0)).toEqual([0, 2000, 4000]);
  });

  it('a flush saves at once, after a running save, and never runs two saves together', async () => {
    const { starts, save } = recorder(500);
    const t0 = Date.now();
    const saver = createAutosaver(save, { minIntervalMs: 2000 });
    saver.request();
    await vi.advanceTimersByTimeAsync(0);
    expect(saver.saving).toBe(true);
    const flushed = saver.flush();
    await vi.advanceTimersByTimeAsync(1000);
    await flushed;
    expect(starts.map((t) => t - t0)).toEqual([0, 500]);
  });

  it('a save that asks for a flush before its first await never runs beside it', async () => {
    // A store listener sees the save's own "saving" update and flushes again, synchronously.
    let saves = 0;
    let running = 0;
    let most = 0;
    let saver: ReturnType<typeof createAutosaver> | null = null;
    const save = () => {
      saves++;
      running++;
      most = Math.max(most, running);
      if (saves === 1) void saver!.flush();
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          running--;
          resolve();
        }, 50),
      );
    };
    saver = createAutosaver(save, { minIntervalMs: 2000 });
    const done = saver.flush();
    await vi.advanceTimersByTimeAsync(10_000);
    await done;
    // One save at a time: the re-entrant flush waits for the running save, then saves once more.
    expect(most).toBe(1);
    expect(saves).toBe(2);
  });

  it('a slow save stretches the interval to ten times its duration, so training is not slowed much', async () => {
    const { starts, save } = recorder(1000);
    const t0 = Date.now();
    const saver = createAutosaver(save, { minIntervalMs: 2000 });
    saver.request();
    await vi.advanceTimersByTimeAsync(1500);
    saver.request();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(starts.map((t) => t - t0)).toEqual([0, 10_000]);
  });

  it('a failed save does not stop the next one, and cancel drops a pending one', async () => {
    let calls = 0;
    const saver = createAutosaver(
      () => {
        calls++;
        return Promise.reject(new Error('quota'));
      },
      { minIntervalMs: 100 },
    );
    saver.request();
    await vi.advanceTimersByTimeAsync(0);
    saver.request();
    await vi.advanceTimersByTimeAsync(200);
    expect(calls).toBe(2);
    saver.request();
    saver.cancel();
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toBe(2);
  });
});
