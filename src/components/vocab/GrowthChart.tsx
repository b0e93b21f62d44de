import { useMemo } from 'react';
import { useLab } from '../../store/context';
import { drawLineChart } from '../../viz/lineChart';
import { useDraw } from '../useDraw';

/** Vocabulary size against the average number of pieces per word on the corpus. */
export function GrowthChart() {
  const steps = useLab((s) => s.trainer.steps);
  const initialVocabSize = useLab((s) => s.trainer.initialVocabSize);
  const initial = useLab((s) => s.trainer.initialPiecesPerWord);
  const points = useMemo(
    () => [
      [initialVocabSize, initial] as const,
      ...steps.map((s) => [s.vocabSize, s.piecesPerWord] as const),
    ],
    [steps, initialVocabSize, initial],
  );
  const ref = useDraw(
    (svg, width) =>
      drawLineChart(
        svg,
        { points, highlightLast: true },
        { width, height: 220, xLabel: 'vocabulary size', yLabel: 'pieces per word', xMin: 0 },
      ),
    [points],
  );
  const last = points.at(-1);
  return (
    <section className="panel chart-panel" aria-labelledby="growth-title">
      <h2 id="growth-title">Bigger vocabulary, fewer pieces per word</h2>
      <figure>
        <svg
          ref={ref}
          role="img"
          aria-label={
            last
              ? `Line chart: at ${last[0]} tokens, words average ${last[1].toFixed(2)} pieces (from ${initial.toFixed(2)} with the alphabet alone).`
              : 'Line chart, empty until a corpus is loaded.'
          }
        />
      </figure>
    </section>
  );
}
