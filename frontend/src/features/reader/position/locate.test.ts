import { firstVisibleOffset, rectAtOffset } from "./locate";
import { paragraphElements } from "./offsets";

// jsdom lays nothing out: give each paragraph (and each character) a place on a strip of
// columns, 100 px per paragraph, so "before the view" means "left of x".
function stripOf(paragraphWidths: number[]) {
  const root = document.createElement("div");
  const spans: [number, number][] = [];
  let offset = 0;
  let x = 0;
  paragraphWidths.forEach((width, index) => {
    const element = document.createElement("p");
    element.dataset.p = String(index);
    const text = "x".repeat(width / 10);
    element.textContent = text;
    const left = x;
    element.getClientRects = () => [new DOMRect(left, 0, width, 20)] as unknown as DOMRectList;
    element.getBoundingClientRect = () => new DOMRect(left, 0, width, 20);
    root.append(element);
    spans.push([offset, offset + text.length]);
    offset += text.length + 2;
    x += width;
  });
  // A character's rect: 10 px per character inside its paragraph.
  Range.prototype.getClientRects = function (this: Range) {
    const paragraph = this.startContainer.parentElement!;
    const left = paragraph.getBoundingClientRect().left + this.startOffset * 10;
    return [new DOMRect(left, 0, 10, 20)] as unknown as DOMRectList;
  };
  return { elements: paragraphElements(root), spans };
}

describe("firstVisibleOffset", () => {
  it("is the start of the first paragraph that begins in view", () => {
    const { elements, spans } = stripOf([100, 100, 100]);
    expect(firstVisibleOffset(elements, spans, (rect) => rect.right <= 100)).toBe(spans[1]![0]);
  });

  it("is the first character in view when the paragraph began on an earlier page", () => {
    const { elements, spans } = stripOf([100, 300, 100]);
    // The view starts at x = 250: paragraph 1 spans 100–400, its 15th character is at 250.
    expect(firstVisibleOffset(elements, spans, (rect) => rect.right <= 250)).toBe(spans[1]![0] + 15);
  });

  it("is 0 for a chapter without paragraphs", () => {
    expect(firstVisibleOffset(new Map(), [], () => false)).toBe(0);
  });
});

describe("rectAtOffset", () => {
  it("places an offset on its character", () => {
    const { elements, spans } = stripOf([100, 300]);
    const rect = rectAtOffset(elements, spans, spans[1]![0] + 20);
    expect(rect?.left).toBe(100 + 200);
  });

  it("places a paragraph's start on the paragraph", () => {
    const { elements, spans } = stripOf([100, 300]);
    expect(rectAtOffset(elements, spans, spans[1]![0])?.left).toBe(100);
  });

  it("skips paragraphs that have no element", () => {
    const { elements, spans } = stripOf([100, 100, 100]);
    elements.delete(1);
    expect(rectAtOffset(elements, spans, spans[1]![0] + 3)?.left).toBe(200);
  });

  it("round-trips: the offset found in view is placed back on the same page", () => {
    const { elements, spans } = stripOf([120, 340, 90, 260]);
    const pageStart = 400;
    const offset = firstVisibleOffset(elements, spans, (rect) => rect.right <= pageStart);
    const rect = rectAtOffset(elements, spans, offset)!;
    expect(rect.left).toBeGreaterThanOrEqual(pageStart);
    expect(rect.left).toBeLessThan(pageStart + 10);
  });
});
