import { describe, expect, it } from 'vitest';
import { createWorkQueue } from './workQueue';

/** A promise with its resolver outside, so a test decides when work ends. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('the Worker work queue', () => {
  it('runs commands one after another, in the order they were queued', async () => {
    const q = createWorkQueue();
    const order: string[] = [];
    const first = gate();
    const a = q.run(async () => {
      await first.opened;
      order.push('a');
    });
    const b = q.run(async () => {
      order.push('b');
    });
    expect(q.waiting).toBe(2);
    first.open();
    await Promise.all([a, b]);
    expect(order).toEqual(['a', 'b']);
    expect(q.waiting).toBe(0);
  });

  it('lets a command queued while background work waits go first', async () => {
    const q = createWorkQueue();
    const order: string[] = [];
    const step = gate();
    const running = q.run(async () => {
      await step.opened;
      order.push('step 1');
    });
    const bg = q.background(async () => {
      order.push('probe');
    });
    // Queued after the background job was asked for, but before it could start: it goes first.
    const next = q.run(async () => {
      order.push('step 2');
    });
    step.open();
    await Promise.all([running, bg, next]);
    expect(order).toEqual(['step 1', 'step 2', 'probe']);
  });

  it('keeps going after a command fails', async () => {
    const q = createWorkQueue();
    await expect(q.run(() => Promise.reject(new Error('bad')))).rejects.toThrow('bad');
    await expect(q.background(async () => 7)).resolves.toBe(7);
    expect(q.waiting).toBe(0);
  });
});
