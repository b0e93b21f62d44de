import type { Analysis, PackedInput } from '../../core/tokenizer';
import { useLab } from '../../store/context';
import type { PackView } from './derivePack';
import { NearestRowsButton } from '../learned/NearestRows';

const CONTEXT_CHARS = 24;

interface Described {
  title: string;
  facts: [string, string][];
  source?: { text: string; start: number; end: number };
}

function describePiece(
  analysis: Analysis,
  pieceIndex: number,
  side: 'a' | 'b',
  packed: PackedInput | null,
): Described | null {
  const piece = analysis.pieces[pieceIndex];
  if (!piece) return null;
  const word = analysis.words[piece.wordIndex];
  const slot = packed?.slots.find((s) => s.side === side && s.piece === piece);
  const facts: [string, string][] = [
    ['id', String(piece.id)],
    ['word', word ? word.text : ''],
    [
      'kind',
      piece.isUnk
        ? '[UNK]: no way to spell this word with the vocabulary'
        : piece.isContinuation
          ? 'continues its word (##)'
          : 'starts a word',
    ],
    ['source characters', `${piece.start}–${piece.end} of sentence ${side.toUpperCase()}`],
    ['packed position', slot ? String(slot.position) : packed ? 'cut by truncation' : '—'],
  ];
  return { title: piece.token, facts, source: { text: analysis.text, start: piece.start, end: piece.end } };
}

function describe(view: PackView, inspected: NonNullable<ReturnType<typeof useInspected>>): Described | null {
  const packed = view.packed.ok ? view.packed.value : null;
  if (inspected.source === 'stage') {
    const result = inspected.side === 'a' ? view.a : view.b;
    return result?.ok ? describePiece(result.analysis, inspected.pieceIndex, inspected.side, packed) : null;
  }
  const slot = packed?.slots[inspected.position];
  if (!slot) return null;
  if (slot.kind === 'piece' && slot.side && slot.piece) {
    const result = slot.side === 'a' ? view.a : view.b;
    if (result?.ok)
      return describePiece(result.analysis, result.analysis.pieces.indexOf(slot.piece), slot.side, packed);
  }
  const meaning: Record<string, string> = {
    cls: 'Classification token: always first; its final hidden state feeds the next-sentence head.',
    sep: 'Separator: ends a sentence.',
    pad: 'Padding: fills the sequence to a fixed length; attention mask 0 hides it from attention.',
  };
  return {
    title: slot.token,
    facts: [
      ['id', String(slot.id)],
      ['kind', meaning[slot.kind] ?? ''],
      ['packed position', String(slot.position)],
      ['segment', slot.segment === 0 ? 'A (0)' : 'B (1)'],
    ],
  };
}

/** The piece's characters highlighted in a short window of the text the user typed. */
function SourceContext({ text, start, end }: { text: string; start: number; end: number }) {
  const from = Math.max(0, start - CONTEXT_CHARS);
  const to = Math.min(text.length, end + CONTEXT_CHARS);
  return (
    <p className="source-context">
      {from > 0 && '…'}
      {text.slice(from, start)}
      <mark>{text.slice(start, end)}</mark>
      {text.slice(end, to)}
      {to < text.length && '…'}
    </p>
  );
}

function useInspected() {
  return useLab((s) => s.inspected);
}

export function Inspector({ view }: { view: PackView }) {
  const inspected = useInspected();
  const described = inspected ? describe(view, inspected) : null;
  return (
    <aside className="inspector" aria-live="polite" data-testid="pack.inspector">
      {described ? (
        <>
          <div className="inspector-title">
            <code>{described.title}</code>
            <NearestRowsButton key={described.title} piece={described.title} testId="pack.nearest-rows" />
          </div>
          <dl>
            {described.facts.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
          {described.source && <SourceContext {...described.source} />}
        </>
      ) : (
        <p className="muted">
          Hover or focus a word piece or a chip to see its id and the characters it came from.
        </p>
      )}
    </aside>
  );
}
