/**
 * One training session: the tiny BERT, its pretraining data and its optimizer, built from plain
 * settings, a vocabulary and a corpus. No Worker or DOM code here, so Node tests can drive it.
 */
import type * as tf from '@tensorflow/tfjs-core';
import {
  configForPreset,
  disposeTrace,
  flattenParams,
  forward,
  paramInfos,
  readTrace,
  type BertConfig,
  type EmbeddingTables,
  type TraceArrays,
} from '../core/model';
import { createBertTokenizer, indexVocab, SPECIAL_TOKENS, VocabError } from '../core/tokenizer';
import {
  computeGradients,
  createPretrainingData,
  createTrainState,
  defaultOptimizerConfig,
  disposeGradients,
  disposeState,
  parseCorpus,
  trainStep,
  DEFAULT_CLIP_NORM,
  type PretrainingBatch,
  type PretrainingData,
  type StepReport,
  type TrainState,
} from '../core/train';
import { FusedStepError } from '../core/fused/errors';
import { batchShape } from '../core/fused/stepBuffers';
import { createFusedTrainer, type FusedTrainer } from '../core/fused/trainer';
import { limitMessage, withinLimits, type EngineSettings } from '../core/domain/settings';

export class SettingsError extends Error {
  override name = 'SettingsError';
}

export interface Session {
  readonly config: BertConfig;
  readonly state: TrainState;
  readonly settings: EngineSettings;
  /** Batches taken from the data stream so far (a non-finite step takes one too). */
  readonly batchesDrawn: number;
  /**
   * Trains on the next batch. On the fused path a step that WebGPU refused or whose report cannot
   * be true rejects with a FusedStepError, after the session has gone back to the composite path
   * (see `leaveFusedPath`); that step's batch is the one the next call trains on.
   */
  step(): Promise<StepReport>;
  /**
   * Draws and drops `batches` batches, so a restored session's next batch is the one the saved
   * session would have trained on next: the stream is a pure function of the seed.
   */
  skipBatches(batches: number): void;
  /** Gradients of a fixed batch without dropout, by parameter name; nothing is applied. */
  probeGradients(): Promise<Record<string, Float32Array>>;
  setLearningRate(learningRate: number): void;
  /** The model's intermediates for one sentence pair, packed as the tokenizer does, no dropout. */
  trace(a: string, b?: string): Promise<PairTrace>;
  /** Copies of the embedding tables and the embedding LayerNorm's γ and β. */
  tables(): Promise<EmbeddingTables>;
  /**
   * Trains with the fused WebGPU step on `device` (tfjs-backend-webgpu's), or with the composite
   * tfjs step when null. The weights and optimizer state carry over either way. Rejects with a
   * FusedStepError ('limits', 'out-of-memory') when the fused step's buffers cannot be made; the
   * session then stays on the composite path with its variables current.
   */
  useDevice(device: GPUDevice | null, options?: { readonly deviceLost?: boolean }): Promise<void>;
  /** Test hooks (engine/faults.ts): breaks the next fused step, or caps the next trainer's limits. */
  injectFusedFault(fault: FusedFault): boolean;
  /** Whether steps run on the fused WebGPU path. */
  readonly fused: boolean;
  /**
   * Makes the state's tf.Variables current: the fused path keeps the weights in its own buffers
   * and writes them back only here. Call before reading or saving the variables.
   */
  sync(): Promise<void>;
  /** After the variables were assigned from outside (a restore), reloads the fused path from them. */
  reload(): Promise<void>;
  dispose(): void;
}

export type { EmbeddingTables };

/**
 * Faults for the tests of the fused path's failures: 'invalid-step' makes the next fused step's
 * submission one WebGPU rejects; 'limit' checks the next trainer's buffers against `bytes`
 * instead of the device's larger limits.
 */
export type FusedFault =
  { readonly type: 'invalid-step' } | { readonly type: 'limit'; readonly bytes: number };

export interface PairTrace extends TraceArrays {
  readonly tokens: readonly string[];
  readonly inputIds: readonly number[];
  readonly tokenTypeIds: readonly number[];
  readonly step: number;
  /** (sum − mean) / sqrt(variance + ε), before γ and β: [1, T, H]. */
  readonly embeddingNormalized: Float32Array;
  readonly gamma: Float32Array; // [H], the embedding LayerNorm's scale
  readonly beta: Float32Array; // [H], and its shift
  readonly layerNormEps: number;
  /** The position table's length: longer pairs were cut to it. */
  readonly maxPositions: number;
  /** Word pieces of A and B that truncation to maxPositions cut off. */
  readonly truncatedPieces: number;
}

/** A copy of a tensor's values: some backends hand out their own storage, which must not be transferred. */
async function copyOf(t: tf.Tensor): Promise<Float32Array> {
  return Float32Array.from(await t.data<'float32'>());
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new SettingsError(message);
}

export function configFor(settings: EngineSettings, vocabSize: number): BertConfig {
  return configForPreset(settings.preset, vocabSize, settings.tieOutputEmbeddings);
}

