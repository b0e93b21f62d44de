/**
 * The Embedding sum at step 0, computed in the page while the engine is still loading: a fresh
 * run's weights before its first step come from the seed alone (core/model/params.ts), and the
 * embedding sum needs only the three tables and LayerNorm's γ = 1, β = 0. These are the numbers
 * the engine starts from (src/store/stepZero.test.ts holds them equal to its own trace), shown
 * within a second instead of after the Worker has loaded tfjs.
 *
 * Imports the tfjs-free core modules directly, not core/model's index, which brings the model.
 */
import { configForPreset } from '../core/model/config';
import { embeddingSum, initialEmbeddingTables, type EmbeddingTables } from '../core/model/embeddingSum';
import { createBertTokenizer } from '../core/tokenizer';
import type { PairTrace } from '../engine/session';
import type { EngineSettings } from '../core/domain/settings';

/** The last tables made, for the last (preset, vocabulary, seed): a 30,522-row table takes ~50 ms. */
let cached: { key: string; vocab: readonly string[]; tables: EmbeddingTables } | null = null;

function tablesFor(settings: EngineSettings, vocab: readonly string[]): EmbeddingTables {
  const key = [settings.preset, settings.seed, settings.tieOutputEmbeddings].join('/');
  if (cached?.key === key && cached.vocab === vocab) return cached.tables;
  const config = configForPreset(settings.preset, vocab.length, settings.tieOutputEmbeddings);
  const tables = initialEmbeddingTables(config, settings.seed);
  cached = { key, vocab, tables };
  return tables;
}

/** The trace of the pair (a, b) and the tables at step 0 of a fresh run with these settings. */
export function stepZeroSum(
  settings: EngineSettings,
  vocab: readonly string[],
  a: string,
  b: string | undefined,
): { trace: PairTrace; tables: EmbeddingTables } {
  const config = configForPreset(settings.preset, vocab.length, settings.tieOutputEmbeddings);
  const tables = tablesFor(settings, vocab);
  // Truncated to the position table, as the engine's trace is.
  const packed = createBertTokenizer(vocab).encodePair(a, b, { maxLength: config.maxPositions });
  const sum = embeddingSum(tables, packed.inputIds, packed.tokenTypeIds, config.layerNormEps);
  const trace: PairTrace = {
    batchSize: 1,
    seqLength: packed.inputIds.length,
    hidden: config.hidden,
    heads: config.heads,
    ...sum,
    // The encoder's attention needs the whole model; the Embedding sum view does not draw it.
    attention: [],
    tokens: packed.tokens,
    inputIds: packed.inputIds,
    tokenTypeIds: packed.tokenTypeIds,
    step: 0,
    gamma: tables.gamma,
    beta: tables.beta,
    layerNormEps: config.layerNormEps,
    maxPositions: config.maxPositions,
    truncatedPieces: packed.truncated.a + packed.truncated.b,
  };
  return { trace, tables };
}

/**
 * What the Embedding sum shows while a fresh run with `settings` starts: its step 0, or null when
 * the page cannot know it (micro's vocabulary is still being trained in the Worker, or settings the
 * engine will refuse, and say why).
 */
export function stepZeroFor(
  settings: EngineSettings,
  tokens: readonly string[] | null,
  a: string,
  b: string,
): { trace: PairTrace; tables: EmbeddingTables } | null {
  if (tokens === null) return null;
  try {
    // As in Tokenize & Pack: an empty B box means no sentence B.
    return stepZeroSum(settings, tokens, a, b === '' ? undefined : b);
  } catch {
    return null;
  }
}
