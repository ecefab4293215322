import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useSyncExternalStore } from "react";
import { uploadBook } from "../api/uploads";
import { bookKeys } from "../api/queryKeys";
import { dispatchUpload, getUploads, subscribeUploads } from "../uploadStore";
import type { UploadAction, UploadItem } from "../uploadState";

let nextId = 0;

/** The uploads and a way to start more; the library list refreshes as each file lands. */
export function useUploads(): { items: UploadItem[]; add: (files: Iterable<File>) => void } {
  const items = useSyncExternalStore(subscribeUploads, getUploads, getUploads);
  const queryClient = useQueryClient();
  const add = useCallback(
    (files: Iterable<File>) => {
      const batch = [...files].map((file) => ({ file, id: `upload-${++nextId}` }));
      if (batch.length === 0) return;
      dispatchUpload({
        type: "added",
        items: batch.map(({ file, id }) => ({ id, name: file.name, size: file.size })),
      });
      const dispatch = (action: UploadAction) => {
        dispatchUpload(action);
        if (action.type === "sent" || action.type === "started") {
          void queryClient.invalidateQueries({ queryKey: bookKeys.all });
        }
      };
      for (const { file, id } of batch) void uploadBook(file, id, dispatch);
    },
    [queryClient],
  );
  return { items, add };
}
