/** What other features may use from offline reading. */
export { OfflineBadge, OfflineBookNote } from "./components/OfflineBadge";
export { OfflineNotice } from "./components/OfflineNotice";
export { SaveBookOffline } from "./components/SaveBookOffline";
export { forgetQueuedPosition } from "./core/offlineDb";
export { useKeepBookOffline } from "./hooks/useKeepBookOffline";
export { useOfflineBooks } from "./hooks/useOfflineBooks";
export { onQueuedConflict, type QueuedConflict } from "./sync";
