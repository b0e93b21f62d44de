import { useId, useState, type DragEvent } from 'react';
import { MAX_CORPUS_BYTES } from '../../engine/vocabProtocol';
import { useLab } from '../../store/context';
import { BUILTIN_CORPUS } from '../../store/vocabTrainerSlice';

const number = (n: number) => n.toLocaleString('en-US');

/** Pick the built-in corpus, paste text, or drop a text file; the Worker reads and counts it. */
export function CorpusPanel() {
  const trainer = useLab((s) => s.trainer);
  const loadCorpus = useLab((s) => s.loadCorpus);
  const assetBase = useLab((s) => s.assetBase);
  const [pasted, setPasted] = useState('');
  const [dragging, setDragging] = useState(false);
  const id = useId();
  const loading = trainer.status === 'loading';

  const loadBuiltin = () =>
    loadCorpus({
      kind: 'url',
      url: new URL(BUILTIN_CORPUS.path, assetBase).href,
      name: BUILTIN_CORPUS.name,
    });
  const loadFile = (file: File | undefined) => file && loadCorpus({ kind: 'file', file });
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    loadFile(event.dataTransfer.files[0]);
  };

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>1 · The corpus</h2>
      <p className="stage-help">
        WordPiece is trained before BERT, on raw text: it counts words, then learns which pieces to keep.
      </p>
      <div className="corpus-choices">
        <button type="button" onClick={loadBuiltin} disabled={loading} data-testid="vocab.load-builtin">
          Use the built-in corpus
        </button>
        <label
          className={`dropzone${dragging ? ' dragging' : ''}`}
          onDragOver={(event) => {
            event.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <input
            type="file"
            accept=".txt,text/plain"
            data-testid="vocab.file"
            disabled={loading}
            onChange={(event) => {
              loadFile(event.target.files?.[0]);
              event.target.value = '';
            }}
          />
          <span>Drop a text file here or choose one (UTF-8, up to {MAX_CORPUS_BYTES / 1e6} MB)</span>
        </label>
      </div>
      <div className="field">
        <label htmlFor={`${id}-paste`}>Or paste your own text</label>
        <textarea
          id={`${id}-paste`}
          data-testid="vocab.paste"
          rows={3}
          value={pasted}
          spellCheck={false}
          onChange={(event) => setPasted(event.target.value)}
        />
        <button
          type="button"
          disabled={loading}
          data-testid="vocab.load-pasted"
          onClick={() => loadCorpus({ kind: 'text', text: pasted, name: 'your pasted text' })}
        >
          Train on the pasted text
        </button>
      </div>
      {loading && (
        <div className="progress" role="status">
          Counting words…{' '}
          <progress
            data-testid="vocab.progress"
            max={1}
            value={trainer.progress}
            aria-label="Counting words"
          />
        </div>
      )}
      {trainer.error && (
        <p className="message error" role="alert" data-testid="vocab.error">
          {trainer.error}
          {trainer.corpus && ' The previous corpus is still loaded.'}
        </p>
      )}
      {trainer.corpus && (
        <p className="corpus-stats" data-testid="vocab.corpus">
          <strong>{trainer.corpus.name}</strong>: {number(trainer.corpus.bytes)} bytes,{' '}
          {number(trainer.corpus.words)} words, {number(trainer.corpus.distinctWords)} distinct.
          {trainer.droppedChars.length > 0 &&
            ` ${number(trainer.droppedChars.length)} rare character${trainer.droppedChars.length === 1 ? '' : 's'} (${trainer.droppedChars
              .slice(0, 12)
              .map((c) => `“${c}”`)
              .join(
                ', ',
              )}${trainer.droppedChars.length > 12 ? ', …' : ''}) fall below the minimum frequency, so the ${number(trainer.droppedWords)} distinct word${trainer.droppedWords === 1 ? '' : 's'} containing them are left out of training and will be [UNK].`}
        </p>
      )}
    </section>
  );
}
