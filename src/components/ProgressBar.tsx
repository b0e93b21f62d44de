/**
 * A progress bar for real measures of progress (bytes of a download, merges of a vocabulary,
 * backends timed). With no measure (`fraction` null) it is indeterminate: no aria-valuenow, as
 * WAI-ARIA asks, and a sliding stripe instead of a width.
 */
export function ProgressBar({
  fraction,
  label,
  valueText,
  testId,
}: {
  fraction: number | null;
  label: string;
  /** What a screen reader says instead of the bare percentage, e.g. "120 of 232 kB". */
  valueText?: string;
  testId?: string;
}) {
  const percent = fraction === null ? null : Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <div
      className={percent === null ? 'progress indeterminate' : 'progress'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      {...(percent === null ? {} : { 'aria-valuenow': percent })}
      {...(valueText === undefined ? {} : { 'aria-valuetext': valueText })}
      {...(testId === undefined ? {} : { 'data-testid': testId })}
    >
      <div className="progress-fill" style={percent === null ? undefined : { width: `${percent}%` }} />
    </div>
  );
}
