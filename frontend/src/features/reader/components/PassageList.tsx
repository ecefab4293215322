/**
 * The chapter's marked passages as a list: the way to a passage's card from the keyboard or a
 * screen reader (a mark drawn by the Highlight API is not an element one can focus).
 */
import { useTranslation } from "react-i18next";
import type { Description } from "../api/passages";
import { ReaderDialog } from "./ReaderDialog";

type Props = {
  open: boolean;
  descriptions: readonly Description[];
  illustrated: ReadonlySet<string>;
  onChoose: (id: string) => void;
  onClose: () => void;
};

const PREVIEW = 120;

export function PassageList({ open, descriptions, illustrated, onChoose, onClose }: Props) {
  const { t } = useTranslation("reader");
  return (
    <ReaderDialog open={open} title={t("passage.list")} variant="drawer-end" onClose={onClose}>
      {descriptions.length === 0 ? (
        <p className="muted passage-none">{t("passage.none")}</p>
      ) : (
        <ol className="passage-list">
          {descriptions.map((item) => {
            const text = item.text.replace(/\s+/g, " ").trim();
            return (
              <li key={item.id}>
                <button type="button" onClick={() => onChoose(item.id)}>
                  <span className={`passage-kind passage-kind-${item.type}`}>
                    {t(`passage.types.${item.type}`)}
                    {illustrated.has(item.id) ? ` · ${t("passage.illustrated")}` : ""}
                  </span>
                  <span>{text.length > PREVIEW ? `${text.slice(0, PREVIEW - 1)}…` : text}</span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
    </ReaderDialog>
  );
}
