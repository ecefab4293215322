export { api, API_BASE, apiBaseUrl, createApiClient, createAuthFetch, unwrap } from "./client";
export { ApiError, apiErrorFrom, NETWORK_ERROR } from "./errors";
export * from "./session";
export type * from "./types";
export { useSession } from "./useSession";
