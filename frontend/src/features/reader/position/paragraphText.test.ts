import { boundaryAt, offsetAt, paragraphText, pointInText, textPieces } from "./paragraphText";

function paragraph(html: string): Element {
  const root = document.createElement("div");
  root.innerHTML = html;
  return root.querySelector("[data-p]")!;
}

// What paragraph_text.py's dom_text reads: note markers and ruby annotations are not text,
// a <br> is one "\n", inline markup changes nothing.
describe("paragraph text, counted the server's way", () => {
  const html =
    '<p data-p="0">Мой <em>дядя</em><a data-note="n1" href="#n1">[1]</a> самых<br>честных <ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby> правил</p>';

  it("skips note markers and ruby annotations and counts a line break as one character", () => {
    expect(paragraphText(paragraph(html))).toBe("Мой дядя самых\nчестных 漢 правил");
  });

  it("differs from textContent, which the old mapping used", () => {
    const element = paragraph(html);
    expect(element.textContent).not.toBe(paragraphText(element));
    expect(textPieces(element).at(-1)?.end).toBe("Мой дядя самых\nчестных 漢 правил".length);
  });

  it("finds the character after a note marker at the right offset", () => {
    const element = paragraph(html);
    const text = paragraphText(element);
    const at = text.indexOf("самых");
    const point = pointInText(element, at);
    expect(point?.node.data).toBe(" самых");
    expect(point?.node.data.slice(point.offset, point.offset + 5)).toBe("самых");
  });

  it("maps every offset to a DOM point and back", () => {
    const element = paragraph(html);
    const length = paragraphText(element).length;
    for (let offset = 0; offset <= length; offset += 1) {
      for (const bias of ["start", "end"] as const) {
        const point = boundaryAt(element, offset, bias);
        expect(offsetAt(element, point.container, point.offset)).toBe(offset);
      }
    }
  });

  it("ends a span before a note marker and starts the next one after it", () => {
    const element = paragraph(html);
    const end = paragraphText(element).indexOf(" самых");
    const before = boundaryAt(element, end, "end");
    const after = boundaryAt(element, end, "start");
    expect((before.container as Text).data).toBe("дядя");
    expect((after.container as Text).data).toBe(" самых");
  });

  it("counts a point inside a note marker as the marker's place", () => {
    const element = paragraph(html);
    const marker = element.querySelector("[data-note]")!.firstChild!;
    expect(offsetAt(element, marker, 2)).toBe("Мой дядя".length);
  });
});
