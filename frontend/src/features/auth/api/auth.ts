import { api, signedIn, signedOut, unwrap } from "@/lib/api";
import type { Language } from "@/lib/i18n";

export type Credentials = { email: string; password: string };

export async function signIn(credentials: Credentials): Promise<void> {
  signedIn(await unwrap(api.POST("/auth/login", { body: credentials })));
}

export async function register(
  credentials: Credentials & { display_name?: string; locale: Language },
): Promise<void> {
  signedIn(await unwrap(api.POST("/auth/register", { body: credentials })));
}

/** End the session on the server (cookie and token), and forget it here whatever happens. */
export async function signOut(): Promise<void> {
  try {
    await api.POST("/auth/logout");
  } catch {
    // Offline: the token is forgotten below; the cookie expires on its own.
  } finally {
    signedOut();
  }
}
