import { describe, expect, it } from "vitest";
import { paragraphElements } from "../position/paragraphText";
import { spanOfRange } from "./selection";

function chapter(html: string) {
  const root = document.createElement("div");
  root.innerHTML = html;
  document.body.append(root);
  return { root, elements: paragraphElements(root) };
}

describe("spanOfRange", () => {
  const text = "First line here.\n\nSecond, with a note.";
  const paragraphs = [
    [0, 16],
    [18, 38],
  ] as const;

  it("maps a selection inside a paragraph to chapter offsets and the exact quote", () => {
    const { root, elements } = chapter(
      '<p data-p="0">First line here.</p><p data-p="1">Second, <em>with</em> a note.</p>',
    );
    const second = root.querySelector('[data-p="1"]')!;
    const range = document.createRange();
    range.setStart(second.firstChild!, 3); // "ond, "
    range.setEnd(second.querySelector("em")!.firstChild!, 4);
    expect(spanOfRange(range, elements, paragraphs, text)).toEqual({
      start: 21,
      end: 30,
      quote: "ond, with",
    });
  });

  it("skips note markers the text does not have, and spans paragraphs", () => {
    const { root, elements } = chapter(
      '<p data-p="0">First line<a data-note="n1">3</a> here.</p><p data-p="1">Second, with a note.</p>',
    );
    const range = document.createRange();
    range.setStart(root.querySelector('[data-p="0"]')!.lastChild!, 1); // "here."
    range.setEnd(root.querySelector('[data-p="1"]')!.firstChild!, 6);
    const span = spanOfRange(range, elements, paragraphs, text)!;
    expect(span.quote).toBe("here.\n\nSecond");
    expect(text.slice(span.start, span.end)).toBe(span.quote);
  });

  it("trims whitespace and snaps boundaries outside paragraphs to their edges", () => {
    const { root, elements } = chapter(
      '<p data-p="0">First line here.</p><hr><p data-p="1">Second, with a note.</p>',
    );
    const range = document.createRange();
    range.setStartBefore(root.querySelector("hr")!);
    range.setEnd(root.querySelector('[data-p="1"]')!.firstChild!, 7);
    expect(spanOfRange(range, elements, paragraphs, text)?.quote).toBe("Second,");
    const empty = document.createRange();
    empty.selectNode(root.querySelector("hr")!);
    expect(spanOfRange(empty, elements, paragraphs, text)).toBeNull();
  });
});

describe("filenameOf", () => {
  it("prefers the UTF-8 name of a Content-Disposition header", async () => {
    const { filenameOf } = await import("./api");
    expect(
      filenameOf(
        "attachment; filename=\"annotations.md\"; filename*=UTF-8''%D0%9A%D0%B0%D1%88%D1%82%D0%B0%D0%BD%D0%BA%D0%B0.md",
      ),
    ).toBe("Каштанка.md");
    expect(filenameOf('attachment; filename="The Keeper.csv"')).toBe("The Keeper.csv");
    expect(filenameOf(null)).toBeNull();
  });
});
