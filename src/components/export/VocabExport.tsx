import { MERGE_SCORE_NAMES } from '../../core/tokenizer/train';
import { useLab } from '../../store/context';
import type { VocabTrainerView } from '../../store/types';
import { ExportMenu, type ExportAction } from './ExportMenu';
import { exportFileName, mergesCsv, vocabCsv, vocabJson } from './exportData';
import { chartFigure, csvFile, find, imageActions, jsonFile, viewRoot } from './figures';

/** The growth chart with a caption that says which corpus and settings drew it. */
function growthFigure(anchor: HTMLElement, trainer: VocabTrainerView) {
  const root = viewRoot(anchor, 'vocab');
  const svg = find<SVGSVGElement>(root, '[aria-labelledby="growth-title"] figure svg', 'The growth chart');
  const last = trainer.steps.at(-1);
  const scoring = MERGE_SCORE_NAMES[trainer.settings.score];
  return chartFigure(root, [{ svg }], {
    title: 'Bigger vocabulary, fewer pieces per word',
    notes: [
      `Corpus: ${trainer.corpus?.name ?? 'none'}; ${scoring} merges, target ${trainer.settings.vocabSize.toLocaleString('en-US')} tokens.`,
      last
        ? `After ${last.step} merges: ${trainer.vocab.length.toLocaleString('en-US')} tokens, ${last.piecesPerWord.toFixed(3)} pieces per word (${trainer.initialPiecesPerWord.toFixed(3)} with the alphabet alone).`
        : `No merges yet: ${trainer.vocab.length} tokens, ${trainer.initialPiecesPerWord.toFixed(3)} pieces per word.`,
    ],
  });
}

/** The Vocabulary view's exports: the growth chart, the vocabulary and the merge history. */
export function VocabExport() {
  const trainer = useLab((s) => s.trainer);
  const empty = trainer.vocab.length === 0;
  const reason = empty ? 'Nothing to export yet: the corpus is still loading.' : null;
  const noMerges = empty ? reason : trainer.steps.length === 0 ? 'No merges yet: train at least one.' : null;
  const name = (what: string, ext: string) => exportFileName('vocab', what, ext);
  const actions: ExportAction[] = [
    ...imageActions((anchor) => growthFigure(anchor, trainer), {
      label: 'Growth chart',
      disabledReason: reason,
      png: { id: 'vocab.png', name: name('growth', 'png') },
      svg: { id: 'vocab.svg', name: name('growth', 'svg') },
    }),
    {
      id: 'vocab.json',
      format: 'JSON',
      label: 'Vocabulary, merge history and settings',
      disabledReason: reason,
      run: () => jsonFile(vocabJson(trainer, new Date()), name('vocabulary', 'json')),
    },
    {
      id: 'vocab.csv',
      format: 'CSV',
      label: 'The vocabulary, one token per row',
      disabledReason: reason,
      run: () => csvFile(vocabCsv(trainer), name('tokens', 'csv')),
    },
    {
      id: 'vocab.merges.csv',
      format: 'CSV',
      label: 'The merge history',
      disabledReason: noMerges,
      run: () => csvFile(mergesCsv(trainer), name('merges', 'csv')),
    },
  ];
  return <ExportMenu view="vocab" actions={actions} />;
}
