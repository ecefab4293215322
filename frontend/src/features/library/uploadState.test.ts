import { describe, expect, it } from "vitest";
import {
  existingBookId,
  isSettled,
  type UploadAction,
  type UploadItem,
  uploadFraction,
  uploadReducer,
} from "./uploadState";

function run(actions: UploadAction[], start: UploadItem[] = []): UploadItem[] {
  return actions.reduce(uploadReducer, start);
}

const added: UploadAction = {
  type: "added",
  items: [
    { id: "a", name: "anna.fb2", size: 1000 },
    { id: "b", name: "war.epub", size: 4000 },
  ],
};

const noError = null;

describe("an upload's progress", () => {
  it("goes from checking through bytes sent to processing and ready", () => {
    let items = run([
      added,
      { type: "starting", id: "a" },
      { type: "started", id: "a", bookId: "book-a" },
    ]);
    expect(items[0]).toMatchObject({ phase: "uploading", bookId: "book-a", loaded: 0 });
    expect(items[1]?.phase).toBe("checking");

    items = run([{ type: "progress", id: "a", loaded: 400 }], items);
    expect(uploadFraction(items[0]!)).toBeCloseTo(0.4);

    items = run([{ type: "sent", id: "a", bookId: "book-a" }], items);
    expect(items[0]).toMatchObject({ phase: "processing", loaded: 1000 });

    items = run(
      [
        {
          type: "bookChanged",
          bookId: "book-a",
          book: { state: "extracting", progress: 0.5, error: noError },
        },
      ],
      items,
    );
    expect(items[0]).toMatchObject({
      phase: "processing",
      book: { state: "extracting", progress: 0.5 },
    });

    items = run(
      [
        {
          type: "bookChanged",
          bookId: "book-a",
          book: { state: "ready", progress: 1, error: noError },
        },
      ],
      items,
    );
    expect(items[0]?.phase).toBe("ready");
    expect(isSettled(items[0]!)).toBe(true);
    expect(items[1]?.phase).toBe("checking"); // the other file is untouched
  });

  it("never moves the bar backwards or past the file's size", () => {
    const items = run([
      added,
      { type: "started", id: "b", bookId: "book-b" },
      { type: "progress", id: "b", loaded: 3000 },
      { type: "progress", id: "b", loaded: 1000 },
      { type: "progress", id: "b", loaded: 9000 },
    ]);
    expect(items[1]?.loaded).toBe(4000);
  });

  it("keeps the error's code, so the screen can say what went wrong", () => {
    const error = { code: "archive_ratio", message: "bomb", details: {} };
    const items = run([
      added,
      { type: "started", id: "a", bookId: "book-a" },
      { type: "sent", id: "a", bookId: "book-a" },
      { type: "bookChanged", bookId: "book-a", book: { state: "failed", progress: 0, error } },
    ]);
    expect(items[0]).toMatchObject({ phase: "failed", error });
  });

  it("turns a duplicate found while parsing into a link to the book already there", () => {
    const error = {
      code: "duplicate",
      message: "You already have this book.",
      details: { book_id: "old-book" },
    };
    const items = run([
      added,
      { type: "started", id: "a", bookId: "book-a" },
      { type: "sent", id: "a", bookId: "book-a" },
      { type: "bookChanged", bookId: "book-a", book: { state: "failed", progress: 0, error } },
    ]);
    expect(items[0]?.phase).toBe("duplicate");
    expect(existingBookId(items[0]!)).toBe("old-book");
  });

  it("knows a duplicate the server recognised by its hash before any byte was sent", () => {
    const items = run([added, { type: "duplicate", id: "b", bookId: "old-book" }]);
    expect(items[1]).toMatchObject({ phase: "duplicate", loaded: 0 });
    expect(existingBookId(items[1]!)).toBe("old-book");
  });

  it("ignores news about a book while its file is still uploading, and can be dismissed", () => {
    let items = run([added, { type: "started", id: "a", bookId: "book-a" }]);
    items = run(
      [
        {
          type: "bookChanged",
          bookId: "book-a",
          book: { state: "uploading", progress: 0, error: noError },
        },
      ],
      items,
    );
    expect(items[0]?.phase).toBe("uploading");
    items = run([{ type: "dismissed", id: "a" }], items);
    expect(items.map((item) => item.id)).toEqual(["b"]);
  });
});
