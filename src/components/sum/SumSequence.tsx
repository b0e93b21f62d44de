import { memo, useCallback, type KeyboardEvent } from 'react';
import type { PairTrace } from '../../engine/session';
import { useLab } from '../../store/context';
import { SEGMENT_NAME } from './sumData';
import { useReducedMotion } from './useReducedMotion';

const SPECIAL = new Set(['[CLS]', '[SEP]']);

const Chip = memo(function Chip(props: {
  position: number;
  token: string;
  segment: number;
  selected: boolean;
}) {
  const kind = SPECIAL.has(props.token) ? 'special' : props.segment === 0 ? 'a' : 'b';
  return (
    <li role="presentation">
      <button
        type="button"
        role="option"
        className={`sum-chip chip-${kind}`}
        aria-selected={props.selected}
        tabIndex={props.selected ? 0 : -1}
        data-testid="sum.chip"
        data-position={props.position}
        data-token={props.token}
      >
        {/* The name comes from the visible text, so that voice control users can say what they see. */}
        <span className="sum-chip-pos">
          <span className="sr-only">Position </span>
          {props.position}
          <span className="sr-only">: </span>
        </span>
        {props.token}
        <span className="sr-only">, segment {SEGMENT_NAME[props.segment] ?? props.segment}</span>
      </button>
    </li>
  );
});

/**
 * The packed sequence as a list of positions to pick: click a chip, or move with the arrow keys,
 * Home and End (one Tab stop, WAI-ARIA listbox keys).
 */
export function SumSequence({ trace }: { trace: PairTrace }) {
  const position = useLab((s) => s.sumPosition);
  const select = useLab((s) => s.selectSumPosition);
  const reduced = useReducedMotion();
  const T = trace.seqLength;

  const choose = useCallback(
    (p: number, focus: HTMLElement | null) => {
      select(p, !reduced);
      focus?.querySelector<HTMLElement>(`[data-position="${p}"]`)?.focus();
    },
    [select, reduced],
  );
  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const moves: Record<string, number> = {
      ArrowRight: position + 1,
      ArrowDown: position + 1,
      ArrowLeft: position - 1,
      ArrowUp: position - 1,
      Home: 0,
      End: T - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    choose(Math.max(0, Math.min(T - 1, next)), event.currentTarget);
  };

  return (
    <ul
      className="sum-chips"
      role="listbox"
      aria-label="Packed sequence: pick a position"
      aria-orientation="horizontal"
      onKeyDown={onKeyDown}
      onClick={(event) => {
        const chip = (event.target as HTMLElement).closest<HTMLElement>('[data-position]');
        if (chip) choose(Number(chip.dataset.position), event.currentTarget);
      }}
    >
      {trace.tokens.map((token, p) => (
        <Chip
          key={p}
          position={p}
          token={token}
          segment={trace.tokenTypeIds[p] ?? 0}
          selected={p === position}
        />
      ))}
    </ul>
  );
}
