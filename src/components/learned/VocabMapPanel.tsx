import { memo, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { LearnedReport } from '../../core/learned/types';
import { useLab } from '../../store/context';
import { LEARNED_MAP_SIZE } from '../../store/controllers/learnedWatch';
import { axisLabel, frequencyAxisSentence, num } from './learnedText';
import { vocabPoints } from './mapData';
import { ProjectionFigure } from './ProjectionFigure';

/** The most frequent pieces and the picks on E_token's first two principal components. */
export const VocabMapPanel = memo(function VocabMapPanel({
  report,
  vocab,
}: {
  report: LearnedReport;
  vocab: readonly string[];
}) {
  const [picks, focus, playing] = useLab(
    useShallow((s) => [s.learnedPicks, s.learnedFocus, s.training.snapshot?.playing ?? false] as const),
  );
  const map = report.vocabMap;
  const points = useMemo(() => {
    return vocabPoints(map, vocab, picks, focus);
  }, [map, vocab, picks, focus]);
  const labelled = points.filter((p) => p.kind === 'pick' || p.kind === 'focus');
  // The report lists the LEARNED_MAP_SIZE frequent pieces the watch asks for, then the picks not among them.
  const frequent = Math.min(LEARNED_MAP_SIZE, map.ids.length);
  const axisNote = useMemo(() => frequencyAxisSentence(map.coords, frequent), [map, frequent]);
  return (
    <section className="panel learned-map" aria-labelledby="learned-map-title">
      <h2 id="learned-map-title">Map of the vocabulary</h2>
      <p className="muted">
        The {frequent} most frequent pieces of the training corpus (small dots, the first few named) and your
        picks (coloured), projected on the first two principal components of their rows at step {report.step}.
        Rows that training treats alike drift together.
      </p>
      {axisNote !== null && (
        <p className="muted" data-testid="learned.map-frequency">
          {axisNote}
        </p>
      )}
      <ProjectionFigure
        points={points}
        playing={playing}
        xLabel={axisLabel(1, map.explained)}
        yLabel={axisLabel(2, map.explained)}
        height={320}
        testId="learned.vocab-map"
        label={`${points.length} rows of E_token on their first two principal components; picks: ${labelled.map((p) => p.label).join(', ') || 'none'}`}
      />
      <details className="learned-details">
        <summary>The picks&rsquo; coordinates as a table</summary>
        <table className="learned-table" data-testid="learned.map-table">
          <thead>
            <tr>
              <th scope="col">piece</th>
              <th scope="col">PC1</th>
              <th scope="col">PC2</th>
            </tr>
          </thead>
          <tbody>
            {labelled.map((p) => (
              <tr key={p.key}>
                <th scope="row">
                  <code>{p.label}</code>
                </th>
                <td className="num">{num(p.x)}</td>
                <td className="num">{num(p.y)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
});
