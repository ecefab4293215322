import { describe, expect, it } from "vitest";
import type { BookSummary } from "@/lib/api";
import { matchesSearch, searchPage } from "./bookSearch";

const book = (title: string, ...authors: string[]) =>
  ({ id: title, title, authors }) as BookSummary;

describe("searching the library by title or author", () => {
  it("finds a book by any part of its title or an author, whatever the case", () => {
    const anna = book("Анна Каренина", "Лев Толстой");
    expect(matchesSearch(anna, "каренина")).toBe(true);
    expect(matchesSearch(anna, "ТОЛСТОЙ")).toBe(true);
    expect(matchesSearch(anna, "толстой анна")).toBe(true); // every word, anywhere
    expect(matchesSearch(anna, "Достоевский")).toBe(false);
  });

  it("lets е match ё and e match é", () => {
    expect(matchesSearch(book("Ёлка"), "елка")).toBe(true);
    expect(matchesSearch(book("Les Misérables", "Victor Hugo"), "miserables")).toBe(true);
  });

  it("pages the matches as the API pages books", () => {
    const books = Array.from({ length: 30 }, (_, i) => book(`Alice ${i}`));
    books.push(book("Bob"));
    const second = searchPage(books, "alice", 2, 24);
    expect(second.total).toBe(30);
    expect(second.items.map((item) => item.title)).toEqual([
      "Alice 24",
      "Alice 25",
      "Alice 26",
      "Alice 27",
      "Alice 28",
      "Alice 29",
    ]);
  });
});
