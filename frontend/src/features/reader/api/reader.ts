/**
 * The reader's calls to the API: a chapter and saving preferences (the position is saved by
 * position sync, features/sync).
 */
import { api, type Chapter, type SessionUser, unwrap, updateUser } from "@/lib/api";
import type { ReaderPreferences } from "../preferences/preferences";

export type { Chapter };

export async function getChapter(bookId: string, index: number): Promise<Chapter> {
  const call = api.GET("/books/{book_id}/chapters/{index}", {
    params: { path: { book_id: bookId, index } },
  });
  // openapi-fetch widens the (start, end) tuples to number[]; the shape is the declared one.
  return (await unwrap(call)) as Chapter;
}

export type Place = { chapter: number; offset: number };

export async function savePreferences(changes: Partial<ReaderPreferences>): Promise<void> {
  const user = await unwrap(api.PATCH("/auth/me", { body: { preferences: changes } }));
  updateUser(user);
}

/** The preferences in a profile. */
export function profilePreferences(user: SessionUser | null): unknown {
  return user?.preferences;
}
