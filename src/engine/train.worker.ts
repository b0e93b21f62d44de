/// <reference lib="webworker" />
/**
 * The training Worker: owns tfjs, the backend choice, the model and the training loop. The page
 * sends commands and receives snapshots, step reports and notices as plain data.
 *
 * The engine's state is one object (worker/engine.ts); each message has its handler
 * (worker/handlers.ts). Health (worker/health.ts): a step with a non-finite loss applies nothing
 * (the core refuses it); the engine then pauses, restores the last good snapshot and says why. A
 * lost WebGPU device or a fused step that fails is caught (worker/placement.ts): training moves to
 * the next backend from the last good state, and the page is told. Backends are timed only in the
 * background, after the first numbers (worker/background.ts).
 */
import { errorMessage } from '../core/errorMessage';
import type { FaultCommand, ToEngine } from './trainProtocol';
import { createEngine, notice } from './worker/engine';
import { handle } from './worker/handlers';
import { learnedTransfer } from '../core/learned/report';
import type { LearnedReport } from '../core/learned/types';

declare const self: DedicatedWorkerGlobalScope;

const engine = createEngine({ post: (message, transfer = []) => self.postMessage(message, transfer) });

/** The tables and learned reports are made for the page: move their buffers instead of cloning them. */
function transferables(message: ToEngine | FaultCommand, value: unknown): Transferable[] {
  if (message.type === 'learned') return learnedTransfer(value as LearnedReport);
  if (message.type !== 'tables' || typeof value !== 'object' || value === null) return [];
  return Object.values(value)
    .filter((v): v is Float32Array => v instanceof Float32Array)
    .map((v) => v.buffer as ArrayBuffer);
}

self.onmessage = (event: MessageEvent<ToEngine | FaultCommand>) => {
  const message = event.data;
  const id = 'id' in message ? message.id : null;
  handle(engine, message).then(
    (value) => {
      if (id !== null) engine.out.post({ type: 'reply', id, ok: true, value }, transferables(message, value));
      // The first command after a start lets the background work begin (worker/background.ts).
      if (message.type !== 'init' && message.type !== 'restore') engine.backgroundDue?.();
    },
    (error: unknown) => {
      const text = errorMessage(error);
      if (id !== null) engine.out.post({ type: 'reply', id, ok: false, error: text });
      else notice(engine, 'warning', text);
    },
  );
};
