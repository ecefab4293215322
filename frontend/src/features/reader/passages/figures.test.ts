import type { Description, Illustration } from "../api/passages";
import { TABLE_BOX } from "../content/bookHtml";
import { paragraphElements } from "../position/paragraphText";
import { chapterFigures, figureAnchor } from "./figures";

const paragraphs: [number, number][] = [
  [0, 10],
  [12, 30],
  [32, 40],
  [42, 60],
];

function chapter() {
  const root = document.createElement("div");
  root.innerHTML = `
    <h2 data-p="0">Глава 1</h2>
    <p data-p="1">Первый абзац текста.</p>
    <ul><li data-p="2">Пункт списка</li></ul>
    <p data-p="3">Последний абзац главы.</p>`;
  return { root, elements: paragraphElements(root) };
}

function description(id: string, start: number, end: number): Description {
  return {
    id,
    chapter: 0,
    start,
    end,
    type: "location",
    confidence: 0.9,
    priority: 0.5,
    text: "…",
    summary: null,
  };
}

function picture(
  id: string,
  descriptionId: string,
  state: Illustration["state"],
  createdAt: string,
  generation = 0,
): Illustration {
  // A cast, not an annotation: newer API fields this test does not need may be added.
  return {
    id,
    book_id: "b",
    description_id: descriptionId,
    state,
    style: "watercolour",
    provider: "sketch",
    made_by: null,
    generation,
    prompt: null,
    negative_prompt: null,
    seed: null,
    width: 768,
    height: 1024,
    bytes: null,
    url: state === "ready" ? `/full/${id}` : null,
    thumbnail_url: state === "ready" ? `/thumb/${id}` : null,
    error: state === "failed" ? { code: "provider_failed", message: "The provider failed." } : null,
    created_at: createdAt,
  } as Illustration;
}

describe("figureAnchor: a figure goes after the paragraph where its passage ends", () => {
  it("is the paragraph holding the passage's last character", () => {
    const { root, elements } = chapter();
    // Ends at 30 = the end of paragraph 1: the last character (29) is in paragraph 1.
    expect(figureAnchor(root, elements, paragraphs, 30)?.getAttribute("data-p")).toBe("1");
    // Starts in paragraph 1, ends inside paragraph 3.
    expect(figureAnchor(root, elements, paragraphs, 50)?.getAttribute("data-p")).toBe("3");
  });

  it("goes after a list, not inside it", () => {
    const { root, elements } = chapter();
    expect(figureAnchor(root, elements, paragraphs, 38)?.localName).toBe("ul");
  });

  it("goes after a table's scrolling box, not inside it where it would scroll with the table", () => {
    const root = document.createElement("div");
    root.innerHTML = `<div class="${TABLE_BOX}"><table><tbody><tr><td data-p="0">Ячейка</td></tr></tbody></table></div>`;
    const anchor = figureAnchor(root, paragraphElements(root), [[0, 6]], 6);
    expect(anchor?.className).toBe(TABLE_BOX);
  });

  it("waits when the paragraph is not in the document yet", () => {
    const { root, elements } = chapter();
    elements.delete(3);
    expect(figureAnchor(root, elements, paragraphs, 50)).toBeNull();
  });
});

describe("chapterFigures: which pictures stand in the text", () => {
  const first = description("d1", 12, 30);
  const second = description("d2", 42, 60);
  const third = description("d3", 0, 8);

  it("shows each passage's newest ready picture, in reading order", () => {
    const figures = chapterFigures(
      [second, first, third],
      [
        picture("old", "d1", "ready", "2026-12-05T10:00:00Z", 0),
        picture("new", "d1", "ready", "2026-12-05T11:00:00Z", 1),
        picture("p2", "d2", "ready", "2026-12-05T09:00:00Z"),
      ],
      new Set(),
    );
    expect(figures.map((figure) => [figure.description.id, figure.shown?.id])).toEqual([
      ["d1", "new"],
      ["d2", "p2"],
    ]);
  });

  it("keeps the ready picture while a new version is drawn, with that version as its status", () => {
    const [figure] = chapterFigures(
      [first],
      [
        picture("ready", "d1", "ready", "2026-12-05T10:00:00Z", 0),
        picture("redraw", "d1", "running", "2026-12-05T11:00:00Z", 1),
      ],
      new Set(),
    );
    expect(figure?.shown?.id).toBe("ready");
    expect(figure?.latest.id).toBe("redraw");
  });

  it("shows a picture being drawn or failed only when the reader asked for it here", () => {
    const illustrations = [
      picture("mine", "d1", "queued", "2026-12-05T10:00:00Z"),
      picture("auto", "d2", "running", "2026-12-05T10:00:00Z"),
      picture("broken", "d3", "failed", "2026-12-05T10:00:00Z"),
    ];
    expect(
      chapterFigures([first, second, third], illustrations, new Set(["mine", "broken"])).map(
        (figure) => figure.description.id,
      ),
    ).toEqual(["d3", "d1"]);
    expect(chapterFigures([first, second, third], illustrations, new Set())).toEqual([]);
  });
});
