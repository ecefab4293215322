import { chapterTitle, contentsOf, currentEntryKey, entryKey } from "./contents";

const untitled = (index: number) => `Chapter ${index + 1}`;
const chapter = (index: number, title: string, level: number) => ({
  index,
  title,
  level,
  linear: true,
  direction: "ltr" as const,
  word_count: 100,
});

describe("contentsOf", () => {
  it("uses the book's nested TOC when it has one", () => {
    const entries = contentsOf(
      {
        toc: [
          {
            title: "Часть первая",
            chapter: 0,
            offset: 0,
            children: [{ title: "I", chapter: 1, offset: 40, children: [] }],
          },
        ],
        chapters: [],
      },
      untitled,
    );
    expect(entries[0]?.children[0]).toEqual({ title: "I", chapter: 1, offset: 40, children: [] });
  });

  it("nests chapters by level when there is no TOC, naming untitled ones", () => {
    const entries = contentsOf(
      {
        toc: [],
        chapters: [
          chapter(0, "Part One", 0),
          chapter(1, "", 1),
          chapter(2, "Two", 1),
          chapter(3, "Part Two", 0),
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
        {
          title: "A",
          chapter: 0,
          offset: 0,
          children: [{ title: "A.1", chapter: 0, offset: 500, children: [] }],
        },
        { title: "B", chapter: 1, offset: 0, children: [] },
      ],
      chapters: [],
    },
    untitled,
  );

  it("marks the last entry at or before the place, nested entries included", () => {
    expect(currentEntryKey(entries, { chapter: 0, offset: 10 })).toBe(entryKey(entries[0]!));
    expect(currentEntryKey(entries, { chapter: 0, offset: 800 })).toBe(
      entryKey(entries[0]!.children[0]!),
    );
    expect(currentEntryKey(entries, { chapter: 1, offset: 0 })).toBe(entryKey(entries[1]!));
  });
});

describe("chapterTitle", () => {
  // Anna Karenina: every part has its chapter "XIX"; a cast page said "up to chapter «XIX»".
  const book = {
    toc: [
      {
        title: "Часть первая",
        chapter: 0,
        offset: 0,
        children: [{ title: "XIX", chapter: 1, offset: 0, children: [] }],
      },
      {
        title: "Часть вторая",
        chapter: 2,
        offset: 0,
        children: [
          { title: "XIX", chapter: 3, offset: 0, children: [] },
          { title: "Эпилог", chapter: 4, offset: 0, children: [] },
        ],
      },
    ],
    chapters: [
      chapter(0, "Часть первая", 0),
      chapter(1, "XIX", 1),
      chapter(2, "Часть вторая", 0),
      chapter(3, "XIX", 1),
      chapter(4, "Эпилог", 1),
      chapter(5, "", 1),
    ],
  };

  it("names the part of a chapter whose title other chapters share", () => {
    expect(chapterTitle(book, 3, untitled)).toBe("Часть вторая, XIX");
    expect(chapterTitle(book, 1, untitled)).toBe("Часть первая, XIX");
  });

  it("keeps a title of its own as it is, and names an untitled chapter by number", () => {
    expect(chapterTitle(book, 4, untitled)).toBe("Эпилог");
    expect(chapterTitle(book, 2, untitled)).toBe("Часть вторая");
    expect(chapterTitle(book, 5, untitled)).toBe("Chapter 6");
  });
});