/** The settings' bounds (core/domain/settings.ts), the sequence length within the preset's position table. */
function validateSettings(settings: EngineSettings, config: BertConfig): void {
  const { batchSize, seqLength, learningRate, seed } = settings;
  check(withinLimits('batchSize', batchSize), limitMessage('batchSize', batchSize));
  check(
    withinLimits('seqLength', seqLength) && seqLength <= config.maxPositions,
    limitMessage('seqLength', seqLength, {
      max: config.maxPositions,
      because: "the preset's position table",
    }),
  );
  check(withinLimits('learningRate', learningRate), limitMessage('learningRate', learningRate));
  check(withinLimits('seed', seed), limitMessage('seed', seed));
}

/**
 * Everything that can be wrong with a start request, checked without building a tensor, so the
 * engine can refuse it before it drops the session that is running. Returns the model's config.
 */
export function checkInputs(settings: EngineSettings, vocab: readonly string[]): BertConfig {
  try {
    indexVocab(vocab);
  } catch (error) {
    if (error instanceof VocabError) throw new SettingsError(error.message);
    throw error;
  }
  // A vocabulary of the five specials alone turns every word into [UNK]: nothing left to learn.
  check(
    vocab.length > SPECIAL_TOKENS.length,
    `The vocabulary has only ${vocab.length} tokens; it needs word pieces besides ${SPECIAL_TOKENS.join(' ')}.`,
  );
  const config = configFor(settings, vocab.length);
  validateSettings(settings, config);
  return config;
}

