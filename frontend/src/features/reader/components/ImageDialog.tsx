/** A picture from the book at the size of the screen. */
import { useTranslation } from "react-i18next";
import { ReaderDialog } from "./ReaderDialog";

export type ZoomedImage = { src: string; alt: string };

export function ImageDialog({ image, onClose }: { image: ZoomedImage | null; onClose: () => void }) {
  const { t } = useTranslation("reader");
  return (
    <ReaderDialog
      open={image !== null}
      title={image?.alt || t("imageZoom")}
      hideTitle
      variant="lightbox"
      onClose={onClose}
    >
      {/* A click on the enlarged picture closes it; Escape and Close do too. */}
      {image ? <img className="zoomed-image" src={image.src} alt={image.alt} onClick={onClose} /> : null}
    </ReaderDialog>
  );
}
