import { memo, type FocusEvent, type MouseEvent } from 'react';
import type { PackedInput, PackedToken } from '../../core/tokenizer';
import { useLab } from '../../store/context';
import { drawBudgetBar, type BudgetSegment } from '../../viz/budgetBar';
import { useDraw } from '../useDraw';
import { useRovingFocus } from '../useRovingFocus';
import { truncationReason } from './truncationReason';

const SEGMENT_NAME = ['A', 'B'] as const;

function slotLabel(slot: PackedToken): string {
  const what =
    slot.kind === 'pad'
      ? 'padding [PAD]'
      : slot.kind === 'piece'
        ? `token ${slot.piece?.isUnk ? 'unknown [UNK]' : slot.token}`
        : `special token ${slot.token}`;
  return `Position ${slot.position}: ${what}, id ${slot.id}, segment ${SEGMENT_NAME[slot.segment]}, attention mask ${slot.attention}`;
}

function budgetSegments(packed: PackedInput): BudgetSegment[] {
  const keptA = packed.slots.filter((s) => s.side === 'a').length;
  const keptB = packed.slots.filter((s) => s.side === 'b').length;
  const pads = packed.slots.filter((s) => s.kind === 'pad').length;
  const segments: BudgetSegment[] = [
    { kind: 'special', count: 1, label: '[CLS]' },
    { kind: 'a', count: keptA, label: 'A kept' },
    { kind: 'special', count: 1, label: '[SEP] after A' },
  ];
  if (packed.hasPair) {
    segments.push(
      { kind: 'b', count: keptB, label: 'B kept' },
      { kind: 'special', count: 1, label: 'final [SEP]' },
    );
  }
  segments.push(
    { kind: 'pad', count: pads, label: '[PAD]' },
    { kind: 'cut-a', count: packed.truncated.a, label: 'A cut' },
    { kind: 'cut-b', count: packed.truncated.b, label: 'B cut' },
  );
  return segments;
}

function BudgetBar({ packed, maxLength }: { packed: PackedInput; maxLength: number }) {
  const ref = useDraw(
    (svg, width) => drawBudgetBar(svg, { segments: budgetSegments(packed), maxLength }, { width }),
    [packed, maxLength],
  );
  return (
    <figure className="budget">
      <svg
        ref={ref}
        role="img"
        aria-label={`Sequence budget: ${packed.slots.length} of at most ${maxLength} slots used`}
      />
    </figure>
  );
}

function TruncationNotice({ packed, maxLength }: { packed: PackedInput; maxLength: number }) {
  const { a, b } = packed.truncated;
  if (a === 0 && b === 0) return null;
  const lost = [
    a > 0 ? `sentence A lost ${a} piece${a === 1 ? '' : 's'}` : '',
    b > 0 ? `sentence B lost ${b} piece${b === 1 ? '' : 's'}` : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return (
    <div
      className="message warn"
      role="status"
      data-testid="pack.truncation"
      data-truncated-a={a}
      data-truncated-b={b}
    >
      <strong>Truncated: {lost}.</strong> {truncationReason(packed, maxLength)}
    </div>
  );
}

const Chip = memo(function Chip({ slot, tabbable }: { slot: PackedToken; tabbable: boolean }) {
  const side = slot.kind === 'pad' ? 'pad' : slot.kind === 'piece' ? slot.side : 'special';
  return (
    <li
      className={`chip chip-${side}${slot.piece?.isUnk ? ' unk' : ''}`}
      tabIndex={tabbable ? 0 : -1}
      data-roving-index={slot.position}
      data-testid="pack.token"
      data-token={slot.token}
      data-token-id={slot.id}
      data-segment={slot.segment}
      data-position={slot.position}
      data-attention={slot.attention}
      aria-label={slotLabel(slot)}
    >
      <span className="chip-token">{slot.token}</span>
      <span className="chip-row">
        <span className="k">id</span> {slot.id}
      </span>
      <span className={`chip-row seg-text-${slot.segment}`}>
        <span className="k">seg</span> {SEGMENT_NAME[slot.segment]}
      </span>
      <span className="chip-row">
        <span className="k">pos</span> {slot.position}
      </span>
      <span className={`chip-row${slot.attention === 0 ? ' masked' : ''}`}>
        <span className="k">mask</span> {slot.attention}
      </span>
    </li>
  );
});

export function PackedSequence({ packed, maxLength }: { packed: PackedInput; maxLength: number }) {
  const setInspected = useLab((s) => s.setInspected);
  const roving = useRovingFocus(packed.slots.length);
  const inspect = (event: MouseEvent | FocusEvent) => {
    const target = (event.target as HTMLElement).closest<HTMLElement>('[data-position]');
    if (target) setInspected({ source: 'packed', position: Number(target.dataset.position) });
  };
  return (
    <>
      <p className="stage-help">
        {packed.hasPair ? (
          <>
            <code>[CLS] A [SEP] B [SEP]</code>: {packed.slots.length} slots.
          </>
        ) : (
          <>
            <code>[CLS] A [SEP]</code>: {packed.slots.length} slots. Add sentence B to see segment 1.
          </>
        )}
      </p>
      <ul className="legend" aria-label="Legend">
        <li>
          <span className="swatch chip-a" aria-hidden="true" /> segment A (token_type_id 0)
        </li>
        <li>
          <span className="swatch chip-b" aria-hidden="true" /> segment B (token_type_id 1)
        </li>
        <li>
          <span className="swatch chip-special" aria-hidden="true" /> special token
        </li>
        <li>
          <span className="swatch chip-pad" aria-hidden="true" /> padding, attention mask 0
        </li>
        <li>
          <span className="swatch unk-swatch" aria-hidden="true" /> [UNK]
        </li>
      </ul>
      <BudgetBar packed={packed} maxLength={maxLength} />
      <TruncationNotice packed={packed} maxLength={maxLength} />
      <ol
        className="chips"
        aria-label="Packed input sequence; use the arrow keys to move between tokens"
        onMouseOver={inspect}
        onFocus={(event) => {
          roving.onFocus(event);
          inspect(event);
        }}
        onKeyDown={roving.onKeyDown}
      >
        {packed.slots.map((slot) => (
          <Chip key={slot.position} slot={slot} tabbable={slot.position === roving.active} />
        ))}
      </ol>
    </>
  );
}
