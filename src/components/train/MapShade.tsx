import { useMemo } from 'react';
import { stepDrift } from '../../core/train/drift';
import type { RowFrame, StepReport } from '../../core/train/pure';

/** What brightens a moved row on the map: how far it moved, or how far it moved on its own. */
export type MapShade = 'update' | 'centred';

/** A norm as the map's notes write it. */
const num = (x: number): string => (x === 0 ? '0' : x.toExponential(2));

export function ShadeChoice({ shade, onShade }: { shade: MapShade; onShade: (s: MapShade) => void }) {
  return (
    <label className="field-inline">
      Brightness
      <select
        data-testid="train.map-shade"
        value={shade}
        onChange={(e) => onShade(e.target.value as MapShade)}
      >
        <option value="update">‖Δrow‖</option>
        <option value="centred">‖Δrow − mean Δrow‖</option>
      </select>
    </label>
  );
}

/**
 * The centred norms of `frame`'s step, when the last report is that step and measured them; else
 * null (the centred change is kept for the latest step only, and older saved reports lack it).
 */
export function centredOf(frame: RowFrame | null, report: StepReport | null): Float32Array | null {
  if (!frame || !report || report.step !== frame.step || report.nonFinite) return null;
  const c = report.centredUpdateRowNorm;
  return c && c.length === frame.updateNorm.length ? c : null;
}

/** The sentence under the map in the centred shade: the step's shared move against the median row's. */
export function ShadeNote({ frame, centred }: { frame: RowFrame; centred: Float32Array | null }) {
  const drift = useMemo(() => centred && stepDrift(frame.updateNorm, centred), [frame, centred]);
  if (!drift)
    return (
      <p className="row-details muted" data-testid="train.map-centred-note">
        The centred change is measured for the latest step only: this frame is brightened by ‖Δrow‖. Pick the
        latest step to see it.
      </p>
    );
  return (
    <p
      className="row-details muted"
      data-testid="train.map-drift"
      data-step={frame.step}
      data-mean-norm={drift.meanNorm}
      data-median-update={drift.medianUpdate}
      data-median-centred={drift.medianCentred}
      data-common-share={drift.commonShare}
    >
      Step {frame.step}: the step all rows share (the mean of their Δrow) has length {num(drift.meanNorm)};
      the median row moved {num(drift.medianUpdate)}, and {num(drift.medianCentred)} with the shared step
      taken out. Brighter cells moved further on their own ({(100 * drift.commonShare).toFixed(1)} % of this
      step’s movement is the shared step).
    </p>
  );
}
