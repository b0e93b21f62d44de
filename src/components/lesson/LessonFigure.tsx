import type { LessonChapterId } from '../../core/lesson/chapters';
import type { LessonRunData } from '../../store/lessonTypes';
import { BandChart } from './BandChart';
import { DriftChart } from './DriftChart';
import { RowMap } from './RowMap';
import { OutcomeTables } from './OutcomeTables';

/** A small picture of the run where one helps: the row map after a step, the drift, a table. */
export function LessonFigure({ chapter, data }: { chapter: LessonChapterId; data: LessonRunData }) {
  switch (chapter) {
    case 'only-batch-rows':
    case 'tied-output':
    case 'adam':
      return (
        <div className="lesson-rowmaps">
          {data.engine.map((run) => {
            const report = run.reports.at(-1);
            return report ? (
              <RowMap key={run.id} report={report} caption={`${run.label}: after step ${report.step}`} />
            ) : null;
          })}
        </div>
      );
    case 'joint-training':
      return <DriftChart data={data} />;
    case 'learned':
      return <BandChart data={data} />;
    default:
      return <OutcomeTables chapter={chapter} data={data} />;
  }
}
