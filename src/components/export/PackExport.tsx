import { useShallow } from 'zustand/react/shallow';
import { useLab } from '../../store/context';
import { standaloneSvg } from '../../viz/exportImage';
import { cssVar } from '../../viz/theme';
import type { PackView } from '../pack/derivePack';
import { ExportMenu, type ExportAction } from './ExportMenu';
import { exportFileName, packCsv, packJson, type PackExportInput } from './exportData';
import { csvFile, imageActions, jsonFile, pageTheme, viewRoot } from './figures';
import { LIGHT_PACK_COLORS, packFigure, type PackFigureColors } from './packFigure';

const name = (ext: string) => exportFileName('pack', 'sequence', ext);

function colorsOf(root: HTMLElement, background: string): PackFigureColors {
  const c = LIGHT_PACK_COLORS;
  const v = (prop: string, fallback: string) => cssVar(root, prop, fallback);
  return {
    background,
    ink: v('--ink', c.ink),
    muted: v('--muted', c.muted),
    segA: v('--seg-a', c.segA),
    segABg: v('--seg-a-bg', c.segABg),
    segB: v('--seg-b', c.segB),
    segBBg: v('--seg-b-bg', c.segBBg),
    special: v('--special', c.special),
    specialBg: v('--special-bg', c.specialBg),
    padBg: v('--pad-bg', c.padBg),
    unk: v('--unk', c.unk),
  };
}

/** The packed sequence figure, in the page's colours, as wide as the chips are on screen. */
function figure(anchor: HTMLElement, input: PackExportInput) {
  const root = viewRoot(anchor, 'pack');
  const theme = pageTheme(root);
  const ctx = document.createElement('canvas').getContext('2d');
  const font = `600 13px ${theme.mono}`;
  const measure = (token: string) => {
    if (!ctx) return token.length * 8;
    ctx.font = font;
    return ctx.measureText(token).width;
  };
  const budget = root.querySelector<SVGSVGElement>('.budget svg');
  const chips = root.querySelector('.chips');
  const { packed } = input;
  const notes = [
    `A: ${input.sentenceA}`,
    ...(input.sentenceB === '' ? [] : [`B: ${input.sentenceB}`]),
    `Max length ${input.maxLength}${input.padToMaxLength ? ', padded to it' : ''}; vocabulary ${input.vocabName} (${input.vocabSize.toLocaleString('en-US')} tokens)` +
      (packed.truncated.a + packed.truncated.b > 0
        ? `; truncated: A lost ${packed.truncated.a}, B lost ${packed.truncated.b}`
        : ''),
  ];
  return packFigure(packed, {
    width: Math.min(1100, Math.max(360, (chips?.clientWidth ?? 900) + 32)),
    colors: colorsOf(root, theme.background),
    fontFamily: theme.fontFamily,
    monoFamily: theme.mono,
    measure,
    notes,
    ...(budget ? { budget: standaloneSvg(budget, { background: null }) } : {}),
  });
}

/** Tokenize & Pack's exports: the packed sequence as a figure, JSON and CSV. */
export function PackExport({
  view,
  stale,
  vocabName,
  vocabSize,
}: {
  view: PackView;
  stale: boolean;
  vocabName: string;
  vocabSize: number;
}) {
  const { sentenceA, sentenceB, padToMaxLength } = useLab(
    useShallow((s) => ({ sentenceA: s.sentenceA, sentenceB: s.sentenceB, padToMaxLength: s.padToMaxLength })),
  );
  const input: PackExportInput | null =
    view.packed.ok && view.maxLength.ok
      ? {
          sentenceA,
          sentenceB,
          maxLength: view.maxLength.value,
          padToMaxLength,
          vocabName,
          vocabSize,
          packed: view.packed.value,
        }
      : null;
  // While typing, the chips lag the text by a render: export what is shown, not half of each.
  const reason = !input
    ? 'Nothing to export: fix the input so the packed sequence can be built.'
    : stale
      ? 'The packed sequence is updating.'
      : null;
  const withInput =
    <T,>(make: (input: PackExportInput, anchor: HTMLElement) => T) =>
    (anchor: HTMLElement): T => {
      if (!input) throw new Error('There is no packed sequence.');
      return make(input, anchor);
    };
  const actions: ExportAction[] = [
    ...imageActions(
      withInput((i, anchor) => figure(anchor, i)),
      {
        label: 'Packed sequence',
        disabledReason: reason,
        png: { id: 'pack.png', name: name('png') },
        svg: { id: 'pack.svg', name: name('svg') },
      },
    ),
    {
      id: 'pack.json',
      format: 'JSON',
      label: 'Ids, segment ids, positions, attention mask',
      disabledReason: reason,
      run: withInput((i) => jsonFile(packJson(i, new Date()), name('json'))),
    },
    {
      id: 'pack.csv',
      format: 'CSV',
      label: 'The packed sequence table',
      disabledReason: reason,
      run: withInput((i) => csvFile(packCsv(i.packed), name('csv'))),
    },
  ];
  return <ExportMenu view="pack" actions={actions} />;
}
