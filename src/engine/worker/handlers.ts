/**
 * One handler per message the page sends (trainProtocol.ts's ToEngine). Each runs its work through
 * the engine's queue, so a command never interleaves with a step; what it returns is the reply.
 */
import * as tf from '@tensorflow/tfjs-core';
import { snapshotRows, type StepReport } from '../../core/train';
import { useBackend } from '../backends';
import { injectFault } from '../faults';
import { exportSessionFile, importSessionFile, saveSession } from '../persistJobs';
import { isFaultCommand, TEST_HOOKS } from '../testHooks';
import type { FaultCommand, ToEngine } from '../trainProtocol';
import { startBackground } from './background';
import { queue, requireSession, type Engine } from './engine';
import { postSnapshot, takeSnapshot } from './health';
import { init, restore } from './lifecycle';
import { moveTo, probed } from './placement';
import { playLoop, runStep } from './stepping';
import { validateLearnedRequest } from '../../core/learned/report';

type Handlers = {
  [K in ToEngine['type']]: (engine: Engine, message: Extract<ToEngine, { type: K }>) => Promise<unknown>;
};

/** tf.profile of one step: how many kernels it ran, the tensors it left, its peak memory. */
async function profileStep(engine: Engine) {
  let report: StepReport | null = null;
  const info = await tf.profile(async () => {
    report = await runStep(engine);
  });
  postSnapshot(engine);
  return {
    kernels: info.kernels.length,
    newTensors: info.newTensors,
    peakBytes: info.peakBytes,
    kernelMs: info.kernels.reduce(
      (sum, k) => sum + (typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0),
      0,
    ),
    step: (report as StepReport | null)?.step ?? 0,
  };
}

const HANDLERS: Handlers = {
  init: (engine, message) =>
    queue(engine, async () => {
      const vocab = await init(engine, message.settings, message.vocab, message.corpus);
      startBackground(engine);
      return vocab;
    }),
  step: (engine, message) =>
    queue(engine, async () => {
      for (let i = 0; i < message.steps; i++) if ((await runStep(engine))?.nonFinite) break;
      postSnapshot(engine);
    }),
  play: async (engine, message) => {
    engine.stepsPerSecond = Math.min(60, Math.max(0.1, message.stepsPerSecond));
    if (!engine.playing && engine.session) {
      engine.playing = true;
      postSnapshot(engine);
      void playLoop(engine);
    }
  },
  pause: async (engine) => {
    engine.playing = false;
    await queue(engine, () => takeSnapshot(engine));
    postSnapshot(engine);
  },
  setLearningRate: (engine, message) =>
    queue(engine, async () => {
      engine.session?.setLearningRate(message.learningRate);
      engine.compare?.setLearningRate(message.learningRate);
      engine.settings = { ...engine.settings, learningRate: message.learningRate };
      postSnapshot(engine);
    }),
  setBackend: (engine, message) =>
    queue(engine, async () => {
      requireSession(engine);
      // tfjs moves each variable's data to the new backend on first use, so the weights and
      // the optimizer state carry over unchanged; the fused path writes its buffers back first.
      engine.generation++; // chosen by hand: a race under way is called off
      const status = await probed(engine, message.backend);
      if (!status.available) {
        await useBackend(engine.backend ?? 'cpu');
        throw new Error(`The ${message.backend} backend is not available here: ${status.reason ?? ''}`);
      }
      await moveTo(engine, message.backend);
      engine.settings = { ...engine.settings, backend: message.backend };
      postSnapshot(engine);
    }),
  snapshotRows: (engine, message) =>
    queue(engine, async () => {
      const session = requireSession(engine);
      await session.sync();
      return snapshotRows(session.state, message.ids);
    }),
  probeGradients: (engine) => queue(engine, async () => requireSession(engine).probeGradients()),
  trace: (engine, message) => queue(engine, async () => requireSession(engine).trace(message.a, message.b)),
  tables: (engine) => queue(engine, async () => requireSession(engine).tables()),
  learned: (engine, message) => queue(engine, async () => requireSession(engine).learned(message.request)),
  // Not queued: it only says what to compute after the steps to come.
  watchLearned: async (engine, message) => {
    if (message.request !== null) validateLearnedRequest(message.request);
    engine.learnedWatch = message.request;
  },
  profileStep: (engine) => queue(engine, () => profileStep(engine)),
  save: (engine, message) =>
    queue(engine, async () => {
      const session = requireSession(engine, 'There is no model to save yet.');
      const { request } = message;
      if (request.expectStep !== null && request.expectStep !== session.state.step) return 'stale';
      await session.sync();
      await engine.compare?.sync();
      const { compare, settings, vocab, corpus, backend } = engine;
      return saveSession({ main: session, compare, settings, vocab, corpus, backend }, request);
    }),
  restore: (engine, message) =>
    queue(engine, async () => {
      const restored = await restore(engine, message.sessionId);
      startBackground(engine);
      return restored;
    }),
  // Not queued behind training: it checks a file and writes a new record, touching no model.
  importFile: (_engine, message) => importSessionFile(message.bytes),
  exportFile: (_engine, message) => exportSessionFile(message.sessionId),
};

/** A fault from a test-hooks build (engine/faults.ts), injected between two steps. */
function injectBetweenSteps(engine: Engine, message: FaultCommand): Promise<unknown> {
  return queue(engine, async () => {
    const { session } = engine;
    // The weights before the fault are the last good ones, as before any real failure.
    if (engine.good === null && session) await takeSnapshot(engine);
    // Faults act on the variables; the fused path's buffers are brought in line around them.
    if (message.type !== 'loseDevice') await session?.sync();
    const broke = injectFault(message, session);
    if (message.type !== 'loseDevice') await session?.reload();
    return broke;
  });
}

export function handle(engine: Engine, message: ToEngine | FaultCommand): Promise<unknown> {
  // TEST_HOOKS is a build-time constant: a production build drops this branch and the hooks with it.
  if (TEST_HOOKS && isFaultCommand(message)) return injectBetweenSteps(engine, message);
  const handler = Object.hasOwn(HANDLERS, message.type)
    ? (HANDLERS[message.type as ToEngine['type']] as (engine: Engine, message: ToEngine) => Promise<unknown>)
    : undefined;
  // Fault injection (test builds only) lands here in a production build and is refused.
  if (!handler)
    return Promise.reject(
      new Error(`The training engine does not know the command “${(message as { type: string }).type}”.`),
    );
  return handler(engine, message as ToEngine);
}
