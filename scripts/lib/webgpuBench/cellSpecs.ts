/**
 * The cells of the WebGPU step bench: which presets, batches and sequence lengths are measured,
 * and the engine settings and vocabulary each one trains with. No tfjs here, so the Node drivers
 * can decide the cells before a backend is loaded.
 */
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from '../../../src/core/domain/settings';

/** One model size and batch to measure: a preset of the engine, B sequences of T slots. */
export interface CellSpec {
  /** A name for the table, e.g. "default (micro)". */
  readonly label: string;
  /** An engine preset (EngineSettings['preset']); its config comes from the engine's configFor. */
  readonly preset: string;
  readonly batch: number;
  readonly seq: number;
}

/**
 * The default preset at its default batch, and bert-tiny at 8×64 (the two cells). A new
 * default preset is picked up from DEFAULT_ENGINE_SETTINGS; other presets are one more entry here
 * or `--cells name:BxT` on the command line.
 */
export function defaultCells(): CellSpec[] {
  const d = DEFAULT_ENGINE_SETTINGS;
  return [
    { label: `default (${d.preset})`, preset: d.preset, batch: d.batchSize, seq: d.seqLength },
    { label: 'bert-tiny', preset: 'bert-tiny', batch: 8, seq: 64 },
  ];
}

/** The engine's settings for a cell: the defaults (seed, optimizer, schedule), with its preset and batch. */
export function settingsFor(cell: CellSpec): EngineSettings {
  return {
    ...DEFAULT_ENGINE_SETTINGS,
    preset: cell.preset as EngineSettings['preset'],
    batchSize: cell.batch,
    seqLength: cell.seq,
  };
}

/**
 * The vocabulary a preset trains on: micro has its own, learned from the corpus; every other
 * preset (bert-tiny, and presets added later) uses bert-base-uncased's 30,522 pieces.
 */
export function vocabFor<T>(preset: string, vocabs: { readonly bertVocab: T; readonly microVocab: T }): T {
  return preset === 'micro' ? vocabs.microVocab : vocabs.bertVocab;
}
