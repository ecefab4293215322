/** The illustration styles the API knows (bookreader.images.styles), each with its sample. */
export const STYLES = [
  { name: "watercolour", sample: "watercolour" },
  { name: "ink sketch", sample: "ink-sketch" },
  { name: "oil painting", sample: "oil-painting" },
  { name: "engraving", sample: "engraving" },
  { name: "anime", sample: "anime" },
  { name: "photo-real", sample: "photo-real" },
] as const;

export function styleSample(sample: string): string {
  return `${import.meta.env.BASE_URL}styles/${sample}.svg`;
}

/** Today's quota as a reader sees it: pictures left, and when the day (UTC) starts again. */
export function quotaLeft(
  quota: { daily_limit: number; used_today: number },
  now: Date = new Date(),
): { left: number; limit: number; resetsAt: Date } {
  const resetsAt = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1),
  );
  return {
    left: Math.max(0, quota.daily_limit - quota.used_today),
    limit: quota.daily_limit,
    resetsAt,
  };
}
