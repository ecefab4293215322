/** The uploads in flight, kept outside React so they go on while the user looks elsewhere. */
import { getSession, subscribeSession } from "@/lib/api";
import { type UploadAction, type UploadItem, uploadReducer } from "./uploadState";

let items: UploadItem[] = [];
const listeners = new Set<() => void>();

export function dispatchUpload(action: UploadAction): void {
  items = uploadReducer(items, action);
  for (const listener of listeners) listener();
}

export function getUploads(): UploadItem[] {
  return items;
}

// The next account to sign in here must not see this one's files.
subscribeSession(() => {
  if (getSession().status === "signed-out" && items.length > 0) {
    items = [];
    for (const listener of listeners) listener();
  }
});

export function subscribeUploads(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
