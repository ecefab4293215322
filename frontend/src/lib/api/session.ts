/**
 * The signed-in session: the access token lives in this module's memory only (never in
 * storage), and is renewed through the httpOnly refresh cookie on load and after a 401.
 */

import type { User } from "./types";

export type SessionUser = User;

export type SessionState =
  | { status: "unknown" } // before the first refresh attempt has answered
  | { status: "signed-out" }
  | { status: "signed-in"; user: SessionUser };

type SignedInBody = { access_token: string; user: SessionUser };

let accessToken: string | null = null;
let state: SessionState = { status: "unknown" };
let pendingRefresh: Promise<boolean> | null = null;
const listeners = new Set<() => void>();
let apiBase = "/api";
let baseFetch: typeof fetch = (...args) => globalThis.fetch(...args);

function publish(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

/** Tests and the client point the session at a base URL and a fetch implementation. */
export function configureSession(options: { baseUrl?: string; fetch?: typeof fetch }): void {
  if (options.baseUrl !== undefined) apiBase = options.baseUrl;
  if (options.fetch !== undefined) baseFetch = options.fetch;
}

export function getAccessToken(): string | null {
  return accessToken;
}

export function getSession(): SessionState {
  return state;
}

export function subscribeSession(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Remember the answer of register, login or refresh. */
export function signedIn(body: SignedInBody): void {
  accessToken = body.access_token;
  publish({ status: "signed-in", user: body.user });
}

/** The password change hands out a new access token for the same user. */
export function replaceAccessToken(token: string): void {
  accessToken = token;
}

export function updateUser(user: SessionUser): void {
  if (state.status === "signed-in") publish({ status: "signed-in", user });
}

export function signedOut(): void {
  accessToken = null;
  publish({ status: "signed-out" });
}

/**
 * Ask for a new access token with the refresh cookie. Concurrent callers share one request,
 * because the server rotates the cookie and a second use of the old one ends the session.
 */
export function refreshSession(): Promise<boolean> {
  pendingRefresh ??= (async () => {
    try {
      const url = new URL(
        `${apiBase}/auth/refresh`,
        globalThis.location?.href ?? "http://localhost/",
      );
      const response = await baseFetch(url, {
        method: "POST",
        credentials: "same-origin",
      });
      if (!response.ok) {
        signedOut();
        return false;
      }
      signedIn((await response.json()) as SignedInBody);
      return true;
    } catch {
      signedOut();
      return false;
    } finally {
      pendingRefresh = null;
    }
  })();
  return pendingRefresh;
}
