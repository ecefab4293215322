/** Which of the book's pictures show a cast member, without spoiling what lies ahead. */
import type { Illustration } from "@/features/gallery";
import type { CastMember } from "./api/cast";

export type CastPicture = { image: Illustration; chapter: number; start: number };

function words(text: string): string {
  return ` ${text.toLocaleLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ")} `;
}

/**
 * The ready pictures whose passage names the member (by name or alias, as whole words), only in
 * chapters up to `reachedChapter`, one per passage, in reading order.
 */
export function picturesOf(
  member: Pick<CastMember, "name" | "aliases">,
  images: readonly Illustration[],
  reachedChapter: number | null,
): CastPicture[] {
  if (reachedChapter === null) return [];
  const names = [member.name, ...member.aliases]
    .map((name) => words(name).trim())
    .filter((name) => name.length > 1);
  const seen = new Set<string>();
  const found: CastPicture[] = [];
  for (const image of images) {
    const passage = image.passage;
    if (!passage || image.state !== "ready" || !image.thumbnail_url) continue;
    if (passage.chapter > reachedChapter || seen.has(image.description_id)) continue;
    const text = words(passage.text);
    if (!names.some((name) => text.includes(` ${name} `))) continue;
    seen.add(image.description_id);
    found.push({ image, chapter: passage.chapter, start: passage.start });
  }
  return found.sort((a, b) => a.chapter - b.chapter || a.start - b.start);
}
