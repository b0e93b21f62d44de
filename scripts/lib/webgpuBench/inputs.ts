/**
 * The Node side of both WebGPU step benches: command-line options, the assets (corpus and
 * bert-base-uncased's vocabulary), the micro preset's vocabulary, and the report's output.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseVocabText } from '../../../src/core/tokenizer/vocab';
import { defaultVocab } from '../../../src/engine/microVocab';
import type { BenchInput } from './cells';
import type { CellSpec } from './cellSpecs';
import { budgetLine, markdownTable, tallyMismatches, type BenchReport, type PathName } from './report';

export interface BenchOptions {
  readonly cells: CellSpec[] | null; // null: defaultCells() where the engine is loaded
  readonly paths: PathName[];
  readonly budgetMs: number;
  readonly minSteps: number;
  readonly maxSteps: number;
}

/**
 * `--cells default,bert-tiny:8x64` (a preset, or `default` for the engine's default preset at its
 * default batch, and `:BxT`), `--paths stock,fused`, `--budget-ms N` (per cell and path, after the
 * first step), `--min-steps N`, `--max-steps N`.
 */
export function parseOptions(
  argv: readonly string[],
  defaults: Omit<BenchOptions, 'cells' | 'paths'>,
): BenchOptions {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const number = (name: 'budgetMs' | 'minSteps' | 'maxSteps', flag: string, min: number) => {
    const text = value(flag);
    const n = text === undefined ? defaults[name] : Number(text);
    if (!Number.isInteger(n) || n < min)
      throw new RangeError(`--${flag} must be a whole number ≥ ${min}, not ${text}.`);
    return n;
  };
  const paths = (value('paths') ?? 'stock,fused').split(',') as PathName[];
  if (paths.some((p) => p !== 'stock' && p !== 'fused'))
    throw new RangeError('--paths takes stock and/or fused.');
  const cellsText = value('cells');
  const cells = cellsText === undefined ? null : cellsText.split(',').map(parseCell);
  return {
    cells,
    paths,
    budgetMs: number('budgetMs', 'budget-ms', 0),
    minSteps: number('minSteps', 'min-steps', 1),
    maxSteps: Math.max(number('maxSteps', 'max-steps', 1), number('minSteps', 'min-steps', 1)),
  };
}

/** `bert-tiny:8x64` → a cell; `default` stays a marker resolved against the engine's defaults. */
export function parseCell(text: string): CellSpec {
  const m = /^([\w-]+)(?::(\d+)[x×](\d+))?$/.exec(text.trim());
  if (!m) throw new RangeError(`A cell is preset or preset:BxT, not "${text}".`);
  const [, preset, b, t] = m;
  return { label: preset!, preset: preset!, batch: Number(b ?? 8), seq: Number(t ?? 64) };
}

/** The cells to run: `default` entries take the engine's default preset, batch and length. */
export function resolveCells(cells: readonly CellSpec[] | null, defaults: readonly CellSpec[]): CellSpec[] {
  if (cells === null) return [...defaults];
  return cells.map((c) => (c.preset === 'default' ? defaults[0]! : c));
}

/** Reads the corpus and the vocabulary from public/ (or from BENCH_ASSETS, beside a bundled script). */
export function readAssets(root: string): Pick<BenchInput, 'bertVocab' | 'microVocab' | 'corpus'> {
  const assets = process.env.BENCH_ASSETS;
  const path = (folder: string, name: string) =>
    assets ? join(assets, name) : join(root, 'public', folder, name);
  const vocabPath = path('vocab', 'bert-base-uncased.txt');
  if (!existsSync(vocabPath))
    throw new Error(`${vocabPath} is missing: run node scripts/vocab.mjs (or set BENCH_ASSETS).`);
  const corpus = readFileSync(path('corpus', 'everyday.txt'), 'utf8');
  return {
    corpus,
    bertVocab: parseVocabText(readFileSync(vocabPath, 'utf8')),
    microVocab: defaultVocab(corpus),
  };
}

/** Writes the JSON report and prints the markdown table with the budget line. */
export function writeReport(root: string, name: string, report: BenchReport, machine: string): void {
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  writeFileSync(join(root, 'bench-results', name), `${JSON.stringify({ machine, ...report }, null, 2)}\n`);
  console.log(`
Measured on ${machine}; adapter ${JSON.stringify(report.adapter)}. One run: medians and ratios from the same run.

${markdownTable(report.cells)}

${[budgetLine(report.cells), ...tallyMismatches(report.cells)].join('\n')}
Written to bench-results/${name}.`);
}
