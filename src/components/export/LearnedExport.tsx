import { useShallow } from 'zustand/react/shallow';
import { useLab } from '../../store/context';
import type { LearnedReport } from '../../core/learned/types';
import type { EngineSettings } from '../../core/domain/settings';
import { ExportMenu, type ExportAction } from './ExportMenu';
import { exportFileName } from './exportData';
import { canvasFile, chartFigure, csvFile, find, imageActions, jsonFile, viewRoot } from './figures';
import { learnedCsv, learnedJson, positionsCsv, type LearnedExportInput } from './learnedExportData';

const name = (what: string, ext: string) => exportFileName('learned', what, ext);

/** The run a figure came from, so a file says what trained. */
function runNote(settings: EngineSettings, report: LearnedReport): string {
  return (
    `Model: ${settings.preset}, seed ${settings.seed}, ${settings.optimizer}, batch ${settings.batchSize}×` +
    `${settings.seqLength}, tied output ${settings.tieOutputEmbeddings ? 'yes' : 'no'}; step ${report.step}.`
  );
}

/** The title of the heatmap file, true for the report it draws. */
export function positionsTitle(report: LearnedReport): string {
  const { count: P, lookedUp: T } = report.positions;
  const rows = T === P - 1 ? `row ${T}` : `rows ${T}–${P - 1}`;
  const never = T < P ? `; ${rows} never looked up (training sequences are ${T} long)` : '';
  return `Cosine of every pair of the ${P} position rows at step ${report.step}${never}`;
}

function vocabMapFigure(anchor: HTMLElement, input: LearnedExportInput) {
  const root = viewRoot(anchor, 'learned');
  const svg = find<SVGSVGElement>(root, '[data-testid="learned.vocab-map"]', 'The vocabulary map');
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const [x, y] = input.report.vocabMap.explained;
  return chartFigure(root, [{ svg }], {
    title: `${input.report.vocabMap.ids.length} rows of E_token on their first two principal components, step ${input.report.step}`,
    notes: [
      `PC1 ${pct(x)} and PC2 ${pct(y)} of these rows' variance.`,
      runNote(input.settings, input.report),
    ],
  });
}

/** The Learned rows view's exports, all read from the Worker's report on show. */
export function LearnedExport() {
  const { report, vocab, settings, backend } = useLab(
    useShallow((s) => ({
      report: s.learned,
      vocab: s.training.vocab,
      settings: s.training.settings,
      backend: s.training.snapshot?.backend ?? null,
    })),
  );
  const reason = report && vocab ? null : 'Nothing to export yet: waiting for the first report on the rows.';
  const withInput =
    <T,>(make: (input: LearnedExportInput, anchor: HTMLElement) => T) =>
    (anchor: HTMLElement): T => {
      if (!report || !vocab) throw new Error('There is no report yet.');
      return make({ report, vocab, settings, backend }, anchor);
    };
  const actions: ExportAction[] = [
    {
      id: 'learned.positions.png',
      format: 'PNG',
      label: 'Position cosines heatmap, image',
      disabledReason: reason,
      run: withInput((input, anchor) => {
        const root = viewRoot(anchor, 'learned');
        const canvas = find<HTMLCanvasElement>(root, '[data-testid="learned.positions"]', 'The heatmap');
        return canvasFile(root, canvas, name(`positions-step-${input.report.step}`, 'png'), {
          title: positionsTitle(input.report),
        });
      }),
    },
    ...imageActions(
      withInput((input, anchor) => vocabMapFigure(anchor, input)),
      {
        label: 'Map of the vocabulary',
        disabledReason: reason,
        png: { id: 'learned.map.png', name: name('vocab-map', 'png') },
        svg: { id: 'learned.map.svg', name: name('vocab-map', 'svg') },
      },
    ),
    {
      id: 'learned.json',
      format: 'JSON',
      label: 'The whole report: neighbours, position cosines, both maps, segments',
      disabledReason: reason,
      run: withInput((input) => jsonFile(learnedJson(input, new Date()), name('report', 'json'))),
    },
    {
      id: 'learned.positions.csv',
      format: 'CSV',
      label: 'Position cosines, one row per pair',
      disabledReason: reason,
      run: withInput((input) => csvFile(positionsCsv(input.report), name('positions', 'csv'))),
    },
    {
      id: 'learned.csv',
      format: 'CSV',
      label: 'Neighbours, map coordinates and segments, one row each',
      disabledReason: reason,
      run: withInput((input) => csvFile(learnedCsv(input), name('rows', 'csv'))),
    },
  ];
  return <ExportMenu view="learned" actions={actions} />;
}
