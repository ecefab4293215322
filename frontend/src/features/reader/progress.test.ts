import { readingProgress, WORDS_PER_MINUTE } from "./progress";

const chapters = [
  { index: 0, word_count: 1000 },
  { index: 1, word_count: 2000 },
  { index: 2, word_count: 1000 },
];

describe("readingProgress", () => {
  it("counts the words of the chapters behind and the share of this one", () => {
    const progress = readingProgress(chapters, { chapter: 1, offset: 500 }, 1000);
    expect(progress.chapterFraction).toBe(0.5);
    expect(progress.bookFraction).toBe((1000 + 1000) / 4000);
  });

  it("tells the minutes left in the chapter at the reading speed", () => {
    const progress = readingProgress(chapters, { chapter: 1, offset: 0 }, 1000);
    expect(progress.minutesLeft).toBe(Math.ceil(2000 / WORDS_PER_MINUTE));
    expect(readingProgress(chapters, { chapter: 1, offset: 1000 }, 1000).minutesLeft).toBe(0);
  });

  it("falls back to chapter counts when the book has no word counts", () => {
    const bare = [{ index: 0 }, { index: 1 }];
    expect(readingProgress(bare, { chapter: 1, offset: 0 }, 100).bookFraction).toBe(0.5);
  });
});
