/**
 * This device as position sync knows it: an id made once and kept in the browser, and a readable
 * name from the browser and system ("Chromium on Linux"), both sent with every saved position.
 */
const DEVICE_KEY = "bookreader.device";

function randomId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

let memory: string | null = null;

/** The device's id: made on first use and kept in local storage (in memory when that fails). */
export function deviceId(): string {
  try {
    const kept = localStorage.getItem(DEVICE_KEY);
    if (kept && /^[A-Za-z0-9._:-]{1,64}$/.test(kept)) return kept;
    const made = memory ?? randomId();
    localStorage.setItem(DEVICE_KEY, made);
    return made;
  } catch {
    memory ??= randomId();
    return memory;
  }
}

export type DeviceParts = { browser: string | null; system: string | null };

type Brands = { brands?: { brand: string }[]; platform?: string };

// Checked in order: several browsers also name the ones they are built on.
const BROWSERS: [RegExp, string][] = [
  [/YaBrowser\//, "Yandex Browser"],
  [/Edg(e|A|iOS)?\//, "Edge"],
  [/OPR\/|Opera/, "Opera"],
  [/SamsungBrowser\//, "Samsung Internet"],
  [/Firefox\/|FxiOS\//, "Firefox"],
  [/Chromium\//, "Chromium"],
  [/Chrome\/|CriOS\//, "Chrome"],
  [/Version\/[\d.]+.*Safari\//, "Safari"],
];
const SYSTEMS: [RegExp, string][] = [
  [/iPhone/, "iPhone"],
  [/iPad/, "iPad"],
  [/Android/, "Android"],
  [/CrOS/, "ChromeOS"],
  [/Windows/, "Windows"],
  [/Macintosh|Mac OS X/, "macOS"],
  [/Linux|X11/, "Linux"],
];
const BRANDS: [string, string][] = [
  ["Microsoft Edge", "Edge"],
  ["Opera", "Opera"],
  ["YaBrowser", "Yandex Browser"],
  ["Google Chrome", "Chrome"],
  ["Chromium", "Chromium"],
];

/** The browser and system a user agent names (client hints first: they tell Chromium apart). */
export function deviceParts(userAgent: string, hints?: Brands | null): DeviceParts {
  const brands = hints?.brands?.map((item) => item.brand) ?? [];
  const branded = BRANDS.find(([brand]) => brands.includes(brand))?.[1];
  const browser = branded ?? BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null;
  const platform = hints?.platform === "Chrome OS" ? "ChromeOS" : hints?.platform || null;
  const system = platform ?? SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null;
  return { browser, system };
}

/** This browser's parts, from the navigator. */
export function thisDevice(): DeviceParts {
  const hints = (navigator as Navigator & { userAgentData?: Brands }).userAgentData;
  return deviceParts(navigator.userAgent, hints);
}
