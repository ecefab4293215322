/** The one API client: openapi-fetch typed by the generated schema, with the session's token. */
import createClient from "openapi-fetch";
import { ApiError, apiErrorFrom, NETWORK_ERROR } from "./errors";
import type { paths } from "./schema";
import { getAccessToken, refreshSession } from "./session";

export const API_BASE = "/api";

/** The API's absolute base URL on this page's origin (a Request needs an absolute URL). */
export function apiBaseUrl(): string {
  return new URL(API_BASE, globalThis.location?.href ?? "http://localhost/").href;
}

// Routes that answer 401 for their own reasons (a wrong password), never retried after a refresh.
const NO_REFRESH = /\/auth\/(login|register|refresh|logout)$/;

async function send(request: Request, fetchImpl: typeof fetch): Promise<Response> {
  const token = getAccessToken();
  if (token !== null) request.headers.set("Authorization", `Bearer ${token}`);
  try {
    return await fetchImpl(request);
  } catch {
    throw new ApiError(0, NETWORK_ERROR, "The server cannot be reached.");
  }
}

/**
 * A fetch that adds the access token and, when the API answers 401, refreshes the session once
 * and repeats the request; if the refresh fails the session ends (the app shows sign-in).
 */
export function createAuthFetch(fetchImpl: typeof fetch = (...a) => globalThis.fetch(...a)) {
  return async function authFetch(request: Request): Promise<Response> {
    const retry = NO_REFRESH.test(new URL(request.url).pathname) ? null : request.clone();
    const response = await send(request, fetchImpl);
    if (response.status !== 401 || retry === null) return response;
    if (!(await refreshSession())) return response;
    return send(retry, fetchImpl);
  };
}

export function createApiClient(baseUrl: string = apiBaseUrl(), fetchImpl?: typeof fetch) {
  return createClient<paths>({
    baseUrl,
    credentials: "same-origin",
    fetch: createAuthFetch(fetchImpl),
  });
}

export const api = createApiClient();

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The data of a successful answer, or the API's error thrown as an ApiError. */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) throw apiErrorFrom(response, error);
  return data as T;
}
