/** What other features may use from position sync. */
export type { Place, SavedPosition } from "./api/positions";
export { DevicePlaces } from "./components/DevicePlaces";
export { PositionConflictDialog } from "./components/PositionConflictDialog";
export type { PositionConflict } from "./conflicts";
export { usePositionSync } from "./hooks/usePositionSync";
