/**
 * The recipe of a training run, defined once: which backends, presets and optimizers exist, the
 * settings a run is started with, their bounds and their defaults. Each is a valibot schema, and
 * the TypeScript types are inferred from it, so the check and the type cannot drift apart. The
 * engine, the saved-session reader, share links and embeds all take their choices and bounds from
 * here. No tfjs: this module runs in the page, the Worker and Node alike.
 */
import * as v from 'valibot';
import type { PresetName } from '../model/config';

export type { PresetName };

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

/**
 * 'lab' (the default): bert-base-uncased's vocabulary on a small body; 'bert-tiny': Google's
 * BERT-Tiny; 'micro': a smaller body on a vocabulary learned from the corpus (or adopted from the
 * Vocabulary view). The presets themselves are core/model/config.ts's PRESETS.
 */
export const PRESET_NAMES = ['lab', 'micro', 'bert-tiny'] as const satisfies readonly PresetName[];

/** The optimizers offered; 'momentum' is SGD with momentum 0.9. */
export const OPTIMIZER_CHOICES = ['sgd', 'momentum', 'adam', 'adamw', 'lazyadam'] as const;
export type OptimizerChoice = (typeof OPTIMIZER_CHOICES)[number];

/**
 * The bounds of the numeric settings. Sequence length is further bounded by the preset's position
 * table (64 rows for micro, 128 for lab), which only the engine knows; 512 is BERT's own.
 */
export const SETTING_LIMITS = {
  batchSize: { min: 1, max: 64, integer: true },
  seqLength: { min: 8, max: 512, integer: true },
  learningRate: { min: 0, max: 1, integer: false },
  seed: { min: 0, max: 2 ** 32 - 1, integer: true },
} as const;

const finite = v.pipe(v.number(), v.finite());

/** The settings' kinds and choices, without the numeric bounds (a saved file is read with this). */
export const SETTINGS_SHAPE = v.object({
  preset: v.picklist(PRESET_NAMES),
  seed: finite,
  optimizer: v.picklist(OPTIMIZER_CHOICES),
  /**
   * A second optimizer trained alongside, from the same seed (same initial weights, batches and
   * dropout), for an A/B comparison; 'off' trains one model.
   */
  compareOptimizer: v.picklist(['off', ...OPTIMIZER_CHOICES] as const),
  learningRate: finite,
  warmupSteps: finite,
  totalSteps: finite,
  tieOutputEmbeddings: v.boolean(),
  batchSize: finite,
  seqLength: finite,
  /** 'auto': the fastest backend in a short timed race (a software WebGPU adapter is left out). */
  backend: v.picklist(['auto', ...BACKENDS] as const),
});

export type EngineSettings = Readonly<v.InferOutput<typeof SETTINGS_SHAPE>>;

type Bounded = keyof typeof SETTING_LIMITS;

/** Whether `value` is within the bounds of setting `key` (a whole number where it must be). */
export function withinLimits(key: Bounded, value: number): boolean {
  const { min, max, integer } = SETTING_LIMITS[key];
  return (integer ? Number.isInteger(value) : Number.isFinite(value)) && value >= min && value <= max;
}

const LABELS: Record<Bounded, string> = {
  batchSize: 'Batch size',
  seqLength: 'Sequence length',
  learningRate: 'Learning rate',
  seed: 'Seed',
};

/**
 * What is wrong with setting `key` when it is `value`, in the learner's words. `tighter` replaces
 * the upper bound where the model's own is lower, and says why (the preset's position table).
 */
export function limitMessage(
  key: Bounded,
  value: number,
  tighter?: { readonly max: number; readonly because: string },
): string {
  const { min } = SETTING_LIMITS[key];
  const max = tighter?.max ?? SETTING_LIMITS[key].max;
  const because = tighter ? ` (${tighter.because})` : '';
  if (key === 'learningRate') return `${LABELS[key]} must be in [${min}, ${max}], not ${value}.`;
  if (key === 'seed') return `${LABELS[key]} must be a whole number from 0 to 2³²−1, not ${value}.`;
  return `${LABELS[key]} must be ${min} to ${max}${because}, not ${value}.`;
}

/**
 * Reads settings from untrusted JSON (a saved file, a message) with the shape schema. Returns the
 * typed settings, or the first problem as "Setting <key> must be …" for the reader to wrap.
 */
export function parseSettingsShape(
  value: unknown,
): { ok: true; settings: EngineSettings } | { ok: false; message: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, message: 'The training settings are missing.' };
  const result = v.safeParse(SETTINGS_SHAPE, value, { abortEarly: true });
  if (result.success) return { ok: true, settings: result.output };
  const issue = result.issues[0];
  const key = String(issue.path?.[0]?.key ?? '');
  const entry = SETTINGS_SHAPE.entries[key as keyof typeof SETTINGS_SHAPE.entries];
  if (entry && 'options' in entry)
    return { ok: false, message: `Setting ${key} must be one of ${entry.options.join(', ')}.` };
  if (entry?.type === 'boolean') return { ok: false, message: `Setting ${key} must be true or false.` };
  return { ok: false, message: `Setting ${key} must be a number.` };
}

/**
 * The defaults of a fresh page. The optimizer is BERT's own AdamW (optimization.py's
 * AdamWeightDecayOptimizer: no bias correction, ε 1e-6, weight decay 0.01 except LayerNorm and
 * biases). Before it was, the default was 'adam': share links made then leave `opt` out and mean
 * Adam (see LEGACY_LINK_OPTIMIZER in the share codec).
 */
export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  preset: 'lab',
  seed: 42,
  optimizer: 'adamw',
  compareOptimizer: 'off',
  learningRate: 1e-3,
  warmupSteps: 10,
  totalSteps: 1000,
  tieOutputEmbeddings: true,
  batchSize: 8,
  seqLength: 32,
  backend: 'auto',
};
