/**
 * The reader's calls about passages and their pictures: a chapter's descriptions (every page of
 * them), its illustrations, asking for, polling, redrawing and deleting a picture, and the
 * reader's illustration settings with today's quota.
 */
import { api, unwrap } from "@/lib/api";
import type {
  Description,
  Illustration,
  IllustrationSettings,
  IllustrationSettingsChange,
  ImageQuota,
} from "@/lib/api/types";

export type {
  Description,
  Illustration,
  IllustrationSettings,
  IllustrationSettingsChange,
  ImageQuota,
};
export type DescriptionType = Description["type"];

export const DESCRIPTION_TYPES: readonly DescriptionType[] = [
  "location",
  "character",
  "atmosphere",
  "object",
  "action",
];

// The API's largest page: a long chapter's passages come in one or two requests.
const PAGE_SIZE = 500;

export async function listDescriptions(bookId: string, chapter: number): Promise<Description[]> {
  const items: Description[] = [];
  let cursor: string | undefined;
  do {
    const page = await unwrap(
      api.GET("/books/{book_id}/descriptions", {
        params: { path: { book_id: bookId }, query: { chapter, limit: PAGE_SIZE, cursor } },
      }),
    );
    items.push(...page.items);
    cursor = page.next ?? undefined;
  } while (cursor);
  return items;
}

export async function listIllustrations(bookId: string, chapter: number): Promise<Illustration[]> {
  const list = await unwrap(
    api.GET("/books/{book_id}/illustrations", {
      params: { path: { book_id: bookId }, query: { chapter } },
    }),
  );
  return list.items;
}

export function requestIllustration(descriptionId: string, style: string | null) {
  return unwrap(
    api.POST("/descriptions/{description_id}/illustrations", {
      params: { path: { description_id: descriptionId } },
      body: { style },
    }),
  );
}

export function getIllustration(id: string) {
  return unwrap(
    api.GET("/illustrations/{illustration_id}", { params: { path: { illustration_id: id } } }),
  );
}

export function regenerateIllustration(id: string, style: string | null) {
  return unwrap(
    api.POST("/illustrations/{illustration_id}/regenerate", {
      params: { path: { illustration_id: id } },
      body: { style },
    }),
  );
}

export async function deleteIllustration(id: string): Promise<void> {
  await unwrap(
    api.DELETE("/illustrations/{illustration_id}", { params: { path: { illustration_id: id } } }),
  );
}

export function getIllustrationSettings() {
  return unwrap(api.GET("/settings/illustrations"));
}

export function updateIllustrationSettings(change: IllustrationSettingsChange) {
  return unwrap(api.PATCH("/settings/illustrations", { body: change }));
}
