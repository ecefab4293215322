/** Adding books: a button and a drop zone (several files at once), and each file's progress. */
import { type DragEvent, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { useUploads } from "../hooks/useUploads";
import { UploadRow } from "./UploadRow";

export const ACCEPTED_FILES = ".epub,.fb2,.zip,.fb2.zip,application/epub+zip";

function hasFiles(event: DragEvent): boolean {
  return [...event.dataTransfer.types].includes("Files");
}

export function UploadPanel() {
  const { t } = useTranslation("library");
  const { items, add } = useUploads();
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);

  return (
    <section
      className={dragging ? "upload-zone dragging" : "upload-zone"}
      aria-label={t("upload.region")}
      onDragEnter={(event) => {
        if (hasFiles(event)) setDragging(true);
      }}
      onDragOver={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = "copy";
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        add(event.dataTransfer.files);
      }}
    >
      <div className="upload-call">
        <button type="button" className="button-primary" onClick={() => input.current?.click()}>
          {t("upload.button")}
        </button>
        <span className="muted">{t("upload.hint")}</span>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPTED_FILES}
          aria-label={t("upload.input")}
          className="visually-hidden"
          tabIndex={-1}
          onChange={(event) => {
            if (event.target.files) add(event.target.files);
            event.target.value = ""; // the same file may be chosen again
          }}
        />
      </div>
      {items.length > 0 && (
        <ul className="upload-list" aria-label={t("upload.listLabel")}>
          {items.map((item) => (
            <UploadRow key={item.id} item={item} />
          ))}
        </ul>
      )}
    </section>
  );
}
