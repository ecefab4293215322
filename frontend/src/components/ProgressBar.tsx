/** A labelled progress bar; `value` null means progress of unknown size (indeterminate). */
export function ProgressBar({ label, value }: { label: string; value: number | null }) {
  const percent = value === null ? null : Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
      aria-valuetext={percent === null ? undefined : `${percent}%`}
    >
      <div
        className={percent === null ? "progress-fill indeterminate" : "progress-fill"}
        style={{ width: percent === null ? undefined : `${percent}%` }}
      />
    </div>
  );
}
