/**
 * The "What the rows learned" view's numbers as files: the whole report as JSON, the position
 * cosines as one CSV row per pair, and the neighbours, the two maps and the segment rows as another.
 * Pure functions of the report (no DOM), tested in Node.
 */
import type { EngineSettings } from '../../core/domain/settings';
import type { LearnedReport, Projection2D } from '../../core/learned/types';
import { f32, numbers, toCsv, type CsvCell } from './csv';
import { exportHeader, modelSettings } from './exportData';

export interface LearnedExportInput {
  readonly report: LearnedReport;
  readonly vocab: readonly string[];
  readonly settings: EngineSettings;
  readonly backend: string | null;
}

const mapOf = (map: Projection2D, name: (id: number) => string) =>
  map.ids.map((id, n) => ({
    id,
    name: name(id),
    pc1: f32(map.coords[2 * n]!),
    pc2: f32(map.coords[2 * n + 1]!),
  }));

export function learnedJson({ report, vocab, settings, backend }: LearnedExportInput, now: Date) {
  const p = report.positions;
  const piece = (id: number) => vocab[id] ?? `#${id}`;
  return {
    ...exportHeader('learned-rows', 'learned', now),
    model: { ...modelSettings(settings), backend },
    step: report.step,
    vocabSize: report.vocabSize,
    hidden: report.hidden,
    neighbours: {
      centred: report.centred,
      k: report.k,
      pieces: report.neighbours.map((n) => ({
        piece: n.piece,
        id: n.id,
        corpusCount: n.count,
        neighbours: n.neighbours.map((m) => ({
          piece: m.piece,
          id: m.id,
          cosine: f32(m.cosine),
          corpusCount: m.count,
        })),
      })),
    },
    positions: {
      count: p.count,
      lookedUp: p.lookedUp,
      adjacent: p.adjacent,
      tenApart: p.tenApart,
      beyondAdjacent: Number.isFinite(p.beyondAdjacent) ? p.beyondAdjacent : null,
      cosines: Array.from({ length: p.count }, (_, i) =>
        numbers(p.cosines.subarray(i * p.count, (i + 1) * p.count)),
      ),
    },
    vocabMap: {
      explained: [...report.vocabMap.explained],
      points: mapOf(report.vocabMap, piece).map(({ name, ...rest }) => ({ piece: name, ...rest })),
    },
    positionMap: {
      explained: [...report.positionMap.explained],
      points: mapOf(report.positionMap, String).map(({ id, pc1, pc2 }) => ({ position: id, pc1, pc2 })),
    },
    segments: { ...report.segments },
  };
}

/** One row per pair of position rows (P² rows), with whether each row is looked up by training. */
export function positionsCsv(report: LearnedReport): string {
  const { count: P, lookedUp: T, cosines } = report.positions;
  const rows: CsvCell[][] = [];
  for (let i = 0; i < P; i++)
    for (let j = 0; j < P; j++) rows.push([i, j, f32(cosines[i * P + j]!), i < T, j < T]);
  return toCsv(['i', 'j', 'cosine', 'i_looked_up', 'j_looked_up'], rows);
}

/** Everything else, one row each: neighbours, vocabulary-map and position-map points, segment figures. */
export function learnedCsv({ report, vocab }: Pick<LearnedExportInput, 'report' | 'vocab'>): string {
  const piece = (id: number) => vocab[id] ?? `#${id}`;
  const kind = report.centred ? 'neighbour_centred' : 'neighbour_raw';
  const rows: CsvCell[][] = [];
  for (const n of report.neighbours)
    n.neighbours.forEach((m, rank) =>
      rows.push([kind, n.piece, rank + 1, m.piece, m.id, null, null, f32(m.cosine)]),
    );
  for (const point of mapOf(report.vocabMap, piece))
    rows.push(['vocab_map', null, null, point.name, point.id, point.pc1, point.pc2, null]);
  for (const point of mapOf(report.positionMap, String))
    rows.push(['position_map', null, null, point.name, point.id, point.pc1, point.pc2, null]);
  const s = report.segments;
  rows.push(['segment_distance', 'step 0', null, null, null, null, null, f32(s.distanceAtStart)]);
  rows.push(['segment_distance', `step ${report.step}`, null, null, null, null, null, f32(s.distance)]);
  rows.push(['segment_cosine', 'step 0', null, null, null, null, null, f32(s.cosineAtStart)]);
  rows.push(['segment_cosine', `step ${report.step}`, null, null, null, null, null, f32(s.cosine)]);
  return toCsv(['part', 'of', 'rank', 'piece', 'id', 'pc1', 'pc2', 'value'], rows);
}
