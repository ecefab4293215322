import { paragraphElements, paragraphText } from "../position/paragraphText";
import { MarkLayer, MARK_CLASS } from "./marks";
import { spanAt, spanRange } from "./spans";

// A chapter as the API sends it: HTML with data-p paragraphs, and its plain text (paragraphs
// joined by blank lines) with each paragraph's (start, end) — footnote markers and ruby
// annotations are in the HTML but not in the text.
const HTML = `
<section>
  <h2 data-p="0">Глава <em>первая</em></h2>
  <p data-p="1">Всё смешалось<a data-note="n1" href="#n1">1</a> в доме <strong>Облонских</strong>.</p>
  <blockquote><p data-p="2">Жена узнала, что муж был <i>в связи</i><a data-note="n2" href="#n2">2</a> с бывшею<br>в их доме француженкою-гувернанткой.</p></blockquote>
  <p data-p="3">Старый <ruby>дом<rt>dom</rt></ruby> стоял у реки.</p>
</section>`;

function chapter() {
  const root = document.createElement("div");
  root.innerHTML = HTML;
  document.body.replaceChildren(root);
  const elements = paragraphElements(root);
  const texts = [...elements.values()].map((element) => paragraphText(element));
  const paragraphs: [number, number][] = [];
  let offset = 0;
  for (const text of texts) {
    paragraphs.push([offset, offset + text.length]);
    offset += text.length + 2;
  }
  return { root, elements, paragraphs, text: texts.join("\n\n") };
}

/** A range's text read the server's way (markers and annotations left out). */
function rangeText(range: Range, root: Element): string {
  let text = "";
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node instanceof Element) {
      if (node.localName === "br" && range.intersectsNode(node)) {
        const inside =
          range.comparePoint(node.parentNode!, [...node.parentNode!.childNodes].indexOf(node)) ===
          0;
        if (
          inside &&
          range.comparePoint(
            node.parentNode!,
            [...node.parentNode!.childNodes].indexOf(node) + 1,
          ) === 0
        )
          text += "\n";
      }
      continue;
    }
    const parent = node.parentElement!;
    if (!parent.closest("[data-p]") || parent.closest("[data-note], rt, rp")) continue;
    if (!range.intersectsNode(node)) continue;
    const data = (node as Text).data;
    const from = node === range.startContainer ? range.startOffset : 0;
    const to = node === range.endContainer ? range.endOffset : data.length;
    text += data.slice(from, to);
  }
  return text;
}

describe("spanRange: a passage's offsets as a DOM range", () => {
  it("covers exactly the passage's characters, across note markers and inline markup", () => {
    const { root, elements, paragraphs, text } = chapter();
    const start = text.indexOf("смешалось");
    const end = text.indexOf(".", start);
    const range = spanRange(elements, paragraphs, { start, end })!;
    expect(rangeText(range, root)).toBe("смешалось в доме Облонских");
    expect(text.slice(start, end)).toBe("смешалось в доме Облонских");
  });

  it("is one range for a passage that spans paragraphs", () => {
    const { root, elements, paragraphs, text } = chapter();
    const start = text.indexOf("Облонских");
    const end = text.indexOf("гувернанткой") + "гувернанткой".length;
    const range = spanRange(elements, paragraphs, { start, end })!;
    expect(range.startContainer.parentElement?.localName).toBe("strong");
    expect(range.endContainer.parentElement?.getAttribute("data-p")).toBe("2");
    // Between paragraphs the text has a blank line; the DOM has block boundaries instead.
    expect(rangeText(range, root).replace(/\s+/g, "")).toBe(
      text.slice(start, end).replace(/\s+/g, ""),
    );
  });

  it("counts a line break and skips ruby annotations", () => {
    const { root, elements, paragraphs, text } = chapter();
    for (const passage of ["бывшею\nв их доме", "Старый дом стоял", "в связи с бывшею"]) {
      const start = text.indexOf(passage);
      expect(start).toBeGreaterThan(0);
      const range = spanRange(elements, paragraphs, { start, end: start + passage.length })!;
      expect(rangeText(range, root)).toBe(passage);
    }
  });

  it("starts a passage that begins in the gap between paragraphs at the next paragraph", () => {
    const { elements, paragraphs } = chapter();
    const gap = paragraphs[1]![1] + 1;
    const range = spanRange(elements, paragraphs, { start: gap, end: paragraphs[2]![0] + 4 })!;
    expect(range.toString()).toBe("Жена");
  });

  it("covers what is in the document when paragraphs are not there yet, and nothing at all when none is", () => {
    const { elements, paragraphs, text } = chapter();
    elements.delete(3);
    const start = text.indexOf("француженкою");
    const partial = spanRange(elements, paragraphs, { start, end: text.length })!;
    expect(partial.toString()).toBe("француженкою-гувернанткой.");
    expect(
      spanRange(elements, paragraphs, { start: paragraphs[3]![0], end: text.length }),
    ).toBeNull();
  });
});