export function createSession(settings: EngineSettings, vocab: readonly string[], corpus: string): Session {
  const config = checkInputs(settings, vocab);
  const tokenizer = createBertTokenizer(vocab);
  const documents = parseCorpus(corpus);
  const dataOptions = {
    maxSeqLength: settings.seqLength,
    maxPredictionsPerSeq: Math.max(1, Math.round(settings.seqLength * 0.15)),
  };
  const data: PretrainingData = createPretrainingData(documents, tokenizer, dataOptions, settings.seed);
  // The probe batch comes from its own stream, so probing never shifts the training batches. It is
  // made on first use: tokenizing the corpus for it would add ~0.1 s to every start.
  let probeBatch: PretrainingBatch | null = null;
  const probe = () =>
    (probeBatch ??= createPretrainingData(documents, tokenizer, dataOptions, settings.seed + 1).nextBatch(
      settings.batchSize,
    ));
  let schedule = {
    peakLearningRate: settings.learningRate,
    warmupSteps: Math.min(settings.warmupSteps, settings.totalSteps - 1),
    totalSteps: settings.totalSteps,
  };
  let state: TrainState = createTrainState(config, {
    optimizer:
      settings.optimizer === 'momentum'
        ? { kind: 'sgd', momentum: 0.9 }
        : defaultOptimizerConfig(settings.optimizer),
    schedule,
    clipNorm: DEFAULT_CLIP_NORM,
    seed: settings.seed,
  });

  let batchesDrawn = 0;
  let fused: FusedTrainer | null = null;
  /** True while the fused buffers hold steps the variables have not seen. */
  let stale = false;
  const sync = async () => {
    if (fused === null || !stale) return;
    await fused.syncToState();
    stale = false;
  };
  const shape = batchShape(settings.batchSize, settings.seqLength, dataOptions.maxPredictionsPerSeq);
  /** The batch of a fused step that failed: the next step trains on it, so none is lost or repeated. */
  let pending: PretrainingBatch | null = null;
  /** Test hooks: a cap on the limits the next fused trainer checks its buffers against. */
  let limitCap: number | null = null;

  const dropFused = () => {
    fused?.dispose();
    fused = null;
    stale = false;
  };

  /**
   * Back to the composite path after a fused step failed, keeping the last good step when it can:
   * a refused submission ('validation', 'out-of-memory') ran nothing, so the buffers still hold
   * the last good step and are synced into the variables first; after an 'impossible-report' the
   * buffers are not trusted, and the variables are the last good step only if they were current
   * before the failed step (`wasStale` false). Returns the error to reject with.
   */
  async function leaveFusedPath(error: FusedStepError, wasStale: boolean): Promise<FusedStepError> {
    let kept = !wasStale;
    if (error.kind !== 'impossible-report' && fused !== null) {
      try {
        await fused.syncToState();
        kept = true;
      } catch {
        // The read failed too: the variables keep what they held, current only if nothing was stale.
      }
    }
    dropFused();
    const outcome = kept
      ? `The weights and optimizer state of step ${state.step} are kept.`
      : `The weights since the last sync are lost; step ${state.step} must be restored from a snapshot.`;
    return new FusedStepError(error.kind, `${error.message} ${outcome}`, kept);
  }

  return {
    config,
    settings,
    get state() {
      return state;
    },
    get batchesDrawn() {
      return batchesDrawn;
    },
    async step() {
      let batch = pending;
      pending = null;
      if (batch === null) {
        batchesDrawn++;
        batch = data.nextBatch(settings.batchSize);
      }
      if (fused === null) return trainStep(state, batch);
      const wasStale = stale;
      stale = true;
      try {
        return await fused.step(batch);
      } catch (error) {
        if (!(error instanceof FusedStepError)) throw error;
        pending = batch;
        throw await leaveFusedPath(error, wasStale);
      }
    },
    get fused() {
      return fused !== null;
    },
    async useDevice(device, options = {}) {
      // A lost device cannot be read: the caller restores the variables from a snapshot instead.
      if (options.deviceLost !== true) await sync();
      dropFused();
      if (device === null) return;
      const limits =
        limitCap === null ? {} : { maxStorageBufferBindingSize: limitCap, maxBufferSize: limitCap };
      // On a FusedStepError nothing was made (or it was destroyed): the composite path stays.
      fused = await createFusedTrainer(() => state, device, shape, { limits });
    },
    injectFusedFault(fault) {
      if (fault.type === 'limit') {
        limitCap = fault.bytes;
        return true;
      }
      fused?.breakNextStep();
      return fused !== null;
    },
    sync,
    async reload() {
      stale = false;
      await fused?.loadFromState();
    },
    skipBatches(batches) {
      if (!Number.isInteger(batches) || batches < 0) throw new RangeError(`Cannot skip ${batches} batches.`);
      // Instances, not padded batches: a batch is exactly batchSize instances in order.
      for (let i = 0; i < batches * settings.batchSize; i++) data.nextInstance();
      batchesDrawn += batches;
    },
    async probeGradients() {
      await sync();
      const g = computeGradients(state.params, config, probe(), { training: false });
      try {
        const named: Record<string, Float32Array> = {};
        const infos = paramInfos(config);
        const grads = flattenParams(config, g.grads);
        const arrays = await Promise.all(grads.map((t) => t.data<'float32'>()));
        infos.forEach((info, i) => (named[info.name] = arrays[i]!));
        if (g.tokenOutputGrad)
          named['embeddings.token (output path)'] = await g.tokenOutputGrad.data<'float32'>();
        named.loss = Float32Array.of((await g.loss.data())[0]!);
        return named;
      } finally {
        disposeGradients(config, g);
      }
    },
    setLearningRate(learningRate) {
      check(withinLimits('learningRate', learningRate), limitMessage('learningRate', learningRate));
      schedule = { ...schedule, peakLearningRate: learningRate };
      // TrainState is plain data: a copy with the new schedule shares params and optimizer.
      const step = state.step;
      state = { ...state, options: { ...state.options, schedule } };
      state.step = step;
    },
    async trace(a, b) {
      await sync();
      // Truncated to the position table, the longest input this model can read.
      const packed = tokenizer.encodePair(a, b, { maxLength: config.maxPositions });
      const T = packed.inputIds.length;
      const input = {
        batchSize: 1,
        seqLength: T,
        inputIds: Int32Array.from(packed.inputIds),
        tokenTypeIds: Int32Array.from(packed.tokenTypeIds),
        attentionMask: Int32Array.from(packed.attentionMask),
        maskedSlots: new Int32Array(0),
      };
      const out = forward(state.params, config, input, { training: false, trace: true });
      try {
        const arrays = await readTrace(out.trace!);
        const norm = state.params.embeddings.norm;
        const H = config.hidden;
        // LayerNorm's first half, from the traced sum and statistics: x̂ = (x − μ) / sqrt(σ² + ε).
        const normalized = arrays.embeddingSum.map((x, i) => {
          const t = Math.floor(i / H);
          return (
            (x - arrays.embeddingNormMean[t]!) /
            Math.sqrt(arrays.embeddingNormVariance[t]! + config.layerNormEps)
          );
        });
        return {
          ...arrays,
          tokens: packed.tokens,
          inputIds: packed.inputIds,
          tokenTypeIds: packed.tokenTypeIds,
          step: state.step,
          embeddingNormalized: normalized,
          gamma: await copyOf(norm.gamma),
          beta: await copyOf(norm.beta),
          layerNormEps: config.layerNormEps,
          maxPositions: config.maxPositions,
          truncatedPieces: packed.truncated.a + packed.truncated.b,
        };
      } finally {
        disposeTrace(out.trace!);
        out.mlmLogits.dispose();
        out.nspLogits.dispose();
      }
    },
    async tables() {
      await sync();
      const e = state.params.embeddings;
      return {
        vocabSize: config.vocabSize,
        hidden: config.hidden,
        maxPositions: config.maxPositions,
        token: await copyOf(e.token),
        segment: await copyOf(e.segment),
        position: await copyOf(e.position),
        gamma: await copyOf(e.norm.gamma),
        beta: await copyOf(e.norm.beta),
        step: state.step,
      };
    },
    dispose: () => {
      dropFused();
      disposeState(state);
    },
  };
}
