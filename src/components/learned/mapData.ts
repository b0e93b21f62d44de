/**
 * The report's projections as points to draw. A principal axis has no preferred sign: the Worker's
 * eigenvectors may come back flipped from one step to the next, which would make every dot jump to
 * the mirror image. Each axis is flipped back to agree with the previous step's drawing.
 */
import type { Projection2D } from '../../core/learned/types';
import type { ScatterKind, ScatterPoint } from '../../viz/projectionScatter';

/** Where each key was drawn last: key → [x, y]. */
export type LastCoords = ReadonlyMap<number, readonly [number, number]>;

/**
 * `coords` with each axis negated where that agrees better with `previous` (a negative inner
 * product over the keys both share); unchanged without a previous drawing.
 */
export function alignAxes(
  ids: readonly number[],
  coords: Float32Array,
  previous: LastCoords | null,
): Float32Array {
  if (!previous || previous.size === 0) return coords;
  const dot = [0, 0];
  ids.forEach((id, n) => {
    const before = previous.get(id);
    if (!before) return;
    dot[0]! += before[0] * (coords[2 * n] ?? 0);
    dot[1]! += before[1] * (coords[2 * n + 1] ?? 0);
  });
  const sign = dot.map((d) => (d < 0 ? -1 : 1));
  if (sign[0] === 1 && sign[1] === 1) return coords;
  const out = new Float32Array(coords.length);
  for (let n = 0; n < ids.length; n++) {
    out[2 * n] = sign[0]! * (coords[2 * n] ?? 0);
    out[2 * n + 1] = sign[1]! * (coords[2 * n + 1] ?? 0);
  }
  return out;
}

export function coordsByKey(points: readonly ScatterPoint[]): LastCoords {
  return new Map(points.map((p) => [p.key, [p.x, p.y] as const]));
}

/** How many of the most frequent pieces get a label on the map, besides the picks. */
export const TOP_LABELS = 8;

/**
 * The vocabulary map's points: the picks labelled (the focus apart), the first TOP_LABELS of the
 * frequent pieces labelled, the rest small dots. The report lists the frequent pieces first, in
 * order of frequency, then the picks.
 */
export function vocabPoints(
  map: Projection2D,
  coords: Float32Array,
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
      x: coords[2 * n] ?? 0,
      y: coords[2 * n + 1] ?? 0,
      kind,
      label: kind === 'dot' ? '' : piece,
    });
  });
  return points;
}

/** The position rows' path: looked-up rows apart from the rest, the ends of each stretch labelled. */
export function positionPoints(map: Projection2D, coords: Float32Array, lookedUp: number): ScatterPoint[] {
  const last = map.ids.length - 1;
  return map.ids.map((id, n) => ({
    key: id,
    x: coords[2 * n] ?? 0,
    y: coords[2 * n + 1] ?? 0,
    kind: id < lookedUp ? 'looked' : 'never',
    label: id === 0 || id === lookedUp - 1 || id === lookedUp || n === last ? String(id) : '',
  }));
}
