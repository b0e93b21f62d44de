/**
 * The size of a BERT: Google's `BertConfig` (modeling.py), with the names spelled out and the
 * two MLM-head choices this lab varies made explicit.
 */
export interface BertConfig {
  /** V: rows of the token embedding table, one per vocabulary entry. */
  readonly vocabSize: number;
  /** H: the width of every hidden state. */
  readonly hidden: number;
  /** L: the number of Transformer encoder layers. */
  readonly layers: number;
  /** A: attention heads per layer; each head works on H / A dimensions. */
  readonly heads: number;
  /** The width of the feed-forward block inside each layer (4H in BERT). */
  readonly intermediate: number;
  /** P: rows of the learned position embedding table, the longest sequence the model accepts. */
  readonly maxPositions: number;
  /** Rows of the segment (token type) table: 2, for sentence A and sentence B. */
  readonly typeVocabSize: number;
  /** The ε added to the variance in every LayerNorm (BERT: 1e-12). */
  readonly layerNormEps: number;
  /** Dropout on embeddings, attention output and feed-forward output (BERT: 0.1). */
  readonly hiddenDropout: number;
  /** Dropout on the attention probabilities (BERT: 0.1). */
  readonly attentionDropout: number;
  /** The MLM output projection reuses E_token (as BERT does) instead of its own W_out[V, H]. */
  readonly tieOutputEmbeddings: boolean;
  /** σ of the truncated normal every weight matrix starts from (BERT: 0.02). */
  readonly initStd: number;
}

/** Limits that keep a config inside what a browser tab can hold; BERT-Large fits under each. */
const CONFIG_LIMITS = {
  vocabSize: 200_000,
  hidden: 1024,
  layers: 24,
  heads: 64,
  intermediate: 8192,
  maxPositions: 4096,
  typeVocabSize: 16,
} as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** BERT's defaults for everything that is not a size. */
const BERT_DEFAULTS = {
  typeVocabSize: 2,
  layerNormEps: 1e-12,
  hiddenDropout: 0.1,
  attentionDropout: 0.1,
  tieOutputEmbeddings: true,
  initStd: 0.02,
} as const;

/** bert-base-uncased's vocabulary size, which BERT-Tiny shares. */
const BERT_BASE_UNCASED_VOCAB_SIZE = 30_522;

/**
 * Google's BERT-Tiny (Turc et al., 2019, "Well-Read Students Learn Better"): L=2, H=128, A=2,
 * with the bert-base-uncased vocabulary and 512 positions.
 */
export function bertTinyConfig(overrides: Partial<BertConfig> = {}): BertConfig {
  return validateConfig({
    ...BERT_DEFAULTS,
    vocabSize: BERT_BASE_UNCASED_VOCAB_SIZE,
    hidden: 128,
    layers: 2,
    heads: 2,
    intermediate: 512,
    maxPositions: 512,
    ...overrides,
  });
}

/**
 * The lab's own model, small enough to train in a tab in seconds: L=2, H=32, A=2, FFN=64, P=64,
 * with as many token rows as the vocabulary it is given (one trained by the lab, or built from a
 * corpus).
 */
export function microConfig(vocabSize: number, overrides: Partial<BertConfig> = {}): BertConfig {
  return validateConfig({
    ...BERT_DEFAULTS,
    vocabSize,
    hidden: 32,
    layers: 2,
    heads: 2,
    intermediate: 64,
    maxPositions: 64,
    ...overrides,
  });
}

/**
 * The lab's default model: bert-base-uncased's 30,522 word pieces, with the same ids as Tokenize &
 * Pack, on a body small enough to train live on a laptop CPU: L=2, H=32, A=2, FFN=4H=128.
 *
 * The size was chosen by measurement (npm run bench:train). With the tied output projection every
 * step touches all V rows: the [M, V] logits and their softmax, the [V, H] output gradient, the
 * optimizer's update of [V, H] and the row norms of the report. At V = 30,522 those dominate: on
 * wasm (Node, one run, 8×32), H = 64 took 162 ms a step against 99 ms for H = 32, while the
 * encoder itself is a few ms.
 * P = 128 is Tokenize & Pack's default max length, so the pair it packs fits without a cut.
 */
function labConfig(overrides: Partial<BertConfig> = {}): BertConfig {
  return validateConfig({
    ...BERT_DEFAULTS,
    vocabSize: BERT_BASE_UNCASED_VOCAB_SIZE,
    hidden: 32,
    layers: 2,
    heads: 2,
    intermediate: 128,
    maxPositions: 128,
    ...overrides,
  });
}

export const PRESETS = {
  lab: () => labConfig(),
  'bert-tiny': () => bertTinyConfig(),
  micro: (vocabSize: number) => microConfig(vocabSize),
} as const;
export type PresetName = keyof typeof PRESETS;

/** A preset's config for a vocabulary of `vocabSize` pieces, with the output tied or not. */
export function configForPreset(
  preset: PresetName,
  vocabSize: number,
  tieOutputEmbeddings: boolean,
): BertConfig {
  const tie = { tieOutputEmbeddings };
  switch (preset) {
    case 'lab':
      return labConfig({ ...tie, vocabSize });
    case 'bert-tiny':
      return bertTinyConfig({ ...tie, vocabSize });
    case 'micro':
      return microConfig(vocabSize, tie);
  }
}

function checkInteger(name: keyof typeof CONFIG_LIMITS, value: number, min: number): void {
  const max = CONFIG_LIMITS[name];
  if (!Number.isInteger(value)) throw new ConfigError(`${name} must be a whole number, not ${value}.`);
  if (value < min || value > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max.toLocaleString('en-US')}, not ${value}.`);
  }
}

function checkDropout(name: 'hiddenDropout' | 'attentionDropout', value: number): void {
  // A rate of 1 would drop everything and divide by zero in the 1 / (1 - rate) rescaling.
  if (!(value >= 0 && value < 1)) throw new ConfigError(`${name} must be in [0, 1), not ${value}.`);
}

/** Checks every field and returns the config unchanged, or throws a `ConfigError` that says what to fix. */
export function validateConfig(config: BertConfig): BertConfig {
  // The vocabulary must hold at least BERT's five specials.
  checkInteger('vocabSize', config.vocabSize, 5);
  checkInteger('hidden', config.hidden, 1);
  checkInteger('layers', config.layers, 1);
  checkInteger('heads', config.heads, 1);
  checkInteger('intermediate', config.intermediate, 1);
  // [CLS] x [SEP] y [SEP] is the shortest pair.
  checkInteger('maxPositions', config.maxPositions, 5);
  checkInteger('typeVocabSize', config.typeVocabSize, 2);
  if (config.hidden % config.heads !== 0) {
    throw new ConfigError(
      `hidden (${config.hidden}) must be divisible by heads (${config.heads}): each head gets hidden / heads dimensions.`,
    );
  }
  if (!(config.layerNormEps > 0 && config.layerNormEps < 1)) {
    throw new ConfigError(`layerNormEps must be in (0, 1), not ${config.layerNormEps}.`);
  }
  checkDropout('hiddenDropout', config.hiddenDropout);
  checkDropout('attentionDropout', config.attentionDropout);
  if (!(config.initStd > 0 && config.initStd <= 1)) {
    throw new ConfigError(`initStd must be in (0, 1], not ${config.initStd}.`);
  }
  if (typeof config.tieOutputEmbeddings !== 'boolean') {
    throw new ConfigError('tieOutputEmbeddings must be true or false.');
  }
  return config;
}
