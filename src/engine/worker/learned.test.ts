import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LearnedRequest } from '../../core/learned/types';
import { createSession } from '../session';
import { corpus, corpusVocab, MICRO_CPU_SETTINGS } from '../test/fixtures';
import type { FromEngine } from '../trainProtocol';
import { createEngine, type Engine } from './engine';
import { handle } from './handlers';

const vocab = corpusVocab(400);
const settings = MICRO_CPU_SETTINGS;
const request: LearnedRequest = { pieces: ['the'], mapPieces: ['he'], k: 3, centred: true, mapSize: 20 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** An engine on the cpu backend with a micro session, recording what it posts and transfers. */
function engineWithSession(): { engine: Engine; posts: { message: FromEngine; transfer: Transferable[] }[] } {
  const posts: { message: FromEngine; transfer: Transferable[] }[] = [];
  const engine = createEngine({ post: (message, transfer = []) => posts.push({ message, transfer }) });
  engine.backend = 'cpu';
  engine.settings = settings;
  engine.session = createSession(settings, vocab, corpus);
  return { engine, posts };
}

describe('the Worker watching what the rows learned', () => {
  it("posts each step's learned report right after its step report, its buffers transferred", async () => {
    const { engine, posts } = engineWithSession();
    await handle(engine, { type: 'watchLearned', id: 1, request });
    await handle(engine, { type: 'step', id: 2, steps: 2 });
    const kinds = posts.map((p) => p.message.type).filter((t) => t === 'report' || t === 'learned');
    expect(kinds).toEqual(['report', 'learned', 'report', 'learned']);
    const learned = posts.filter((p) => p.message.type === 'learned');
    learned.forEach((p, i) => {
      const report = (p.message as Extract<FromEngine, { type: 'learned' }>).report;
      expect(report.step).toBe(i + 1);
      expect(report.neighbours[0]!.neighbours).toHaveLength(3);
      expect(p.transfer).toContain(report.positions.cosines.buffer);
      expect(p.transfer).toContain(report.vocabMap.coords.buffer);
    });
    // The reply to 'learned' is the same computation for the weights as they are now.
    const asked = await handle(engine, { type: 'learned', id: 3, request });
    const last = (learned[1]!.message as Extract<FromEngine, { type: 'learned' }>).report;
    expect(asked).toEqual(last);
    engine.session!.dispose();
  });

  it('refuses a bad request and keeps the watch; null stops it', async () => {
    const { engine, posts } = engineWithSession();
    await handle(engine, { type: 'watchLearned', id: 1, request });
    await expect(
      handle(engine, { type: 'watchLearned', id: 2, request: { ...request, k: 99 } }),
    ).rejects.toThrow(/1 to 50/);
    expect(engine.learnedWatch).toEqual(request);
    await handle(engine, { type: 'watchLearned', id: 3, request: null });
    await handle(engine, { type: 'step', id: 4, steps: 1 });
    expect(posts.some((p) => p.message.type === 'learned')).toBe(false);
    engine.session!.dispose();
  });
});
