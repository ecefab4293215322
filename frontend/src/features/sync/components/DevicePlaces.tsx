/** "Where was I on each device": the last place of each device the reader saved from. */
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { ReadingPosition } from "@/lib/api";
import { placeParts } from "../placeText";
import "../sync.css";

type Props = {
  devices: ReadingPosition["devices"];
  /** The reader's address at a place of the book. */
  pathTo: (place: { chapter: number; offset: number }) => string;
};

export function DevicePlaces({ devices, pathTo }: Props) {
  const { t, i18n } = useTranslation("sync");
  const headingId = useId();
  if (devices.length === 0) return null;
  const now = new Date();
  return (
    <section className="device-places" aria-labelledby={headingId}>
      <h2 id={headingId}>{t("devices.title")}</h2>
      <ul>
        {devices.map((place) => {
          const parts = placeParts(place, t, i18n.language, now);
          const where =
            parts.percent === null
              ? t("devices.chapter", parts)
              : t("devices.chapterPercent", parts);
          return (
            <li key={place.device_id}>
              {/* A line may break between these phrases, never inside one ("4 minutes / ago"). */}
              <span className="device-places-name">{parts.device}</span>{" "}
              <span className="device-places-phrase">{where}</span>{" "}
              <time className="device-places-phrase muted small" dateTime={place.updated_at}>
                {parts.time}
              </time>{" "}
              <Link
                className="device-places-phrase"
                to={pathTo(place)}
                aria-label={t("devices.openLabel", { device: parts.device, where })}
              >
                {t("devices.open")}
              </Link>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
