import { memo, type FocusEvent, type MouseEvent } from 'react';
import type { Analysis } from '../../core/tokenizer';
import { useLab } from '../../store/context';
import { useRovingFocus } from '../useRovingFocus';
import type { SideResult } from './derivePack';
import { PieceText } from '../PieceText';

/** Beyond this many words a stage lists the first ones and says how many it left out. */
const MAX_SHOWN_WORDS = 600;
const MAX_SHOWN_CHARS = 6_000;

const count = (n: number) => n.toLocaleString('en-US');

function Omitted({ shown, total, what }: { shown: number; total: number; what: string }) {
  if (total <= shown) return null;
  return (
    <p className="muted omitted">
      Showing the first {count(shown)} of {count(total)} {what}.
    </p>
  );
}

/** Characters of the original text that normalization removed (control and format characters). */
function removedCount(analysis: Analysis): number {
  const covered = new Uint8Array(analysis.text.length);
  const { sourceStart, sourceEnd } = analysis.normalized;
  for (let i = 0; i < sourceStart.length; i++) covered.fill(1, sourceStart[i], sourceEnd[i]);
  let removed = 0;
  for (let i = 0; i < analysis.text.length; i++) {
    if (covered[i]) continue;
    const unit = analysis.text.charCodeAt(i);
    if (unit < 0xdc00 || unit > 0xdfff || i === 0 || covered[i - 1]) removed++;
  }
  return removed;
}

/** Pieces of the words the stage lists (the first MAX_SHOWN_WORDS words). */
function shownPieceCount(analysis: Analysis): number {
  if (analysis.words.length <= MAX_SHOWN_WORDS) return analysis.pieces.length;
  const firstHidden = analysis.pieces.findIndex((p) => p.wordIndex >= MAX_SHOWN_WORDS);
  return firstHidden < 0 ? analysis.pieces.length : firstHidden;
}

const SideStages = memo(function SideStages({ side, analysis }: { side: 'a' | 'b'; analysis: Analysis }) {
  const setInspected = useLab((s) => s.setInspected);
  const roving = useRovingFocus(Math.min(analysis.pieces.length, shownPieceCount(analysis)));
  const label = side === 'a' ? 'A' : 'B';
  const removed = removedCount(analysis);
  const words = analysis.words.slice(0, MAX_SHOWN_WORDS);
  const piecesByWord: number[][] = words.map(() => []);
  analysis.pieces.forEach((piece, index) => piecesByWord[piece.wordIndex]?.push(index));

  // One handler for the whole list (event delegation): thousands of pieces, one listener.
  const inspect = (event: MouseEvent | FocusEvent) => {
    const target = (event.target as HTMLElement).closest<HTMLElement>('[data-piece-index]');
    if (target) setInspected({ source: 'stage', side, pieceIndex: Number(target.dataset.pieceIndex) });
  };

  return (
    <div className={`side side-${side}`} data-testid={`pack.stages-${side}`}>
      <h3 className="side-title">
        <span className={`seg-dot seg-${side}`} aria-hidden="true" /> Sentence {label}
      </h3>
      <div className="stage">
        <h4>
          <span className="step-no">1</span> Normalize
        </h4>
        <p className="stage-help">
          Clean control characters, space out CJK ideographs, strip accents, lowercase.
        </p>
        <pre className="normalized" data-testid={`pack.normalized-${side}`}>
          {analysis.normalized.text.slice(0, MAX_SHOWN_CHARS) || (
            <span className="muted">(nothing left)</span>
          )}
        </pre>
        <Omitted
          shown={MAX_SHOWN_CHARS}
          total={analysis.normalized.text.length}
          what="normalized characters"
        />
        {removed > 0 && (
          <p className="muted">
            Removed {count(removed)} control or format character{removed === 1 ? '' : 's'}.
          </p>
        )}
      </div>
      <div className="stage">
        <h4>
          <span className="step-no">2</span> Split on whitespace and punctuation
        </h4>
        <ol className="word-list" aria-label={`Basic tokens of sentence ${label}`}>
          {words.map((word, i) => (
            <li key={i} className="word" data-testid="pack.word">
              {word.text}
            </li>
          ))}
        </ol>
        {analysis.words.length === 0 && (
          <p className="muted">No words: the text is empty after normalization.</p>
        )}
        <Omitted shown={words.length} total={analysis.words.length} what="words" />
      </div>
      <div className="stage">
        <h4>
          <span className="step-no">3</span> WordPiece
        </h4>
        <p className="stage-help">
          Longest vocabulary match first; <code>##</code> marks a piece that continues its word.
        </p>
        <ol
          className="piece-list"
          aria-label={`Word pieces of sentence ${label}`}
          onMouseOver={inspect}
          onFocus={inspect}
        >
          {piecesByWord.map((indices, w) => (
            <li key={w} className="piece-word">
              {indices.map((index) => {
                const piece = analysis.pieces[index]!;
                const source = analysis.text.slice(piece.start, piece.end);
                return (
                  <span
                    key={index}
                    tabIndex={index === roving.active ? 0 : -1}
                    data-roving-index={index}
                    data-testid="pack.piece"
                    data-piece-index={index}
                    data-token={piece.token}
                    data-token-id={piece.id}
                    className={`piece${piece.isContinuation ? ' cont' : ''}${piece.isUnk ? ' unk' : ''}`}
                    aria-label={`${piece.isUnk ? 'unknown word [UNK]' : piece.token}, id ${piece.id}, from “${source}”`}
                  >
                    <PieceText token={piece.token} isContinuation={piece.isContinuation} />
                  </span>
                );
              })}
            </li>
          ))}
        </ol>
        <Omitted shown={words.length} total={analysis.words.length} what="words" />
      </div>
    </div>
  );
});

function SideError({ side, message }: { side: 'a' | 'b'; message: string }) {
  return (
    <div className={`side side-${side}`}>
      <p className="message error" role="alert" data-testid={`pack.error-${side}`}>
        {message}
      </p>
    </div>
  );
}

export function Stages({ a, b }: { a: SideResult; b: SideResult | null }) {
  return (
    <section className="panel" aria-labelledby="stages-title">
      <h2 id="stages-title">From text to word pieces</h2>
      <div className="sides">
        {a.ok ? <SideStages side="a" analysis={a.analysis} /> : <SideError side="a" message={a.message} />}
        {b &&
          (b.ok ? <SideStages side="b" analysis={b.analysis} /> : <SideError side="b" message={b.message} />)}
      </div>
    </section>
  );
}
