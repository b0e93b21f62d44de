import { useMemo } from 'react';
import { useLab } from '../../store/context';
import { SUM_COMPONENTS, type SumComponent } from '../../store/types';
import { drawTableOverview, rowAt, type TableOverviewData } from '../../viz/tableOverview';
import { useDraw } from '../useDraw';
import { themeFor } from '../../viz/theme';
import { useColorScheme } from '../useColorScheme';
import type { SumPanelProps } from './sumData';
import { useReducedMotion } from './useReducedMotion';

const LABELS: Record<SumComponent, string> = {
  token: 'Token',
  segment: 'Segment',
  position: 'Position',
  sum: 'Sum',
  output: 'LayerNorm output',
};

function valuesOf(trace: SumPanelProps['trace'], component: SumComponent): Float32Array {
  switch (component) {
    case 'token':
      return trace.tokenEmbedding;
    case 'segment':
      return trace.segmentEmbedding;
    case 'position':
      return trace.positionEmbedding;
    case 'sum':
      return trace.embeddingSum;
    case 'output':
      return trace.embeddingOutput;
  }
}

/** Every position at once: a T × H matrix of one component, with [CLS], [SEP] and segments marked. */
export function SumMatrix({ trace, embedColor, normColor }: SumPanelProps) {
  const component = useLab((s) => s.sumComponent);
  const setComponent = useLab((s) => s.setSumComponent);
  const position = useLab((s) => s.sumPosition);
  const select = useLab((s) => s.selectSumPosition);
  const reduced = useReducedMotion();
  const segments = themeFor(useColorScheme()).segments;
  const T = trace.seqLength;
  const height = Math.min(520, Math.max(80, T * 7));
  const color = component === 'output' ? normColor : embedColor;

  const data = useMemo<TableOverviewData>(
    () => ({
      values: valuesOf(trace, component),
      rows: T,
      cols: trace.hidden,
      marks: [
        ...trace.tokens.flatMap((t, p) =>
          t === '[CLS]' || t === '[SEP]' ? [{ row: p, label: `${p} ${t}` }] : [],
        ),
        { row: position, label: `${position} ${trace.tokens[position] ?? ''}`, strong: true },
      ],
      gutter: (row) => segments[(trace.tokenTypeIds[row] ?? 0) as 0 | 1] ?? null,
    }),
    [trace, component, position, T, segments],
  );
  const ref = useDraw<HTMLCanvasElement>(
    (canvas, width) => drawTableOverview(canvas, data, { width, height, color, labelWidth: 96 }),
    [data, height, color],
  );

  return (
    <section className="panel sum-matrix" aria-label="All positions at once">
      <h2>All positions at once</h2>
      <div className="sum-toggle" role="radiogroup" aria-label="Show">
        {SUM_COMPONENTS.map((c) => (
          <label key={c} className="checkbox">
            <input
              type="radio"
              name="sum-component"
              data-testid={`sum.component-${c}`}
              checked={component === c}
              onChange={() => setComponent(c)}
            />
            {LABELS[c]}
          </label>
        ))}
      </div>
      <p className="muted">
        {T} positions × {trace.hidden} columns. Left edge: <span className="seg-text-0">segment A</span> or{' '}
        <span className="seg-text-1">segment B</span>; [CLS] and the [SEP]s are labelled. Click a row to pick
        it.
      </p>
      <div className="sum-table-canvas">
        <canvas
          ref={ref}
          data-testid="sum.matrix"
          data-component={component}
          role="img"
          aria-label={`${LABELS[component]} of every position: ${T} rows of ${trace.hidden}`}
          onClick={(event) => {
            const box = event.currentTarget.getBoundingClientRect();
            select(rowAt(event.clientY - box.top, box.height, T), !reduced);
          }}
        />
      </div>
    </section>
  );
}
