/**
 * Today's picture quota as a reader sees it: how many are left, and when the count starts again
 * (the API counts per UTC day, so at the next UTC midnight, shown in the reader's own time).
 */
import type { ImageQuota } from "../api/passages";

export type QuotaView = {
  left: number;
  limit: number;
  exhausted: boolean;
  /** When today's count ends. */
  resetsAt: Date;
  /** Whole minutes until then (at least 1). */
  minutesToReset: number;
};

export function nextUtcMidnight(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

export function quotaView(quota: ImageQuota, now: Date): QuotaView {
  const left = Math.max(0, quota.daily_limit - quota.used_today);
  const resetsAt = nextUtcMidnight(now);
  return {
    left,
    limit: quota.daily_limit,
    exhausted: left === 0,
    resetsAt,
    minutesToReset: Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 60_000)),
  };
}

/** The reset moment of a 429 `image_quota_exceeded` (its `retry_after` seconds from now). */
export function resetFromRetryAfter(seconds: number | null | undefined, now: Date): Date {
  return seconds && seconds > 0 ? new Date(now.getTime() + seconds * 1000) : nextUtcMidnight(now);
}

export const QUOTA_EXCEEDED = "image_quota_exceeded";
