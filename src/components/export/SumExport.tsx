import { useShallow } from 'zustand/react/shallow';
import { useLab } from '../../store/context';
import type { ValueColor } from '../../viz/heatStrip';
import { ExportMenu, type ExportAction } from './ExportMenu';
import { exportFileName, sumCsv, sumJson, type SumExportInput } from './exportData';
import { canvasFile, csvFile, find, imageActions, jsonFile, pageTheme, viewRoot } from './figures';
import { sumFigure } from './sumFigure';

const name = (what: string, ext: string) => exportFileName('sum', what, ext);

const MATRIX_LABELS: Readonly<Record<string, string>> = {
  token: 'Token rows',
  segment: 'Segment rows',
  position: 'Position rows',
  sum: 'Sum of the three rows',
  output: 'LayerNorm output',
};

/** The view's two shared colour scales, so the file's colours mean what they mean on screen. */
export interface SumColors {
  readonly embed: ValueColor;
  readonly norm: ValueColor;
}

/** The selected position's walk from the lookups to LayerNorm, on the view's colour scales. */
function positionFigure(anchor: HTMLElement, input: SumExportInput, position: number, colors: SumColors) {
  const { trace, settings } = input;
  const theme = pageTheme(viewRoot(anchor, 'sum'));
  return sumFigure(trace, position, {
    embedColor: colors.embed,
    normColor: colors.norm,
    ...theme,
    notes: [
      `A: ${input.sentenceA}`,
      ...(input.sentenceB === '' ? [] : [`B: ${input.sentenceB}`]),
      `Model: ${settings.preset}, seed ${settings.seed}, ${settings.optimizer}, step ${trace.step}; backend ${input.backend ?? '?'}.`,
    ],
  });
}

/** The Embedding sum view's exports, all read from the model's own trace of the pair. */
export function SumExport({ colors }: { colors: SumColors | null }) {
  const { trace, position, sentenceA, sentenceB, settings, backend } = useLab(
    useShallow((s) => ({
      trace: s.sumTrace,
      position: s.sumPosition,
      sentenceA: s.sentenceA,
      sentenceB: s.sentenceB,
      settings: s.training.settings,
      backend: s.training.snapshot?.backend ?? null,
    })),
  );
  const reason =
    trace && colors ? null : 'Nothing to export yet: waiting for the model’s trace of this pair.';
  const withInput =
    <T,>(make: (input: SumExportInput, anchor: HTMLElement, colors: SumColors) => T) =>
    (anchor: HTMLElement): T => {
      if (!trace || !colors) throw new Error('There is no trace yet.');
      return make({ trace, sentenceA, sentenceB, settings, backend }, anchor, colors);
    };
  const actions: ExportAction[] = [
    {
      id: 'sum.png',
      format: 'PNG',
      label: 'All positions matrix, image',
      disabledReason: reason,
      run: (anchor) => {
        const root = viewRoot(anchor, 'sum');
        const canvas = find<HTMLCanvasElement>(root, '[data-testid="sum.matrix"]', 'The matrix');
        const component = canvas.dataset.component ?? 'output';
        return canvasFile(root, canvas, name(`matrix-${component}`, 'png'), {
          title: `${MATRIX_LABELS[component] ?? component} of every position: ${trace?.seqLength ?? '?'} × ${trace?.hidden ?? '?'}, step ${trace?.step ?? '?'}`,
        });
      },
    },
    ...imageActions(
      withInput((input, anchor, scales) => positionFigure(anchor, input, position, scales)),
      {
        label: `Position ${position}: rows, sum and LayerNorm`,
        disabledReason: reason,
        png: { id: 'sum.position.png', name: name(`position-${position}`, 'png') },
        svg: { id: 'sum.svg', name: name(`position-${position}`, 'svg') },
        svgFirst: true,
      },
    ),
    {
      id: 'sum.json',
      format: 'JSON',
      label: 'Every position’s three rows, sum and LayerNorm output',
      disabledReason: reason,
      run: withInput((input) => jsonFile(sumJson(input, new Date()), name('trace', 'json'))),
    },
    {
      id: 'sum.csv',
      format: 'CSV',
      label: 'The same, one row per position and column',
      disabledReason: reason,
      run: withInput((input) => csvFile(sumCsv(input.trace), name('table', 'csv'))),
    },
  ];
  return <ExportMenu view="sum" actions={actions} />;
}
