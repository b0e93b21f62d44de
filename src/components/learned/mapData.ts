/**
 * The report's projections as points to draw, keyed by row so a dot glides from step to step (the
 * Worker signs each step's principal axes alike the previous step's, so no dot jumps to its mirror).
 */
import type { Projection2D } from '../../core/learned/types';
import type { ScatterKind, ScatterPoint } from '../../viz/projectionScatter';

/** How many of the most frequent pieces get a label on the map, besides the picks. */
const TOP_LABELS = 8;

/**
 * The vocabulary map's points: the picks labelled (the focus apart), the first TOP_LABELS of the
 * frequent pieces labelled, the rest small dots. The report lists the frequent pieces first, in
 * order of frequency, then the picks.
 */
export function vocabPoints(
  map: Projection2D,
  vocab: readonly string[],
  picks: readonly string[],
  focus: string | null,
): ScatterPoint[] {
  const seen = new Set<number>();
  const points: ScatterPoint[] = [];
  map.ids.forEach((id, n) => {
    if (seen.has(id)) return;
    seen.add(id);
    const piece = vocab[id] ?? `#${id}`;
    const kind: ScatterKind =
      piece === focus ? 'focus' : picks.includes(piece) ? 'pick' : n < TOP_LABELS ? 'top' : 'dot';
    points.push({
      key: id,
      x: map.coords[2 * n] ?? 0,
      y: map.coords[2 * n + 1] ?? 0,
      kind,
      label: kind === 'dot' ? '' : piece,
    });
  });
  // Drawn in this order: the crowd, the frequent pieces named, the picks, the focus on top.
  const layer: Readonly<Record<ScatterKind, number>> = {
    dot: 0,
    never: 0,
    top: 1,
    looked: 1,
    pick: 2,
    focus: 3,
  };
  return points.sort((a, b) => layer[a.kind] - layer[b.kind]);
}

/** The position rows' path: looked-up rows apart from the rest, the ends of each stretch labelled. */
export function positionPoints(map: Projection2D, lookedUp: number): ScatterPoint[] {
  const last = map.ids.length - 1;
  return map.ids.map((id, n) => ({
    key: id,
    x: map.coords[2 * n] ?? 0,
    y: map.coords[2 * n + 1] ?? 0,
    kind: id < lookedUp ? 'looked' : 'never',
    label: id === 0 || id === lookedUp - 1 || id === lookedUp || n === last ? String(id) : '',
  }));
}
