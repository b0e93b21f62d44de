/**
 * The WebGPU step benchmark's results and their markdown table, shared by the Chromium bench
 * (scripts/bench-webgpu.ts) and the Dawn-in-Node bench (scripts/bench-webgpu-node.ts).
 */
import type { CellSpec } from './cellSpecs';
import type { GpuCounts } from './counters';

export type PathName = 'stock' | 'fused';

/** One path (stock tfjs or the fused step) on one cell. */
export type PathResult =
  | {
      readonly path: PathName;
      readonly available: true;
      /** Timed steps after the first. */
      readonly steps: number;
      /** The first step: pipeline compilation and uploads included. */
      readonly firstStepMs: number;
      readonly medianStepMs: number;
      /** Counts of the first step, and the median of each count over the timed steps. */
      readonly firstStep: GpuCounts;
      readonly perStep: GpuCounts;
      /** Fewest and most dispatches of one timed step (equal when every step is the same). */
      readonly dispatchRange: readonly [number, number];
      /** The fused trainer's own tally (GpuContext.counts) per step, to check the wrappers against. */
      readonly trainerPerStep?: { readonly dispatches: number; readonly submits: number };
    }
  | { readonly path: PathName; readonly available: false; readonly reason: string };

export interface CellResult {
  readonly cell: CellSpec;
  readonly vocabSize: number;
  readonly hidden: number;
  readonly layers: number;
  readonly optimizer: string;
  readonly stock: PathResult;
  readonly fused: PathResult;
  /** stock median ÷ fused median, and stock dispatches ÷ fused dispatches; null unless both ran. */
  readonly speedup: number | null;
  readonly dispatchRatio: number | null;
}

export interface BenchReport {
  readonly runner: 'chromium' | 'node-dawn';
  readonly adapter: Record<string, unknown> | null;
  readonly date: string;
  readonly cells: readonly CellResult[];
}

/** a ÷ b, or null when either is missing or b is not positive. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return null;
  return a / b;
}

/** Fills in the ratios of a cell from its two paths. */
export function withRatios(cell: Omit<CellResult, 'speedup' | 'dispatchRatio'>): CellResult {
  const { stock, fused } = cell;
  const both = stock.available && fused.available;
  return {
    ...cell,
    speedup: both ? ratio(stock.medianStepMs, fused.medianStepMs) : null,
    dispatchRatio: both ? ratio(stock.perStep.dispatches, fused.perStep.dispatches) : null,
  };
}

const ms = (x: number) => (x >= 100 ? `${Math.round(x).toLocaleString('en-US')} ms` : `${x.toFixed(1)} ms`);
const int = (x: number) => Math.round(x).toLocaleString('en-US');
const times = (x: number | null) => (x === null ? '–' : `${x >= 10 ? x.toFixed(0) : x.toFixed(1)}×`);

/** The markdown table: a row per cell and path. */
export function markdownTable(cells: readonly CellResult[]): string {
  const head = [
    '| cell | batch | path | dispatches/step | submits/step | writeBuffer/step | readbacks/step | first step | median step (steps) | stock ÷ fused |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const rows = cells.flatMap((c) =>
    [c.stock, c.fused].map((p) => {
      const lead = `| ${c.cell.label} | ${c.cell.batch}×${c.cell.seq} | ${p.path}`;
      if (!p.available) return `${lead} | ${p.reason} | | | | | | |`;
      const vs =
        p.path === 'fused' && c.speedup !== null
          ? `${times(c.speedup)} time, ${times(c.dispatchRatio)} dispatches`
          : '';
      const range =
        p.dispatchRange[0] === p.dispatchRange[1] ? '' : ` (${p.dispatchRange[0]}–${p.dispatchRange[1]})`;
      return `${lead} | ${int(p.perStep.dispatches)}${range} | ${int(p.perStep.submits)} | ${int(p.perStep.writeBuffers)} | ${int(p.perStep.readbacks)} | ${ms(p.firstStepMs)} | ${ms(p.medianStepMs)} (${p.steps}) | ${vs} |`;
    }),
  );
  return [...head, ...rows].join('\n');
}

/** The budget for bert-tiny 8×64 on the fused path: at most 100 dispatches and 3 submits. */
const FUSED_BUDGET = { preset: 'bert-tiny', batch: 8, seq: 64, dispatches: 100, submits: 3 } as const;

/** Whether the fused bert-tiny 8×64 cell meets the budget, in one line (or why it cannot be said). */
export function budgetLine(cells: readonly CellResult[]): string {
  const b = FUSED_BUDGET;
  const cell = cells.find(
    (c) => c.cell.preset === b.preset && c.cell.batch === b.batch && c.cell.seq === b.seq,
  );
  const want = `bert-tiny ${b.batch}×${b.seq} fused step: at most ${b.dispatches} dispatches and ${b.submits} submits`;
  if (cell === undefined) return `${want}: not measured (no such cell in this run).`;
  if (!cell.fused.available) return `${want}: not measured (${cell.fused.reason}).`;
  const { dispatches, submits } = cell.fused.perStep;
  const met = dispatches <= b.dispatches && submits <= b.submits;
  return `${want}: ${met ? 'met' : 'NOT met'} (${int(dispatches)} dispatches, ${int(submits)} submits).`;
}

/** What an adapter says it is (vendor, architecture, device, description; SwiftShader for the software one). */
export async function describeAdapter(adapter: GPUAdapter): Promise<Record<string, unknown>> {
  // `adapter.info` is newer than these types; older implementations had requestAdapterInfo().
  const a = adapter as GPUAdapter & {
    info?: GPUAdapterInfo;
    requestAdapterInfo?: () => Promise<GPUAdapterInfo>;
  };
  const info = a.info ?? (await a.requestAdapterInfo?.());
  if (info === undefined) return {};
  const { vendor, architecture, device, description } = info;
  return { vendor, architecture, device, description, isFallbackAdapter: adapter.isFallbackAdapter };
}

/**
 * Lines for fused cells whose counted dispatches or submits differ from the trainer's own tally
 * (GpuContext.counts): a difference means work outside the trainer's Recorder, or a miscount.
 */
export function tallyMismatches(cells: readonly CellResult[]): string[] {
  return cells.flatMap((c) => {
    const p = c.fused;
    if (!p.available || p.trainerPerStep === undefined) return [];
    const { dispatches, submits } = p.trainerPerStep;
    if (dispatches === p.perStep.dispatches && submits === p.perStep.submits) return [];
    return [
      `${c.cell.label} ${c.cell.batch}×${c.cell.seq}: the fused trainer counts ${dispatches} dispatches and ${submits} submits a step, the wrappers ${p.perStep.dispatches} and ${p.perStep.submits}.`,
    ];
  });
}
