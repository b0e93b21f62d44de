import { describe, expect, it } from 'vitest';
import { importReason, workerPlan } from './labWorker';

describe('workerPlan', () => {
  it('starts a worker of the page origin directly', () => {
    expect(
      workerPlan('https://lab.example/assets/train.worker-abc.js', 'https://lab.example/lesson/1.html'),
    ).toEqual({ kind: 'direct', url: 'https://lab.example/assets/train.worker-abc.js' });
    // A relative URL (the dev server's) is the page's own.
    expect(workerPlan('/src/engine/train.worker.ts?worker_file', 'http://localhost:5173/').kind).toBe(
      'direct',
    );
  });

  it('starts a worker of another origin through a Blob module that imports its absolute URL', () => {
    expect(
      workerPlan('https://lab.example/assets/train.worker-abc.js', 'https://course.example/week-1/'),
    ).toEqual({
      kind: 'blob',
      url: 'https://lab.example/assets/train.worker-abc.js',
      source: 'import "https://lab.example/assets/train.worker-abc.js";\n',
    });
  });

  it('counts another port or scheme, and localhost against 127.0.0.1, as another origin', () => {
    const worker = 'http://127.0.0.1:4173/assets/w.js';
    expect(workerPlan(worker, 'http://127.0.0.1:8080/').kind).toBe('blob');
    expect(workerPlan(worker, 'http://localhost:4173/').kind).toBe('blob');
    expect(workerPlan(worker, 'https://127.0.0.1:4173/').kind).toBe('blob');
  });

  it('writes the URL into the Blob as a JSON string, so no URL can end the import early', () => {
    const plan = workerPlan('https://lab.example/a";alert(1);"/w.js', 'https://course.example/');
    expect(plan.kind).toBe('blob');
    if (plan.kind === 'blob')
      expect(plan.source).toBe(`import ${JSON.stringify('https://lab.example/a%22;alert(1);%22/w.js')};\n`);
  });
});

describe('importReason', () => {
  it("names the lab's origin and the missing CORS header", () => {
    expect(importReason('https://lab.example/assets/w.js')).toMatch(
      /https:\/\/lab\.example.*Access-Control-Allow-Origin/,
    );
  });
});
