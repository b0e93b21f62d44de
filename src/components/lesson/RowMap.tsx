import { useMemo } from 'react';
import { classifyRows, ROW_CAUSES, type StepReport } from '../../core/train/pure';
import { CAUSE_LABELS, CAUSE_LEGEND_ORDER, causeCss, causePalette, drawMatrixMap } from '../../viz/matrixMap';
import { useColorScheme } from '../useColorScheme';
import { useDraw } from '../useDraw';

const count = (n: number) => n.toLocaleString('en-US');

/**
 * All rows of E_token after one step of a lesson run, one cell each, coloured by why the row moved
 * (the Training view's map, drawn by the same pure function), with the counts per cause.
 */
export function RowMap({ report, caption }: { report: StepReport; caption: string }) {
  const scheme = useColorScheme();
  const rows = useMemo(() => classifyRows(report), [report]);
  const ref = useDraw<HTMLCanvasElement>(
    (canvas) =>
      drawMatrixMap(canvas, {
        causes: rows.causes,
        updateNorm: report.updateRowNorm,
        order: null,
        cursor: null,
        palette: causePalette(scheme),
        markShade: scheme === 'dark' ? 255 : 0,
      }),
    [rows, report, scheme],
  );
  const V = report.updateRowNorm.length;
  const shown = CAUSE_LEGEND_ORDER.filter((c) => rows.counts[c] > 0);
  const summary = shown.map((c) => `${count(rows.counts[c])} ${CAUSE_LABELS[c]}`).join('; ');
  return (
    <figure className="lesson-rowmap" data-testid="lesson.rowmap">
      <div className="lesson-rowmap-frame">
        <canvas
          ref={ref}
          role="img"
          aria-label={`The ${count(V)} rows of E_token after step ${report.step}: ${summary}.`}
        />
      </div>
      <figcaption>
        <span className="lesson-rowmap-title">{caption}</span>
        <ul className="lesson-legend">
          {shown.map((c) => (
            <li key={c} data-cause={c} data-rows={rows.counts[c]}>
              <span
                className="lesson-swatch"
                aria-hidden="true"
                style={{ background: causeCss(ROW_CAUSES.indexOf(c), scheme) }}
              />
              {count(rows.counts[c])} {CAUSE_LABELS[c]}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
