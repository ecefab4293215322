import { describe, expect, it } from "vitest";
import { paragraphElements } from "../position/paragraphText";
import { HighlightLayer } from "./highlightLayer";

describe("HighlightLayer", () => {
  it("registers one highlight per colour over the highlights' text, and clears them", () => {
    const root = document.createElement("div");
    root.innerHTML = '<p data-p="0">The white tower.</p><p data-p="1">Grey water.</p>';
    const registered = new Map<string, unknown>();
    class FakeHighlight {
      ranges: Range[];
      constructor(...ranges: Range[]) {
        this.ranges = ranges;
      }
    }
    (globalThis as { Highlight?: unknown }).Highlight = FakeHighlight;
    const layer = new HighlightLayer({
      set: (name, value) => registered.set(name, value),
      delete: (name) => registered.delete(name),
    });
    const drawn = layer.draw(
      [
        { id: "a", start: 4, end: 15, color: "yellow" },
        { id: "b", start: 18, end: 22, color: "blue" },
        { id: "c", start: 0, end: 3, color: "yellow" },
      ],
      paragraphElements(root),
      [
        [0, 16],
        [18, 29],
      ],
    );
    expect([...registered.keys()].sort()).toEqual(["annotation-blue", "annotation-yellow"]);
    expect(drawn.get("yellow")!.map((range) => range.toString())).toEqual(["white tower", "The"]);
    expect(drawn.get("blue")!.map((range) => range.toString())).toEqual(["Grey"]);
    layer.clear();
    expect(registered.size).toBe(0);
    delete (globalThis as { Highlight?: unknown }).Highlight;
  });
});
