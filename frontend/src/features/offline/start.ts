/**
 * What the app's entry needs for offline reading, kept tiny: the rest is loaded after the first
 * paint (or, offline, when the session needs the saved profile).
 */
import type { SessionUser } from "@/lib/api";
import { registerServiceWorker } from "./registerServiceWorker";

/** The profile to open the app with when the API cannot be reached. */
export function offlineUser(): Promise<SessionUser | null> {
  return import("./session").then((module) => module.savedUser());
}

export function startOfflineSupport(): void {
  if (import.meta.env.PROD) registerServiceWorker();
  const start = () => void import("./session").then((module) => module.startOfflineSession());
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start, { once: true });
}
