/** The overview's numbers arranged for reading: today's images by state and by provider. */
import type { AdminOverview } from "./api/admin";

export const IMAGE_STATES = ["queued", "running", "ready", "failed"] as const;

export type ImageTable = {
  providers: string[];
  /** provider → state → count (0 when none) */
  counts: Record<string, Record<(typeof IMAGE_STATES)[number], number>>;
  totalByState: Record<(typeof IMAGE_STATES)[number], number>;
  total: number;
};

export function imageTable(rows: AdminOverview["images_today"]): ImageTable {
  const zero = () => ({ queued: 0, running: 0, ready: 0, failed: 0 });
  const counts: ImageTable["counts"] = {};
  const totalByState = zero();
  let total = 0;
  for (const row of rows) {
    counts[row.provider] ??= zero();
    counts[row.provider]![row.state] += row.count;
    totalByState[row.state] += row.count;
    total += row.count;
  }
  return { providers: Object.keys(counts).sort(), counts, totalByState, total };
}

/** Book states with any books first (most first), the empty ones after in the API's order. */
export function bookStateRows(byState: Record<string, number>): [string, number][] {
  const entries = Object.entries(byState);
  return [
    ...entries.filter(([, count]) => count > 0).sort((a, b) => b[1] - a[1]),
    ...entries.filter(([, count]) => count === 0),
  ];
}

export function deadLetterTotal(letters: AdminOverview["dead_letters"]): number | null {
  return letters ? letters.reduce((sum, letter) => sum + letter.count, 0) : null;
}
