/** Run a book's extraction again (e.g. after an extractor upgrade), by the book's id. */
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "@/components/ErrorNotice";
import { rerunExtraction } from "../api/admin";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function RerunExtraction() {
  const { t } = useTranslation("admin");
  const id = useId();
  const [bookId, setBookId] = useState("");
  const run = useMutation({ mutationFn: rerunExtraction });
  const wanted = bookId.trim();
  const valid = UUID.test(wanted);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (valid) run.mutate(wanted);
  }

  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("extract.title")}</h2>
      <p className="muted small">{t("extract.help")}</p>
      <div className="field">
        <label htmlFor={`${id}-book`}>{t("extract.bookId")}</label>
        <input
          id={`${id}-book`}
          value={bookId}
          spellCheck={false}
          autoComplete="off"
          onChange={(event) => {
            setBookId(event.target.value);
            run.reset();
          }}
          aria-invalid={wanted && !valid ? true : undefined}
        />
      </div>
      <ErrorNotice error={run.error} />
      {run.isSuccess && (
        <p className="success-text" role="status">
          {t("extract.queued")}
        </p>
      )}
      <button type="submit" className="button-primary" disabled={!valid || run.isPending}>
        {t("extract.run")}
      </button>
    </form>
  );
}
