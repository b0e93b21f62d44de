/**
 * One position of the Embedding sum view as a standalone SVG: the three looked-up rows, their sum,
 * LayerNorm's x̂, γ, β and output, each a strip of H cells on the view's shared colour scales.
 * Drawn from the trace, not copied from the page, so the file shows every row whatever stage the
 * animation is at.
 */
import type { PairTrace } from '../../engine/session';
import { SVG_NS, stackSvgs, type StackPart, type StandaloneSvg } from '../../viz/exportImage';
import type { ValueColor } from '../../viz/heatStrip';
import { fmt, positionVectors, SEGMENT_NAME } from '../sum/sumData';

const STRIP_HEIGHT = 22;

/** H values as a row of coloured cells, `cell` pixels wide each. */
function heatStripSvg(values: ArrayLike<number>, color: ValueColor, cell: number): StandaloneSvg {
  const width = Math.ceil(values.length * cell);
  const rects: string[] = [];
  for (let j = 0; j < values.length; j++) {
    const v = values[j]!;
    rects.push(
      `<rect x="${(j * cell).toFixed(2)}" width="${(cell + 0.3).toFixed(2)}" height="${STRIP_HEIGHT}" fill="${color(v)}"><title>${j}: ${fmt(v)}</title></rect>`,
    );
  }
  return {
    markup: `<svg xmlns="${SVG_NS}" width="${width}" height="${STRIP_HEIGHT}" viewBox="0 0 ${width} ${STRIP_HEIGHT}">${rects.join('')}</svg>`,
    width,
    height: STRIP_HEIGHT,
  };
}

/** A scale's key: 41 cells from −max to +max. */
function scaleKey(color: ValueColor, width: number): StandaloneSvg {
  const [max] = color.domain() as [number, number, number];
  const steps = 41;
  const values = Array.from({ length: steps }, (_, i) => ((i - (steps - 1) / 2) / ((steps - 1) / 2)) * max);
  return heatStripSvg(values, color, width / steps);
}

export interface SumFigureOptions {
  readonly embedColor: ValueColor;
  readonly normColor: ValueColor;
  readonly background: string;
  readonly ink: string;
  readonly muted: string;
  readonly fontFamily: string;
  /** Notes under the title, e.g. the sentences and the model. */
  readonly notes?: readonly string[];
}

export function sumFigure(trace: PairTrace, position: number, options: SumFigureOptions): StandaloneSvg {
  const p = Math.max(0, Math.min(trace.seqLength - 1, position));
  const v = positionVectors(trace, p);
  const H = trace.hidden;
  const cell = Math.max(4, Math.min(18, 640 / H));
  const { embedColor: embed, normColor: norm } = options;
  const strip = (values: ArrayLike<number>, color: ValueColor) => heatStripSvg(values, color, cell);
  const std = Math.sqrt(v.variance + trace.layerNormEps);
  const [embedMax] = embed.domain() as [number, number, number];
  const [normMax] = norm.domain() as [number, number, number];
  const keyWidth = Math.min(H * cell, 246);
  const parts: StackPart[] = [
    {
      label: 'Token row',
      detail: `E_token[${v.tokenId}] “${v.token}”`,
      svg: strip(v.tokenRow, embed),
    },
    {
      label: '+ Segment row',
      detail: `E_segment[${v.segment}] (${SEGMENT_NAME[v.segment] ?? v.segment})`,
      svg: strip(v.segmentRow, embed),
    },
    { label: '+ Position row', detail: `E_position[${p}]`, svg: strip(v.positionRow, embed) },
    { label: '= Sum x', detail: 'cell by cell', svg: strip(v.total, embed) },
    {
      label: 'x̂ = (x − μ) / σ',
      detail: `μ = ${fmt(v.mean)}, σ = ${fmt(std)}`,
      svg: strip(v.normalized, norm),
    },
    { label: '× γ', svg: strip(trace.gamma, norm) },
    { label: '+ β', svg: strip(trace.beta, norm) },
    { label: '= LayerNorm output', svg: strip(v.output, norm) },
    {
      label: 'Scale: lookups, sum',
      detail: `−${fmt(embedMax, 3)} … +${fmt(embedMax, 3)}`,
      svg: scaleKey(embed, keyWidth),
    },
    {
      label: 'Scale: LayerNorm',
      detail: `−${fmt(normMax, 3)} … +${fmt(normMax, 3)}`,
      svg: scaleKey(norm, keyWidth),
    },
  ];
  return stackSvgs(parts, {
    title: `Position ${p}: “${v.token}” — token + segment + position, then LayerNorm (step ${trace.step})`,
    notes: [
      `${H} columns; column j of the sum is token[j] + segment[j] + position[j]. Blue below zero, red above.`,
      ...(options.notes ?? []),
    ],
    background: options.background,
    ink: options.ink,
    muted: options.muted,
    fontFamily: options.fontFamily,
    labelWidth: 200,
    minWidth: 560,
  });
}
