import { useState } from 'react';
import { useLab } from '../../store/context';
import { FullLabLink, useEmbedding } from '../embedding';

/**
 * Picks a word piece for the "Learned rows" view and shows it there: its nearest rows of E_token.
 * A piece the model's vocabulary lacks (a learned vocabulary's, say) stays here with the reason.
 * In an embed, which has no Learned rows beside it, the full lab opens there in a new tab.
 */
export function useShowNearest(): (piece: string) => string | null {
  const pickPiece = useLab((s) => s.pickPiece);
  const setView = useLab((s) => s.setView);
  const embedding = useEmbedding();
  return (piece) => {
    if (embedding) {
      window.open(embedding.labHref('learned', { focus: piece }), '_blank', 'noopener');
      return null;
    }
    const error = pickPiece(piece);
    if (error === null) {
      setView('learned');
      document.getElementById('tab-learned')?.focus();
    }
    return error;
  };
}

/** A small "Nearest rows" button beside a piece the learner is inspecting. */
export function NearestRowsButton({ piece, testId }: { piece: string; testId: string }) {
  const show = useShowNearest();
  const embedding = useEmbedding();
  const [error, setError] = useState<string | null>(null);
  // A space before it: learned.css, which spaces the button, loads only with the Learned rows view.
  if (embedding)
    return (
      <>
        {' '}
        <FullLabLink
          embedding={embedding}
          view="learned"
          extra={{ focus: piece }}
          className="nearest-rows"
          testId={testId}
          title={`The rows of E_token nearest to “${piece}”, in the full lab's Learned rows view`}
        >
          Nearest rows
        </FullLabLink>
      </>
    );
  return (
    <>
      <button
        type="button"
        className="link-button nearest-rows"
        data-testid={testId}
        data-piece={piece}
        title={`The rows of E_token nearest to “${piece}”, in the Learned rows view`}
        onClick={() => setError(show(piece))}
      >
        Nearest rows
      </button>
      {error !== null && (
        <span className="message error nearest-rows-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