describe("spanAt", () => {
  it("finds the shortest passage holding an offset", () => {
    const spans = [
      { id: "long", start: 0, end: 100 },
      { id: "short", start: 10, end: 20 },
    ];
    expect(spanAt(spans, 15)?.id).toBe("short");
    expect(spanAt(spans, 50)?.id).toBe("long");
    expect(spanAt(spans, 100)).toBeNull();
  });
});

describe("MarkLayer", () => {
  it("registers one highlight per passage type, a cross-paragraph passage as one range", () => {
    const { root, elements, paragraphs, text } = chapter();
    const registered = new Map<string, { ranges: Range[] }>();
    class FakeHighlight {
      ranges: Range[];
      constructor(...ranges: Range[]) {
        this.ranges = ranges;
      }
    }
    vi.stubGlobal("Highlight", FakeHighlight);
    const registry = {
      set: (name: string, value: unknown) =>
        void registered.set(name, value as { ranges: Range[] }),
      delete: (name: string) => void registered.delete(name),
    };
    const layer = new MarkLayer(root, registry);
    const across = {
      id: "a",
      type: "location",
      start: text.indexOf("Облонских"),
      end: text.indexOf("Жена") + 4,
    };
    const house = {
      id: "b",
      type: "location",
      start: text.indexOf("Старый"),
      end: text.indexOf("реки"),
    };
    const wife = {
      id: "c",
      type: "character",
      start: text.indexOf("Жена"),
      end: text.indexOf("Жена") + 4,
    };
    layer.apply([across, house, wife], elements, paragraphs);
    expect([...registered.keys()].sort()).toEqual(["passage-character", "passage-location"]);
    expect(registered.get("passage-location")!.ranges).toHaveLength(2);
    expect(root.querySelectorAll("mark")).toHaveLength(0);
    layer.clear();
    expect(registered.size).toBe(0);
    vi.unstubAllGlobals();
  });

  it("wraps marks without the Highlight API, leaving the paragraph text as the server counts it", () => {
    const { root, elements, paragraphs, text } = chapter();
    const before = [...elements.values()].map((element) => paragraphText(element));
    const layer = new MarkLayer(root, null);
    const across = {
      id: "a",
      type: "object",
      start: text.indexOf("в доме"),
      end: text.indexOf("узнала"),
    };
    const inner = {
      id: "b",
      type: "character",
      start: text.indexOf("Жена"),
      end: text.indexOf("Жена") + 4,
    };
    layer.apply([across, inner], elements, paragraphs);
    const marks = [...root.querySelectorAll<HTMLElement>(`mark.${MARK_CLASS}`)];
    expect(
      marks
        .filter((mark) => mark.dataset.description === "a")
        .map((mark) => mark.textContent)
        .join("|"),
    ).toBe("в доме |Облонских|.|Жена ");
    expect([...paragraphElements(root).values()].map((element) => paragraphText(element))).toEqual(
      before,
    );
    const clicked = marks.find((mark) => mark.dataset.description === "b")!;
    expect(layer.spanAtPoint(0, 0, clicked.firstChild!.parentElement)?.id).toBe("b");
    layer.clear();
    expect(root.querySelectorAll("mark")).toHaveLength(0);
    expect(root.innerHTML).toBe(chapter().root.innerHTML);
  });
});
