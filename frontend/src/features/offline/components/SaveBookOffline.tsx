/** On the book's page: save every chapter for offline reading, with its progress. */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useSession } from "@/lib/api";
import { offlineBooksKey, useOfflineBooks } from "../hooks/useOfflineBooks";

function canSaveOffline(): boolean {
  return "serviceWorker" in navigator && navigator.serviceWorker.controller !== null;
}

/** Whether a service worker controls the page (on a first visit, it takes over a moment later). */
function useServiceWorkerControl(): boolean {
  const [controlled, setControlled] = useState(canSaveOffline);
  useEffect(() => {
    if (!("serviceWorker" in navigator)) return;
    const onChange = () => setControlled(canSaveOffline());
    navigator.serviceWorker.addEventListener("controllerchange", onChange);
    return () => navigator.serviceWorker.removeEventListener("controllerchange", onChange);
  }, []);
  return controlled;
}

export function SaveBookOffline({ bookId, chapters }: { bookId: string; chapters: number[] }) {
  const { t } = useTranslation("offline");
  const queryClient = useQueryClient();
  const session = useSession();
  const controlled = useServiceWorkerControl();
  const kept = useOfflineBooks().get(bookId);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [failed, setFailed] = useState(false);
  const missing = chapters.filter((index) => !kept?.chapters.includes(index));
  if (!controlled || chapters.length === 0 || (missing.length === 0 && progress === null)) {
    return null;
  }
  const offline = session.status === "signed-in" && session.offline === true;

  const save = () => {
    setFailed(false);
    setProgress({ done: 0, total: missing.length });
    import("../saveBook")
      .then((work) =>
        work.saveBookOffline(bookId, missing, (done) =>
          setProgress({ done, total: missing.length }),
        ),
      )
      .catch(() => setFailed(true))
      .finally(() => {
        setProgress(null);
        void queryClient.invalidateQueries({ queryKey: offlineBooksKey });
      });
  };

  return (
    <div className="offline-save">
      <button
        type="button"
        className="button"
        onClick={save}
        disabled={progress !== null || offline}
      >
        {t("saveBook")}
      </button>
      {progress && (
        <p className="muted small" role="status">
          {t("saving", { done: progress.done, count: progress.total })}
        </p>
      )}
      {failed && (
        <p className="muted small" role="alert">
          {t("saveFailed")}
        </p>
      )}
    </div>
  );
}
