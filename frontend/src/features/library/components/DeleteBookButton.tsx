import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { ErrorNotice } from "@/components/ErrorNotice";
import type { BookSummary } from "@/lib/api";
import { useDeleteBook } from "../hooks/useBooks";

/** Delete, after asking; `onDeleted` lets the book page leave for the library. */
export function DeleteBookButton({
  book,
  onDeleted,
}: {
  book: Pick<BookSummary, "id" | "title">;
  onDeleted?: () => void;
}) {
  const { t } = useTranslation("library");
  const [asking, setAsking] = useState(false);
  const remove = useDeleteBook();
  return (
    <>
      <button
        type="button"
        className="button-quiet small"
        aria-label={t("delete.labelFor", { title: book.title })}
        onClick={() => setAsking(true)}
      >
        {t("delete.button")}
      </button>
      <ConfirmDialog
        open={asking}
        title={t("delete.title")}
        body={t("delete.body", { title: book.title })}
        confirmLabel={t("delete.confirm")}
        busy={remove.isPending}
        onCancel={() => setAsking(false)}
        onConfirm={() =>
          remove.mutate(book.id, {
            onSuccess: () => {
              setAsking(false);
              onDeleted?.();
            },
          })
        }
      />
      <ErrorNotice error={remove.error} />
    </>
  );
}
