import { useEffect } from 'react';
import { useLab } from '../../store/context';
import { BUILTIN_CORPUS } from '../../store/vocabTrainerSlice';
import { VocabExport } from '../export/VocabExport';
import { CorpusPanel } from './CorpusPanel';
import { GrowthChart } from './GrowthChart';
import { LastMerge } from './LastMerge';
import { PreviewPanel } from './PreviewPanel';
import { TrainerControls } from './TrainerControls';
import { VocabList } from './VocabList';
import './vocab.css';

/** The Vocabulary view: train a WordPiece vocabulary on a corpus and watch words fuse. */
export function VocabView() {
  const status = useLab((s) => s.trainer.status);
  const loadCorpus = useLab((s) => s.loadCorpus);
  const assetBase = useLab((s) => s.assetBase);
  // A learner who opens the view sees the built-in corpus ready to train.
  useEffect(() => {
    if (status === 'idle') {
      loadCorpus({
        kind: 'url',
        url: new URL(BUILTIN_CORPUS.path, assetBase).href,
        name: BUILTIN_CORPUS.name,
      });
    }
  }, [status, loadCorpus, assetBase]);

  return (
    <div className="vocab-view" data-testid="vocab.view">
      <VocabExport />
      <div className="vocab-grid">
        <div className="vocab-col">
          <CorpusPanel />
          <TrainerControls />
          <LastMerge />
        </div>
        <div className="vocab-col">
          <PreviewPanel />
          <GrowthChart />
          <VocabList />
        </div>
      </div>
    </div>
  );
}
