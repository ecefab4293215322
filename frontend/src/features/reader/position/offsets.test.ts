import {
  chapterLength,
  firstReached,
  offsetInText,
  paragraphAtOffset,
  paragraphElements,
  pointInText,
} from "./offsets";

// "Один.\n\nДва три.\n\nЧетыре" — three paragraphs joined by blank lines.
const spans: [number, number][] = [
  [0, 5],
  [7, 15],
  [17, 23],
];

describe("paragraphAtOffset", () => {
  it("finds the paragraph holding an offset", () => {
    expect(paragraphAtOffset(spans, 0)).toBe(0);
    expect(paragraphAtOffset(spans, 4)).toBe(0);
    expect(paragraphAtOffset(spans, 7)).toBe(1);
    expect(paragraphAtOffset(spans, 10)).toBe(1);
    expect(paragraphAtOffset(spans, 22)).toBe(2);
  });

  it("gives the previous paragraph for an offset between paragraphs", () => {
    expect(paragraphAtOffset(spans, 6)).toBe(0);
  });

  it("clamps offsets past the ends", () => {
    expect(paragraphAtOffset(spans, 500)).toBe(2);
    expect(paragraphAtOffset([], 3)).toBe(0);
    expect(chapterLength(spans)).toBe(23);
    expect(chapterLength([])).toBe(0);
  });
});

describe("firstReached", () => {
  it("finds the first index of a monotone test", () => {
    expect(firstReached(10, (i) => i >= 4)).toBe(4);
    expect(firstReached(10, () => true)).toBe(0);
    expect(firstReached(10, () => false)).toBe(10);
    expect(firstReached(0, () => true)).toBe(0);
  });
});

describe("paragraph DOM ↔ text offsets", () => {
  function chapter(html: string): HTMLElement {
    const element = document.createElement("div");
    element.innerHTML = html;
    return element;
  }

  it("indexes paragraph elements by data-p, skipping unnumbered ones", () => {
    const root = chapter(
      '<h2 data-p="0">Глава</h2><p data-p="1">Текст</p><p data-p="">пусто</p><blockquote><p data-p="2">Цитата</p></blockquote>',
    );
    const elements = paragraphElements(root);
    expect([...elements.keys()]).toEqual([0, 1, 2]);
    expect(elements.get(2)?.textContent).toBe("Цитата");
  });

  it("walks into nested inline elements to find a character", () => {
    const root = chapter('<p data-p="0">Мой <em>дядя <strong>самых</strong></em> честных</p>');
    const paragraph = root.firstElementChild!;
    const point = pointInText(paragraph, 10); // "Мой дядя с|амых"
    expect(point?.node.data).toBe("самых");
    expect(point?.offset).toBe(1);
    expect(offsetInText(paragraph, point!)).toBe(10);
  });

  it("clamps a point past the end of the text to its last character", () => {
    const root = chapter('<p data-p="0">ab<i>cd</i></p>');
    const point = pointInText(root.firstElementChild!, 99);
    expect(point?.node.data).toBe("cd");
    expect(point?.offset).toBe(2);
  });
});
