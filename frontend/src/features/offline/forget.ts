/** Removes a user's offline data from the device (sign-out, or another user signing in). */
import { releaseOfflineData } from "./core/offlineDb";
import { USER_CACHES } from "./core/names";

export async function forgetCachedBooks(): Promise<void> {
  if ("caches" in globalThis) {
    await Promise.all(USER_CACHES.map((name) => caches.delete(name).catch(() => false)));
  }
}

/** After signing out: no book data stays readable on this device, and the app cannot open offline. */
export async function forgetOfflineData(): Promise<void> {
  await Promise.all([forgetCachedBooks(), releaseOfflineData().catch(() => undefined)]);
}
