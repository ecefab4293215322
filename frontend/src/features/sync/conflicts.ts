/** A save refused because another device moved the place since: both places, from the answer. */
import { ApiError, type ReadingPosition } from "@/lib/api";

export const POSITION_CONFLICT = "position_conflict";

/** The place this device tried to save, as the server echoed it back. */
export type RefusedPlace = { chapter: number; offset: number; based_on?: number | null };

export type PositionConflict = { current: ReadingPosition; yours: RefusedPlace };

function isPosition(value: unknown): value is ReadingPosition {
  const position = value as ReadingPosition | null;
  return (
    typeof position === "object" &&
    position !== null &&
    Number.isInteger(position.chapter) &&
    Number.isInteger(position.offset) &&
    Number.isInteger(position.version) &&
    typeof position.updated_at === "string"
  );
}

/** The conflict a failed save reports, or null when it failed for another reason. */
export function conflictOf(error: unknown): PositionConflict | null {
  if (!(error instanceof ApiError) || error.code !== POSITION_CONFLICT) return null;
  const { current, yours } = error.details as { current?: unknown; yours?: unknown };
  if (!isPosition(current)) return null;
  const place = yours as RefusedPlace | undefined;
  const refused =
    place && Number.isInteger(place.chapter) && Number.isInteger(place.offset)
      ? place
      : { chapter: current.chapter, offset: current.offset };
  return { current, yours: refused };
}
