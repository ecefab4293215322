import { firstPartLength } from "./BookLayout";

function blocks(count: number): ChildNode[] {
  const container = document.createElement("div");
  container.innerHTML = Array.from({ length: count }, (_, i) => `<p data-p="${i}">${i}</p>`).join("");
  return [...container.childNodes];
}

describe("firstPartLength", () => {
  it("lays out a short chapter whole", () => {
    expect(firstPartLength(blocks(50), 0)).toBe(50);
  });

  it("lays out a long chapter's opening first when reading from its start", () => {
    expect(firstPartLength(blocks(400), 0)).toBe(41);
  });

  it("reaches past the target paragraph, found inside nested blocks too", () => {
    const nodes = blocks(400);
    const section = document.createElement("section");
    section.innerHTML = '<p data-p="9000">deep</p>';
    nodes.splice(100, 0, section);
    expect(firstPartLength(nodes, 9000)).toBe(141);
    expect(firstPartLength(nodes, 250)).toBe(292);
  });

  it("lays out everything for the chapter's end, an unknown paragraph, or a small remainder", () => {
    expect(firstPartLength(blocks(400), null)).toBe(400);
    expect(firstPartLength(blocks(400), 5000)).toBe(400);
    expect(firstPartLength(blocks(400), 340)).toBe(400);
  });
});
