import { describe, expect, it } from "vitest";
import { snippetPieces, snippetText } from "./snippet";

describe("search snippets", () => {
  it("keeps the marked words and the text between them", () => {
    expect(snippetPieces("…из <mark>окна</mark> тянуло &amp; <mark>окном</mark>")).toEqual([
      { text: "…из ", marked: false },
      { text: "окна", marked: true },
      { text: " тянуло & ", marked: false },
      { text: "окном", marked: true },
    ]);
  });

  it("never turns the book's text into markup", () => {
    const pieces = snippetPieces('&lt;img src=x onerror=alert(1)&gt; <img src=x onerror="1">ok');
    expect(pieces).toEqual([{ text: "<img src=x onerror=alert(1)> ok", marked: false }]);
    expect(snippetText("<script>alert(1)</script><mark>окно</mark>")).toBe("alert(1)окно");
  });
});
