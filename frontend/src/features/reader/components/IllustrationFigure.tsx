/**
 * A passage's picture in the text: the thumbnail (the full picture on click), the passage as its
 * caption, and a small menu to redraw or delete it. While a picture is being drawn it says so;
 * a failed one gives its reason and a retry.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import type { Description, Illustration } from "../api/passages";
import { type FigureModel, isPending } from "../passages/figures";

type Props = {
  figure: FigureModel;
  busy: boolean;
  error: string | null;
  onZoom: (image: { src: string; alt: string }) => void;
  onRegenerate: (illustration: Illustration) => void;
  onDelete: () => void;
};

/** The picture's alt text from the passage's visual summary (what is shown, how it looks). */
export function altText(description: Description): string {
  const summary = description.summary;
  const parts: string[] = [];
  for (const subject of summary?.subjects ?? []) {
    const attributes = summary?.attributes[subject] ?? [];
    parts.push([...attributes, subject].join(" "));
  }
  if (parts.length > 0) return parts.join(", ");
  const text = description.text.replace(/\s+/g, " ").trim();
  return text.length > 140 ? `${text.slice(0, 139)}…` : text;
}

export function IllustrationFigure({ figure, busy, error, onZoom, onRegenerate, onDelete }: Props) {
  const { t } = useTranslation("reader");
  const [menuOpen, setMenuOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const { description, shown, latest } = figure;
  const alt = t("figure.alt", { what: altText(description) });
  const newer = shown === null || latest.id !== shown.id ? latest : null;

  return (
    <>
      {shown ? (
        <button
          type="button"
          className="illustration-picture"
          title={t("figure.enlarge")}
          onClick={() => onZoom({ src: shown.url ?? shown.thumbnail_url ?? "", alt })}
        >
          <img
            src={shown.thumbnail_url ?? shown.url ?? ""}
            alt={alt}
            width={shown.width ?? undefined}
            height={shown.height ?? undefined}
            decoding="async"
          />
        </button>
      ) : null}
      {newer && isPending(newer) ? (
        <p className="illustration-status" role="status">
          <span className="spinner" aria-hidden="true" />
          {t(
            shown
              ? "figure.redrawing"
              : newer.state === "running"
                ? "figure.drawing"
                : "figure.queued",
          )}
        </p>
      ) : null}
      {newer?.state === "failed" ? (
        <div className="illustration-status illustration-failed" role="alert">
          <p>
            {t("figure.failed", {
              reason: newer.error?.message ?? t("figure.unknownReason"),
            })}
          </p>
          <button type="button" disabled={busy} onClick={() => onRegenerate(newer)}>
            {t("figure.retry")}
          </button>
          {shown === null ? (
            <button type="button" disabled={busy} onClick={onDelete}>
              {t("figure.dismiss")}
            </button>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p className="illustration-status error-text" role="alert">
          {error}
        </p>
      ) : null}
      <figcaption>
        <span className="illustration-caption">{description.text}</span>
      </figcaption>
      {shown ? (
        <div className="illustration-menu">
          <button
            type="button"
            className="icon-button"
            aria-expanded={menuOpen}
            aria-label={t("figure.menu")}
            onClick={() => setMenuOpen((open) => !open)}
          >
            <span aria-hidden="true">⋯</span>
          </button>
          {menuOpen ? (
            <div className="illustration-menu-items" role="group" aria-label={t("figure.menu")}>
              <button
                type="button"
                disabled={busy || (newer !== null && isPending(newer))}
                onClick={() => {
                  setMenuOpen(false);
                  onRegenerate(shown);
                }}
              >
                {t("figure.regenerate")}
              </button>
              <button
                type="button"
                disabled={busy}
                onClick={() => {
                  setMenuOpen(false);
                  setConfirming(true);
                }}
              >
                {t("figure.delete")}
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={t("figure.deleteTitle")}
        body={t("figure.deleteBody")}
        confirmLabel={t("figure.delete")}
        busy={busy}
        onConfirm={() => {
          setConfirming(false);
          onDelete();
        }}
        onCancel={() => setConfirming(false)}
      />
    </>
  );
}
