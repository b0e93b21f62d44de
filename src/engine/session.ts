/**
 * One training session: the tiny BERT, its pretraining data and its optimizer, built from plain
 * settings, a vocabulary and a corpus. No Worker or DOM code here, so Node tests can drive it.
 */
import { configForPreset, type BertConfig, type EmbeddingTables } from '../core/model';
import { createBertTokenizer, indexVocab, SPECIAL_TOKENS, VocabError } from '../core/tokenizer';
import {
  createPretrainingData,
  createTrainState,
  defaultOptimizerConfig,
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
import { FusedPath, type FusedFault } from './fusedPath';
import {
  learnedOf,
  probeGradientsOf,
  tablesOf,
  traceOf,
  type PairTrace,
  type SessionTables,
} from './sessionReads';
import { corpusPieceCounts, validateLearnedRequest, type LearnedAxes } from '../core/learned/report';
import type { LearnedReport, LearnedRequest } from '../core/learned/types';
import { initialLeafNamed } from '../core/model/params';
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
   * (see FusedPath in fusedPath.ts); that step's batch is the one the next call trains on.
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
  /** Copies of the embedding tables and the embedding LayerNorm's γ and β, and E_token at step 0. */
  tables(): Promise<SessionTables>;
  /**
   * What the rows learned (core/learned/report.ts) for the weights as they are: neighbours, the
   * position cosines, the two maps, the segment rows. The maps keep the signs of this session's
   * previous report, so an animated map does not flip. Rejects a request out of bounds.
   */
  learned(request: LearnedRequest): Promise<LearnedReport>;
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

export type { EmbeddingTables, FusedFault, PairTrace, SessionTables };

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

/**
 * The fixed inputs of a session's learned reports, made on first use: the corpus's piece counts
 * (each document of the pretraining data counted once, not once per pair cut from it) and
 * E_segment at step 0 from the seed. The previous report's axes are kept here.
 */
function learnedSource(
  config: BertConfig,
  settings: EngineSettings,
  vocab: readonly string[],
  data: PretrainingData,
) {
  let fixed: { pieceCounts: Uint32Array; segmentAtStart: Float32Array } | null = null;
  let previousAxes: LearnedAxes | null = null;
  return {
    async read(state: TrainState, request: LearnedRequest): Promise<LearnedReport> {
      fixed ??= {
        pieceCounts: corpusPieceCounts(data.documents, config.vocabSize),
        segmentAtStart: initialLeafNamed(config, settings.seed, 'embeddings.segment'),
      };
      const { report, axes } = await learnedOf(state, request, {
        ...fixed,
        vocab,
        seqLength: settings.seqLength,
        previousAxes,
      });
      previousAxes = axes;
      return report;
    },
  };
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
  /** The batch of a fused step that failed: the next step trains on it, so none is lost or repeated. */
  let pending: PretrainingBatch | null = null;
  const shape = batchShape(settings.batchSize, settings.seqLength, dataOptions.maxPredictionsPerSeq);
  const fused = new FusedPath(() => state, shape);
  const sync = () => fused.sync();
  // E_token at step 0, made on the first tables read: the seed gives it again (createParams draws
  // each leaf from its own named stream), so nothing is copied before the first step.
  let tokenAtStart: Float32Array | null = null;
  const startToken = () => (tokenAtStart ??= initialLeafNamed(config, settings.seed, 'embeddings.token'));

  const learnedReads = learnedSource(config, settings, vocab, data);

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
      if (!fused.on) return trainStep(state, batch);
      try {
        return await fused.step(batch);
      } catch (error) {
        if (error instanceof FusedStepError) pending = batch;
        throw error;
      }
    },
    get fused() {
      return fused.on;
    },
    useDevice: (device, options) => fused.use(device, options),
    injectFusedFault: (fault) => fused.injectFault(fault),
    sync,
    reload: () => fused.reload(),
    skipBatches(batches) {
      if (!Number.isInteger(batches) || batches < 0) throw new RangeError(`Cannot skip ${batches} batches.`);
      // Instances, not padded batches: a batch is exactly batchSize instances in order.
      for (let i = 0; i < batches * settings.batchSize; i++) data.nextInstance();
      batchesDrawn += batches;
    },
    async probeGradients() {
      await sync();
      return probeGradientsOf(state, probe());
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
      return traceOf(state, tokenizer, a, b);
    },
    async tables() {
      await sync();
      return tablesOf(state, startToken());
    },
    async learned(request) {
      validateLearnedRequest(request);
      await sync();
      return learnedReads.read(state, request);
    },
    dispose: () => {
      fused.drop();
      disposeState(state);
    },
  };
}
