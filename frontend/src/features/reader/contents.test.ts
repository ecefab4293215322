import { contentsOf, currentEntryKey, entryKey } from "./contents";

const untitled = (index: number) => `Chapter ${index + 1}`;

describe("contentsOf", () => {
  it("uses the book's nested TOC when it has one", () => {
    const entries = contentsOf(
      {
        toc: [{ title: "Часть первая", chapter: 0, children: [{ title: "I", chapter: 1, offset: 40 }] }],
        chapters: [],
      },
      untitled,
    );
    expect(entries[0]?.children[0]).toEqual({ title: "I", chapter: 1, offset: 40, children: [] });
  });

  it("nests chapters by level when there is no TOC, naming untitled ones", () => {
    const entries = contentsOf(
      {
        toc: null,
        chapters: [
          { index: 0, title: "Part One", level: 0 },
          { index: 1, title: "", level: 1 },
          { index: 2, title: "Two", level: 1 },
          { index: 3, title: "Part Two", level: 0 },
        ],
      },
      untitled,
    );
    expect(entries.map((entry) => entry.title)).toEqual(["Part One", "Part Two"]);
    expect(entries[0]?.children.map((entry) => entry.title)).toEqual(["Chapter 2", "Two"]);
  });
});

describe("currentEntryKey", () => {
  const entries = contentsOf(
    {
      toc: [
        { title: "A", chapter: 0, children: [{ title: "A.1", chapter: 0, offset: 500 }] },
        { title: "B", chapter: 1 },
      ],
      chapters: [],
    },
    untitled,
  );

  it("marks the last entry at or before the place, nested entries included", () => {
    expect(currentEntryKey(entries, { chapter: 0, offset: 10 })).toBe(entryKey(entries[0]!));
    expect(currentEntryKey(entries, { chapter: 0, offset: 800 })).toBe(entryKey(entries[0]!.children[0]!));
    expect(currentEntryKey(entries, { chapter: 1, offset: 0 })).toBe(entryKey(entries[1]!));
  });
});
