import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "@/lib/api";

/** Client errors (4xx) are answers, not accidents: retrying them would only repeat them. */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      // offlineFirst: without a network, queries still ask once, and the service worker answers
      // from the books kept for offline reading (the default would pause them until online).
      queries: {
        retry: shouldRetry,
        staleTime: 15_000,
        refetchOnWindowFocus: false,
        networkMode: "offlineFirst",
      },
      mutations: { retry: false, networkMode: "offlineFirst" },
    },
  });
}
