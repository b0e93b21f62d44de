import { CAUSE_INDEX } from '../../core/train/pure';
import { useLab } from '../../store/context';
import type { TrainingView } from '../../store/types';
import { PNG_SCALE } from '../../viz/exportImage';
import { CAUSE_LABELS, CAUSE_LEGEND_ORDER, causeCss } from '../../viz/matrixMap';
import { initialFrame, viewedFrameOf } from '../train/useViewedFrame';
import { useColorScheme } from '../useColorScheme';
import { ExportMenu, type ExportAction } from './ExportMenu';
import { exportFileName, lossCsv, rowsCsv, trainJson } from './exportData';
import {
  canvasFile,
  chartFigure,
  csvFile,
  find,
  imageActions,
  jsonFile,
  keyColor,
  viewRoot,
} from './figures';

const name = (what: string, ext: string) => exportFileName('train', what, ext);

/** What trained: the line every training figure carries, so a file says where it came from. */
function runNote(training: TrainingView): string {
  const s = training.settings;
  return (
    `${s.preset}, ${s.optimizer}, learning rate ${s.learningRate}, batch ${s.batchSize}×${s.seqLength}, ` +
    `seed ${s.seed}, ${s.tieOutputEmbeddings ? 'tied' : 'untied'} output; backend ${training.snapshot?.backend ?? '?'}`
  );
}

function lossFigure(anchor: HTMLElement, training: TrainingView) {
  const root = viewRoot(anchor, 'train');
  const panel = find<HTMLElement>(root, '[data-testid="train.loss-curves"]', 'The loss curves');
  const [loss, accuracy] = panel.querySelectorAll<SVGSVGElement>(':scope > svg');
  if (!loss || !accuracy) throw new Error('The loss curves are not drawn yet.');
  const first = training.history[0]?.step ?? 0;
  const last = training.history.at(-1)?.step ?? 0;
  return chartFigure(
    root,
    [
      { svg: loss, label: 'Loss' },
      { svg: accuracy, label: 'MLM accuracy' },
    ],
    {
      title: `Loss and accuracy, steps ${first}–${last}`,
      notes: [runNote(training)],
      legend: [
        { label: 'MLM loss (smoothed)', color: keyColor(panel, '.series-key', '#2459c7') },
        { label: 'NSP loss (smoothed)', color: keyColor(panel, '.nsp-key', '#b4490b') },
        { label: 'per step', color: keyColor(panel, '.raw-key', '#dfe2e7') },
      ],
    },
  );
}

function frequencyFigure(anchor: HTMLElement, training: TrainingView) {
  const root = viewRoot(anchor, 'train');
  const svg = find<SVGSVGElement>(root, '[data-testid="train.frequency"] svg', 'The frequency plot');
  return chartFigure(root, [{ svg }], {
    title: `Each id’s frequency in the batches against the steps its row moved through the lookup, ${training.rows?.steps ?? 0} steps`,
    notes: [
      'Each dot is a group of rows with the same counts (bigger: more rows), log-log; the line is y = x.',
      runNote(training),
    ],
  });
}

/** The Training view's exports: the map, the curves, and the numbers behind them. */
export function TrainExport() {
  // The menu re-renders when exporting becomes possible, not on every step: each action reads the
  // training state as it is when the learner picks it.
  const trained = useLab((s) => s.training.lastReport !== null);
  const currentTraining = useLab((s) => s.currentTraining);
  const scheme = useColorScheme();
  const reason = trained ? null : 'Nothing to export yet: train at least one step.';
  const actions: ExportAction[] = [
    {
      id: 'train.png',
      format: 'PNG',
      label: 'Map of E_token’s rows, image',
      disabledReason: reason,
      run: (anchor) => {
        const training = currentTraining();
        const root = viewRoot(anchor, 'train');
        const map = find<HTMLCanvasElement>(root, '[data-testid="train.map"]', 'The map');
        const V = training.rows?.vocabSize ?? null;
        const frame = viewedFrameOf(training.frames, training.viewStep, V === null ? null : initialFrame(V));
        if (!frame) throw new Error('No step to show yet.');
        // One canvas pixel per row: enlarge it to twice its on-screen size, keeping hard edges.
        const onScreen = Math.min(map.clientWidth || 320, 640);
        const scale = Math.max(
          1,
          Math.min(Math.floor(4096 / map.width), Math.ceil((onScreen * PNG_SCALE) / map.width)),
        );
        return canvasFile(
          root,
          map,
          name('row-map', 'png'),
          {
            title: `E_token’s ${(training.rows?.vocabSize ?? 0).toLocaleString('en-US')} rows at step ${frame.step}, one cell per row, coloured by the path that gave it a gradient and whether it moved`,
            legend: CAUSE_LEGEND_ORDER.map((cause) => ({
              label: `${CAUSE_LABELS[cause]}: ${frame.counts[cause].toLocaleString('en-US')}`,
              color: causeCss(CAUSE_INDEX[cause], scheme),
            })),
          },
          scale,
        );
      },
    },
    ...imageActions((anchor) => lossFigure(anchor, currentTraining()), {
      label: 'Loss and accuracy curves',
      disabledReason: reason,
      png: { id: 'train.loss.png', name: name('loss', 'png') },
      svg: { id: 'train.svg', name: name('loss', 'svg') },
      svgFirst: true,
    }),
    ...imageActions((anchor) => frequencyFigure(anchor, currentTraining()), {
      label: 'Frequency against steps moved through the lookup',
      disabledReason: reason,
      png: { id: 'train.frequency.png', name: name('frequency', 'png') },
      svg: { id: 'train.frequency.svg', name: name('frequency', 'svg') },
      svgFirst: true,
    }),
    {
      id: 'train.json',
      format: 'JSON',
      label: 'Settings, last step report, row counters, loss history',
      disabledReason: reason,
      run: () => jsonFile(trainJson(currentTraining(), new Date()), name('run', 'json')),
    },
    {
      id: 'train.csv',
      format: 'CSV',
      label: 'Loss history, one step per row',
      disabledReason: reason,
      run: () => csvFile(lossCsv(currentTraining().history), name('loss', 'csv')),
    },
    {
      id: 'train.rows.csv',
      format: 'CSV',
      label: 'Row counters, one row of E_token per row',
      disabledReason: reason,
      run: () => {
        const training = currentTraining();
        if (!training.rows) throw new Error('There are no row counters yet.');
        return csvFile(rowsCsv(training.rows, training.vocab), name('rows', 'csv'));
      },
    },
  ];
  return <ExportMenu view="train" actions={actions} />;
}
