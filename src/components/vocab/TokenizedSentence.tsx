import type { Analysis } from '../../core/tokenizer';
import { PieceText } from '../PieceText';

/**
 * A sentence as word pieces, grouped by word, each piece with its id on hover. `fresh` marks
 * pieces equal to the token the last merge created, so learners see words fuse.
 */
export function TokenizedSentence({
  analysis,
  label,
  testId,
  pieceTestId,
  fresh,
}: {
  analysis: Analysis;
  label: string;
  testId?: string;
  pieceTestId?: string;
  fresh?: string;
}) {
  const byWord = analysis.words.map(() => [] as number[]);
  analysis.pieces.forEach((piece, index) => byWord[piece.wordIndex]?.push(index));
  return (
    <ol className="piece-list tokenized" aria-label={label} data-testid={testId}>
      {byWord.map((indices, w) => (
        <li key={w} className="piece-word">
          {indices.map((index) => {
            const piece = analysis.pieces[index]!;
            return (
              <span
                key={index}
                data-testid={pieceTestId}
                data-token={piece.token}
                title={`id ${piece.id}`}
                className={`piece${piece.isContinuation ? ' cont' : ''}${piece.isUnk ? ' unk' : ''}${piece.token === fresh ? ' fresh' : ''}`}
              >
                <PieceText token={piece.token} isContinuation={piece.isContinuation} />
              </span>
            );
          })}
        </li>
      ))}
    </ol>
  );
}
