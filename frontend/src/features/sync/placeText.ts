/** How a saved place reads to a person: the chapter, how far through the book, who, when. */
import type { TFunction } from "i18next";
import { deviceId } from "./device";
import { relativeTime } from "./relativeTime";

export type PlaceFacts = {
  chapter: number;
  percentage?: number | null;
  device_id: string;
  device_name?: string | null;
  updated_at: string;
};

// The server names a KOReader device "KOReader on <model>" (its id "koreader:…"), in no
// language: said again here in the interface's.
const KOREADER = /^KOReader on (.+)$/;

/** "Chrome on Android", "KOReader on Kobo_io", "this device", or "another device" for one that
 * gave no name. */
export function deviceLabel(place: PlaceFacts, t: TFunction): string {
  if (place.device_id !== "" && place.device_id === deviceId()) return t("sync:device.this");
  const koreader =
    place.device_id.startsWith("koreader:") && KOREADER.exec(place.device_name ?? "");
  if (koreader) return t("sync:device.koreader", { model: koreader[1] });
  return place.device_name || t("sync:device.unnamed");
}

/** The parts a sentence about the place is made of, in the interface's language. */
export function placeParts(place: PlaceFacts, t: TFunction, language: string, now: Date) {
  const percent =
    place.percentage === null || place.percentage === undefined
      ? null
      : new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 0 }).format(
          place.percentage / 100,
        );
  return {
    chapter: place.chapter + 1,
    percent,
    device: deviceLabel(place, t),
    time: relativeTime(new Date(place.updated_at), now, language),
  };
}
