/**
 * The signed-in session: the access token lives in this module's memory only (never in
 * storage), and is renewed through the httpOnly refresh cookie on load and after a 401.
 */

import type { User } from "./types";

export type SessionUser = User;

export type SessionState =
  | { status: "unknown" } // before the first refresh attempt has answered
  | { status: "signed-out" }
  // `offline`: the API cannot be reached and the profile comes from this device (no token);
  // books kept for offline reading can be read until the network is back.
  | { status: "signed-in"; user: SessionUser; offline?: boolean };

type SignedInBody = { access_token: string; user: SessionUser };

let accessToken: string | null = null;
let state: SessionState = { status: "unknown" };
let pendingRefresh: Promise<boolean> | null = null;
const listeners = new Set<() => void>();
let apiBase = "/api";
let baseFetch: typeof fetch = (...args) => globalThis.fetch(...args);
let offlineUser: () => Promise<SessionUser | null> = async () => null;

function publish(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

/**
 * Tests and the client point the session at a base URL and a fetch implementation;
 * `offlineUser` is the profile to go on with when the API cannot be reached (offline reading).
 */
export function configureSession(options: {
  baseUrl?: string;
  fetch?: typeof fetch;
  offlineUser?: () => Promise<SessionUser | null>;
}): void {
  if (options.baseUrl !== undefined) apiBase = options.baseUrl;
  if (options.fetch !== undefined) baseFetch = options.fetch;
  if (options.offlineUser !== undefined) offlineUser = options.offlineUser;
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
      // 200 `null`: no session to renew (a signed-out visitor, an ended session) — ordinary,
      // so the API does not answer it with a 401 the browser would log as an error.
      const body = response.ok ? ((await response.json()) as SignedInBody | null) : null;
      if (!body) {
        signedOut();
        return false;
      }
      signedIn(body);
      return true;
    } catch {
      // No answer at all (offline, or the server is down): not a verdict on the session.
      const user = await offlineUser().catch(() => null);
      if (user) {
        accessToken = null;
        publish({ status: "signed-in", user, offline: true });
      } else signedOut();
      return false;
    } finally {
      pendingRefresh = null;
    }
  })();
  return pendingRefresh;
}
