import { describe, expect, it } from "vitest";
import type { Illustration } from "./api/gallery";
import { galleryGroups, shortPassage } from "./galleryGroups";

let next = 0;
function image(
  description: string,
  chapter: number,
  start: number,
  overrides: Partial<Illustration> = {},
): Illustration {
  next += 1;
  return {
    id: `img-${next}`,
    book_id: "book",
    description_id: description,
    state: "ready",
    style: "watercolour",
    provider: "sketch",
    made_by: "sketch",
    generation: 0,
    prompt: null,
    negative_prompt: null,
    seed: 1,
    width: 768,
    height: 1024,
    bytes: 1000,
    url: "https://store/full.webp",
    thumbnail_url: "https://store/thumb.webp",
    error: null,
    created_at: `2026-12-05T10:00:${String(next).padStart(2, "0")}Z`,
    passage: { chapter, start, end: start + 10, text: `passage ${description}` },
    ...overrides,
  };
}

describe("galleryGroups", () => {
  it("orders chapters and passages by where they are in the book", () => {
    const sections = galleryGroups([
      image("c", 3, 50),
      image("a", 1, 900),
      image("b", 1, 20),
      image("d", 3, 10),
    ]);
    expect(sections.map((s) => s.chapter)).toEqual([1, 3]);
    expect(sections[0]!.tiles.map((t) => t.image.description_id)).toEqual(["b", "a"]);
    expect(sections[1]!.tiles.map((t) => [t.image.description_id, t.start])).toEqual([
      ["d", 10],
      ["c", 50],
    ]);
  });

  it("shows a passage once: its newest ready picture wins over older and unfinished ones", () => {
    const old = image("a", 0, 5, { generation: 0 });
    const newer = image("a", 0, 5, { generation: 1 });
    const drawing = image("a", 0, 5, { generation: 2, state: "running", thumbnail_url: null });
    const [section] = galleryGroups([drawing, newer, old]);
    expect(section!.tiles).toHaveLength(1);
    expect(section!.tiles[0]!.image.id).toBe(newer.id);
  });

  it("keeps a passage that is still being drawn, and leaves out one that only failed", () => {
    const sections = galleryGroups([
      image("queued", 2, 1, { state: "queued", thumbnail_url: null }),
      image("broken", 2, 9, { state: "failed", thumbnail_url: null }),
    ]);
    expect(sections).toHaveLength(1);
    expect(sections[0]!.tiles.map((t) => t.image.description_id)).toEqual(["queued"]);
  });

  it("ignores pictures without a known passage", () => {
    expect(galleryGroups([image("x", 0, 0, { passage: null })])).toEqual([]);
  });
});

describe("shortPassage", () => {
  it("keeps a short passage whole, with its spacing tidied", () => {
    expect(shortPassage("  The  sea\nwas calm. ")).toBe("The sea was calm.");
  });

  it("cuts a long one at a word and marks the cut", () => {
    const text = "Snow fell over the steppe, and the wind rose, howling through the dark";
    const cut = shortPassage(text, 40);
    expect(cut.endsWith("…")).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(41);
    expect(text.startsWith(cut.slice(0, -1))).toBe(true);
    expect(cut).toBe("Snow fell over the steppe, and the wind…");
  });
});
