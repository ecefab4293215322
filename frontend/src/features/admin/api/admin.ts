/** The administrators' API: overview, users, quota overrides, re-running extraction. */
import { api, unwrap, type User } from "@/lib/api";
import type { components } from "@/lib/api/schema";

export type AdminOverview = components["schemas"]["AdminOverview"];
export type ImageQuota = components["schemas"]["ImageQuota"];
export type UserPage = components["schemas"]["UserPage"];

export const PAGE_SIZE = 20;

export const adminKeys = {
  all: ["admin"] as const,
  overview: ["admin", "overview"] as const,
  users: (q: string, page: number) => ["admin", "users", q, page] as const,
  quota: (userId: string) => ["admin", "quota", userId] as const,
};

export function getOverview(): Promise<AdminOverview> {
  return unwrap(api.GET("/admin/overview"));
}

export function listUsers(q: string, page: number): Promise<UserPage> {
  return unwrap(
    api.GET("/admin/users", {
      params: { query: { q: q || undefined, page, page_size: PAGE_SIZE } },
    }),
  );
}

export function updateUser(
  userId: string,
  changes: { role?: User["role"]; disabled?: boolean },
): Promise<User> {
  return unwrap(
    api.PATCH("/admin/users/{user_id}", { params: { path: { user_id: userId } }, body: changes }),
  );
}

export function getQuota(userId: string): Promise<ImageQuota> {
  return unwrap(
    api.GET("/admin/users/{user_id}/image-quota", { params: { path: { user_id: userId } } }),
  );
}

export function setQuota(userId: string, dailyLimit: number | null): Promise<ImageQuota> {
  return unwrap(
    api.PUT("/admin/users/{user_id}/image-quota", {
      params: { path: { user_id: userId } },
      body: { daily_limit: dailyLimit },
    }),
  );
}

export function rerunExtraction(bookId: string) {
  return unwrap(
    api.POST("/admin/books/{book_id}/extract", { params: { path: { book_id: bookId } } }),
  );
}
