/**
 * Messages between the page and the training Worker. No tf.Tensor ever crosses: reports carry
 * plain numbers and typed arrays, whose buffers are transferred, not copied.
 */
import type { BertConfig } from '../core/model';
import type { StepReport } from '../core/train/pure';
import type { BackendName, EngineSettings } from '../core/domain/settings';
import type { OptimizerComparison } from '../core/domain/history';
import type { SavedPageState } from '../persist/pageState';
import type { LearnedReport, LearnedRequest } from '../core/learned/types';

export interface AdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
  /** A software adapter (e.g. SwiftShader) rather than a GPU. */
  readonly isFallbackAdapter: boolean;
}

export interface BackendStatus {
  readonly name: BackendName;
  readonly available: boolean;
  /** Why it is not available. */
  readonly reason?: string;
  readonly adapter?: AdapterInfo;
  /** WebGL's renderer, as the browser names it (e.g. "ANGLE (…, SwiftShader …)"). */
  readonly renderer?: string;
  /** WebGL drawn by a software rasterizer (SwiftShader, llvmpipe, …): hopeless for training. */
  readonly softwareRenderer?: boolean;
  /** Not probed yet: the engine starts on wasm first and probes the others in the background. */
  readonly pending?: boolean;
  /** Median ms per training step measured when choosing automatically. */
  readonly measuredMs?: number;
}

/** A step report as posted: identical to the core's, the batch included. */
export type StepReportMessage = StepReport;

export interface EngineSnapshot {
  readonly backend: BackendName | null;
  readonly adapter: AdapterInfo | null;
  readonly backends: readonly BackendStatus[];
  readonly step: number;
  readonly config: BertConfig | null;
  readonly settings: EngineSettings;
  readonly playing: boolean;
  readonly msPerStep: number | null;
  /**
   * Steps run as the lab's own fused WebGPU kernels (src/core/fused): one submission a step on
   * tfjs-backend-webgpu's device. False on the other backends, which run the tfjs ops.
   */
  readonly fusedStep: boolean;
  readonly numTensors: number;
  readonly numBytes: number;
  /**
   * What the engine does in the background while the learner already works, in words (probing the
   * other backends, timing one against the backend in use); null when nothing.
   */
  readonly background: string | null;
}

/** tf.profile of one training step. */
export interface StepProfile {
  readonly kernels: number;
  readonly newTensors: number;
  readonly peakBytes: number;
  readonly kernelMs: number;
}

/** What the page asks the engine to save: the weights come from the engine, the rest from here. */
export interface SaveSessionRequest {
  /** The saved session's id; the page holds its Web Lock. */
  readonly id: string;
  readonly name: string;
  readonly named: boolean;
  readonly page: SavedPageState;
  /**
   * The step the page state belongs to. If the engine has moved on since (a step was queued
   * first), it saves nothing and replies 'stale', so weights and history never disagree.
   */
  readonly expectStep: number | null;
}

/** A session rebuilt from IndexedDB: the page puts this back into the Training view. */
export interface RestoredSession {
  readonly settings: EngineSettings;
  readonly vocab: readonly string[];
  readonly step: number;
  readonly page: SavedPageState;
}

export type ToEngine =
  | {
      readonly type: 'init';
      readonly id: number;
      readonly settings: EngineSettings;
      /** null: train a small WordPiece vocabulary on the corpus first (micro without an adopted one). */
      readonly vocab: readonly string[] | null;
      readonly corpus: string;
    }
  | { readonly type: 'step'; readonly id: number; readonly steps: number }
  | { readonly type: 'play'; readonly stepsPerSecond: number }
  | { readonly type: 'pause' }
  | { readonly type: 'setLearningRate'; readonly id: number; readonly learningRate: number }
  | { readonly type: 'setBackend'; readonly id: number; readonly backend: BackendName }
  | { readonly type: 'snapshotRows'; readonly id: number; readonly ids: readonly number[] }
  | { readonly type: 'probeGradients'; readonly id: number }
  | { readonly type: 'profileStep'; readonly id: number }
  | { readonly type: 'trace'; readonly id: number; readonly a: string; readonly b?: string }
  | { readonly type: 'tables'; readonly id: number }
  /** What the rows learned, for the weights as they are now (the reply is a LearnedReport). */
  | { readonly type: 'learned'; readonly id: number; readonly request: LearnedRequest }
  /**
   * After every step, push a `learned` report for this request right after the step's report;
   * null stops. Replies once the request is checked (a bad one is refused and changes nothing).
   */
  | { readonly type: 'watchLearned'; readonly id: number; readonly request: LearnedRequest | null }
  | { readonly type: 'save'; readonly id: number; readonly request: SaveSessionRequest }
  | { readonly type: 'restore'; readonly id: number; readonly sessionId: string }
  | { readonly type: 'importFile'; readonly id: number; readonly bytes: ArrayBuffer }
  | { readonly type: 'exportFile'; readonly id: number; readonly sessionId: string };

/**
 * Faults injected to exercise the recovery paths (a lost WebGPU device, weights gone NaN, a fused
 * step WebGPU refuses, fused buffers over the device's limits). Only a test-hooks build
 * (`vite build --mode test-hooks`) sends or accepts them; see engine/faults.ts.
 */
export type FaultCommand =
  | { readonly type: 'loseDevice'; readonly id: number }
  | { readonly type: 'corruptWeights'; readonly id: number }
  | { readonly type: 'failFusedStep'; readonly id: number }
  | { readonly type: 'capFusedLimits'; readonly bytes: number; readonly id: number };

/**
 * A slow stretch of work the page should explain: loading the corpus (page side), training the
 * micro vocabulary, starting the backend, building the model, compiling the first step's shaders
 * on WebGPU or WebGL. (Timing backends for 'auto' happens in the background, after the first
 * numbers: see EngineSnapshot.background.)
 */
export interface EnginePhase {
  readonly name: 'corpus' | 'vocab' | 'probe' | 'model' | 'compile';
  /** In words, for the page to show as it is. */
  readonly detail: string;
  /** 0..1 where the work has a real measure of progress. */
  readonly fraction?: number;
}

export type FromEngine =
  | { readonly type: 'reply'; readonly id: number; readonly ok: true; readonly value?: unknown }
  | { readonly type: 'reply'; readonly id: number; readonly ok: false; readonly error: string }
  | { readonly type: 'snapshot'; readonly snapshot: EngineSnapshot }
  | {
      readonly type: 'report';
      readonly report: StepReportMessage;
      /** null unless settings.compareOptimizer is on. */
      readonly comparison: OptimizerComparison | null;
      /** The engine's state right after the step (its step, ms, tensors). */
      readonly snapshot: EngineSnapshot;
    }
  | { readonly type: 'notice'; readonly level: 'info' | 'warning'; readonly message: string }
  /** The watched request's report for the step just reported (see `watchLearned`). */
  | { readonly type: 'learned'; readonly report: LearnedReport }
  /** What the engine is busy with while the page waits; null once it is done. */
  | { readonly type: 'phase'; readonly phase: EnginePhase | null };
