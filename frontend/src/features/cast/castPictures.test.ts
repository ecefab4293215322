import { describe, expect, it } from "vitest";
import type { Illustration } from "@/features/gallery";
import { picturesOf } from "./castPictures";

function picture(id: string, chapter: number, start: number, text: string): Illustration {
  return {
    id,
    book_id: "book",
    description_id: `d-${id}`,
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
    url: "u",
    thumbnail_url: "t",
    error: null,
    created_at: "2026-12-05T10:00:00Z",
    passage: { chapter, start, end: start + text.length, text },
  };
}

const savelich = { name: "Савельич", aliases: ["Архип Савельич", "Савельича"] };

describe("picturesOf", () => {
  const images = [
    picture("late", 5, 10, "Савельич стоял у ворот."),
    picture("alias", 1, 400, "За дверью ждал Савельича старый тулуп."),
    picture("first", 1, 20, "Савельич, в сером кафтане, вошёл."),
    picture("other", 1, 50, "Пугачёв сидел у окна."),
    picture("inside", 2, 5, "Савельичев сундук стоял в углу."),
  ];

  it("finds the member by name or alias as whole words, in reading order", () => {
    expect(picturesOf(savelich, images, 3).map((p) => p.image.id)).toEqual(["first", "alias"]);
  });

  it("never shows a picture from beyond the chapter the reader has reached", () => {
    expect(picturesOf(savelich, images, 5).map((p) => p.image.id)).toEqual([
      "first",
      "alias",
      "late",
    ]);
    expect(picturesOf(savelich, images, 0)).toEqual([]);
    expect(picturesOf(savelich, images, null)).toEqual([]);
  });

  it("skips pictures that are not ready", () => {
    const drawing = { ...picture("drawing", 1, 1, "Савельич"), state: "running" as const };
    expect(picturesOf(savelich, [drawing], 9)).toEqual([]);
  });
});
