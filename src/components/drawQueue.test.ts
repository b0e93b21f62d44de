import { describe, expect, it } from 'vitest';
import { createDrawQueue } from './drawQueue';

/** A hand-driven clock and frame loop: each draw "takes" the time the test says. */
function harness(budgetMs: number) {
  let t = 0;
  let frames: (() => void)[] = [];
  const queue = createDrawQueue(
    (callback) => frames.push(callback),
    () => t,
    budgetMs,
  );
  const runFrame = () => {
    const due = frames;
    frames = [];
    due.forEach((f) => f());
  };
  const drawTaking = (ms: number, log: string[], name: string) => () => {
    log.push(name);
    t += ms;
  };
  return { queue, runFrame, drawTaking, framesRequested: () => frames.length };
}

describe('draw queue', () => {
  it('draws nothing until the next frame, then each pending chart once with its newest draw', () => {
    const { queue, runFrame, drawTaking } = harness(8);
    const log: string[] = [];
    const a = {};
    queue.schedule(a, drawTaking(1, log, 'a1'));
    queue.schedule(a, drawTaking(1, log, 'a2'));
    expect(log).toEqual([]);
    runFrame();
    expect(log).toEqual(['a2']);
    expect(queue.pending).toBe(0);
  });

  it('spreads draws over frames once a frame has spent its budget, keeping their order', () => {
    const { queue, runFrame, drawTaking, framesRequested } = harness(8);
    const log: string[] = [];
    const [a, b, c] = [{}, {}, {}];
    queue.schedule(a, drawTaking(5, log, 'a'));
    queue.schedule(b, drawTaking(5, log, 'b'));
    queue.schedule(c, drawTaking(5, log, 'c'));
    expect(framesRequested()).toBe(1);
    runFrame();
    expect(log).toEqual(['a', 'b']);
    expect(framesRequested()).toBe(1);
    runFrame();
    expect(log).toEqual(['a', 'b', 'c']);
    expect(framesRequested()).toBe(0);
  });

  it('runs at least one draw a frame, however long it takes', () => {
    const { queue, runFrame, drawTaking } = harness(8);
    const log: string[] = [];
    queue.schedule({}, drawTaking(30, log, 'slow'));
    queue.schedule({}, drawTaking(1, log, 'next'));
    runFrame();
    expect(log).toEqual(['slow']);
    runFrame();
    expect(log).toEqual(['slow', 'next']);
  });

  it('a cancelled draw does not run', () => {
    const { queue, runFrame, drawTaking } = harness(8);
    const log: string[] = [];
    const a = {};
    queue.schedule(a, drawTaking(1, log, 'a'));
    queue.cancel(a);
    runFrame();
    expect(log).toEqual([]);
  });
});
