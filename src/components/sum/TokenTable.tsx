import { useMemo, useState } from 'react';
import type { TokenDrift } from '../../core/train/drift';
import { useLab } from '../../store/context';
import { divergingColor, type ValueColor } from '../../viz/heatStrip';
import type { TableMark, TableOverviewData } from '../../viz/tableOverview';
import { useColorScheme } from '../useColorScheme';
import { driftCause, driftSummary, norm } from './driftText';
import { gatherRows, TableCanvas } from './TableCanvas';

/** What the E_token overview shows: the weights, their change since step 0, or that change centred. */
export const TOKEN_MODES = ['weights', 'change', 'centred'] as const;
export type TokenMode = (typeof TOKEN_MODES)[number];

const MODE_LABELS: Record<TokenMode, string> = {
  weights: 'weights',
  change: 'change since step 0',
  centred: 'change, common drift removed',
};

/**
 * The colour range of both change modes: the 99th percentile of |Δ| over every 7th cell, so a few
 * far-moved rows (the batch's) do not wash out the rest. One range for both modes, so what the
 * centring removes shows as colour that fades.
 */
function changeRange(change: Float32Array): number {
  const sample = new Float32Array(Math.ceil(change.length / 7));
  for (let i = 0, j = 0; i < change.length; i += 7, j++) sample[j] = Math.abs(change[i]!);
  sample.sort();
  return sample[Math.floor(0.99 * (sample.length - 1))] ?? 0;
}

export interface TokenTableProps {
  readonly token: Float32Array;
  readonly rows: number;
  readonly hidden: number;
  /** The ids this input uses, ascending, with their labels; the selected one is strong. */
  readonly marks: readonly TableMark[];
  readonly color: ValueColor;
  readonly drift: TokenDrift | null;
}

function ModeChoice({
  mode,
  onMode,
  disabled,
}: {
  mode: TokenMode;
  onMode: (m: TokenMode) => void;
  disabled: boolean;
}) {
  return (
    <div className="sum-toggle" role="radiogroup" aria-label="E_token shows">
      {TOKEN_MODES.map((m) => (
        <label key={m} className="checkbox">
          <input
            type="radio"
            name="sum-token-mode"
            data-testid={`sum.token-mode-${m}`}
            checked={mode === m}
            disabled={disabled && m !== 'weights'}
            onChange={() => onMode(m)}
          />
          {MODE_LABELS[m]}
        </label>
      ))}
    </div>
  );
}

/** The sentences on the drift, with its numbers as data attributes for tests. */
function DriftNote({ drift }: { drift: TokenDrift }) {
  const settings = useLab((s) => s.training.settings);
  return (
    <p
      className="muted sum-drift"
      data-testid="sum.drift"
      data-step={drift.step}
      data-mean-norm={drift.meanNorm}
      data-median-change={drift.medianChange}
      data-median-centred={drift.medianCentred}
      data-common-share={drift.commonShare}
      aria-live="polite"
    >
      <span data-testid="sum.drift-summary">{driftSummary(drift)}</span>{' '}
      {drift.step > 0 && <span data-testid="sum.drift-cause">{driftCause(settings, drift)}</span>}
    </p>
  );
}

/**
 * E_token [V, H] as a compressed overview and a magnified strip of the rows in use, showing the
 * weights, their change since step 0, or that change with the rows' mean change taken out.
 */
export function TokenTable({ token, rows, hidden: H, marks, color, drift }: TokenTableProps) {
  const [chosen, setMode] = useState<TokenMode>('weights');
  const mode: TokenMode = drift ? chosen : 'weights';
  const scheme = useColorScheme();
  const changeColor = useMemo(
    () => drift && divergingColor(changeRange(drift.change), scheme),
    [drift, scheme],
  );

  const { overview, zoom } = useMemo(() => {
    const values = mode === 'weights' || !drift ? token : drift.change;
    const offset = mode === 'centred' && drift ? { offset: drift.mean } : {};
    const ids = marks.map((m) => m.row);
    return {
      overview: { values, rows, cols: H, marks, ...offset } satisfies TableOverviewData,
      zoom: {
        values: gatherRows(values, ids, H),
        rows: ids.length,
        cols: H,
        marks: marks.map((m, i) => ({ ...m, row: i })),
        ...offset,
      } satisfies TableOverviewData,
    };
  }, [mode, drift, token, rows, H, marks]);

  const shown = mode === 'weights' || !changeColor ? color : changeColor;
  const what = MODE_LABELS[mode];
  const count = marks.length;
  const zoomHeight = Math.min(320, Math.max(40, count * (count > 40 ? 5 : 11)));
  const [range] = shown.domain() as [number, number, number];
  return (
    <figure>
      <figcaption>
        Token table E_token: {rows.toLocaleString('en-US')} × {H}
      </figcaption>
      <ModeChoice mode={mode} onMode={setMode} disabled={drift === null} />
      <TableCanvas
        testId="sum.token-table"
        mode={mode}
        data={overview}
        height={220}
        color={shown}
        label={`Token table, ${what}: ${rows} rows of ${H}, each pixel row the mean of a bucket of rows; the ${count} rows in use are ticked`}
      />
      {mode !== 'weights' && (
        <figcaption className="muted" data-testid="sum.token-range">
          Colour from −{norm(range)} (blue) to +{norm(range)} (red), the same in both change views.
        </figcaption>
      )}
      <figcaption className="muted">Magnified: the {count} rows in use</figcaption>
      <TableCanvas
        testId="sum.token-zoom"
        mode={mode}
        data={zoom}
        height={zoomHeight}
        color={shown}
        label={`The token table's rows in use, magnified, ${what}`}
      />
      {drift && <DriftNote drift={drift} />}
    </figure>
  );
}
