import { memo, useId, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { LearnedReport } from '../../core/learned/types';
import { MAX_NEIGHBOURS } from '../../store/learnedSlice';
import { useLab } from '../../store/context';
import { centredNote, neighbourCountsSentences, num } from './learnedText';

/** The text box: a piece typed here is picked and focused, or the reason it cannot be is shown. */
function PickForm() {
  const pickPiece = useLab((s) => s.pickPiece);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const why = pickPiece(text);
    setError(why);
    if (why === null) setText('');
  };
  return (
    <form className="learned-pick-form" onSubmit={onSubmit}>
      <label htmlFor={`${id}-piece`}>Word piece</label>
      <input
        id={`${id}-piece`}
        data-testid="learned.piece-input"
        value={text}
        maxLength={200}
        autoComplete="off"
        spellCheck={false}
        placeholder="e.g. three, ##ing"
        aria-invalid={error !== null}
        aria-describedby={error !== null ? `${id}-error` : undefined}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" data-testid="learned.piece-add">
        Show neighbours
      </button>
      {error !== null && (
        <p className="message error" role="alert" id={`${id}-error`} data-testid="learned.piece-error">
          {error}
        </p>
      )}
    </form>
  );
}

/** The picks as chips: click one to list its neighbours, × to drop it. */
function PickChips() {
  const [picks, focus] = useLab(useShallow((s) => [s.learnedPicks, s.learnedFocus] as const));
  const pickPiece = useLab((s) => s.pickPiece);
  const unpickPiece = useLab((s) => s.unpickPiece);
  if (picks.length === 0) return <p className="muted">No pieces picked: type one above.</p>;
  return (
    <ul className="learned-chips" aria-label="Picked pieces">
      {picks.map((piece) => (
        <li key={piece} className={`learned-chip${piece === focus ? ' focused' : ''}`}>
          <button
            type="button"
            className="learned-chip-piece"
            data-testid="learned.pick"
            data-piece={piece}
            aria-pressed={piece === focus}
            onClick={() => pickPiece(piece)}
          >
            {piece}
          </button>
          <button
            type="button"
            className="learned-chip-remove"
            data-testid="learned.unpick"
            aria-label={`Remove ${piece}`}
            onClick={() => unpickPiece(piece)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

/** k and centred or raw cosine. */
function NeighbourOptions() {
  const [k, centred, tied] = useLab(
    useShallow((s) => [s.learnedK, s.learnedCentred, s.training.settings.tieOutputEmbeddings] as const),
  );
  const setK = useLab((s) => s.setLearnedK);
  const setCentred = useLab((s) => s.setLearnedCentred);
  const id = useId();
  return (
    <div className="learned-options">
      <label className="field-inline">
        Neighbours
        <input
          type="number"
          min={1}
          max={MAX_NEIGHBOURS}
          value={k}
          data-testid="learned.k"
          onChange={(e) => e.target.value !== '' && setK(Number(e.target.value))}
        />
      </label>
      <fieldset className="learned-cosine" aria-describedby={`${id}-note`}>
        <legend>Cosine</legend>
        {(['centred', 'raw'] as const).map((kind) => (
          <label key={kind}>
            <input
              type="radio"
              name={`${id}-cosine`}
              data-testid={`learned.${kind}`}
              checked={centred === (kind === 'centred')}
              onChange={() => setCentred(kind === 'centred')}
            />{' '}
            {kind === 'centred' ? 'centred (mean row taken out)' : 'raw'}
          </label>
        ))}
      </fieldset>
      <p className="muted" id={`${id}-note`} data-testid="learned.centred-note">
        {centredNote(centred, tied)}
      </p>
    </div>
  );
}

/** The focused piece's nearest rows from the report, each a button that focuses it in turn. */
function NeighbourList({ report }: { report: LearnedReport | null }) {
  const [focus, centred, k] = useLab(
    useShallow((s) => [s.learnedFocus, s.learnedCentred, s.learnedK] as const),
  );
  const pickPiece = useLab((s) => s.pickPiece);
  const tied = useLab((s) => s.training.settings.tieOutputEmbeddings);
  if (focus === null) return null;
  const entry = report?.neighbours.find((n) => n.piece === focus);
  const current = entry !== undefined && report?.centred === centred && report.k === k;
  if (!entry || !report)
    return (
      <p className="muted" role="status" data-testid="learned.neighbours-reading">
        Reading the rows nearest to “{focus}”…
      </p>
    );
  if (entry.id === null)
    return (
      <p className="message warn" role="status" data-testid="learned.neighbours-missing">
        “{focus}” is not in this model&rsquo;s vocabulary, so it has no row to compare.
      </p>
    );
  return (
    <>
      <p className="learned-list-head">
        Rows nearest to <code>{focus}</code> (id {entry.id}) by {report.centred ? 'centred' : 'raw'} cosine,
        over all {report.vocabSize.toLocaleString('en-US')} rows of E_token, step {report.step}
        {current ? '' : ' (reading the new choice…)'}:
      </p>
      <ol
        className="learned-neighbours"
        data-testid="learned.neighbours"
        data-focus={focus}
        data-centred={report.centred}
        data-step={report.step}
      >
        {entry.neighbours.map((n) => (
          <li key={n.id}>
            <button
              type="button"
              data-piece={n.piece}
              data-id={n.id}
              data-cosine={n.cosine}
              data-count={n.count}
              title={`Show the rows nearest to “${n.piece}” (it occurs ${n.count.toLocaleString('en-US')} times in the corpus)`}
              onClick={() => pickPiece(n.piece)}
            >
              <code>{n.piece}</code> <span className="num">{num(n.cosine)}</span>
            </button>
          </li>
        ))}
      </ol>
      <div className="muted" data-testid="learned.neighbour-counts" data-count={entry.count}>
        {neighbourCountsSentences(entry, report, tied).map((sentence) => (
          <p key={sentence}>{sentence}</p>
        ))}
      </div>
    </>
  );
}

export const NeighboursPanel = memo(function NeighboursPanel({ report }: { report: LearnedReport | null }) {
  return (
    <section className="panel learned-neighbours-panel" aria-labelledby="learned-neighbours-title">
      <h2 id="learned-neighbours-title">Neighbours</h2>
      <PickForm />
      <PickChips />
      <NeighbourOptions />
      <NeighbourList report={report} />
    </section>
  );
});
