import { memo } from 'react';
import type { LearnedReport } from '../../core/learned/types';
import { num, segmentSentence } from './learnedText';

/** How far E_segment[A] and E_segment[B] have moved apart since step 0. */
export const SegmentsPanel = memo(function SegmentsPanel({ report }: { report: LearnedReport }) {
  const s = report.segments;
  return (
    <section className="panel learned-segments" aria-labelledby="learned-segments-title">
      <h2 id="learned-segments-title">Segments</h2>
      <p data-testid="learned.segments">{segmentSentence(s, report.step)}</p>
      <table className="learned-table">
        <thead>
          <tr>
            <th scope="col">A against B</th>
            <th scope="col">step 0</th>
            <th scope="col">step {report.step}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">distance ‖A − B‖</th>
            <td className="num">{num(s.distanceAtStart)}</td>
            <td className="num" data-testid="learned.segment-distance" data-value={s.distance}>
              {num(s.distance)}
            </td>
          </tr>
          <tr>
            <th scope="row">cosine</th>
            <td className="num">{num(s.cosineAtStart)}</td>
            <td className="num" data-testid="learned.segment-cosine" data-value={s.cosine}>
              {num(s.cosine)}
            </td>
          </tr>
        </tbody>
      </table>
    </section>
  );
});
