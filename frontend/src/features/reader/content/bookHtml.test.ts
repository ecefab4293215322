import {
  BOOK_PREFIX,
  boxTables,
  findFootnote,
  INLINE_IMAGE,
  noteIdAt,
  positionLink,
  scopedFragment,
  TABLE_BOX,
  zoomableImageAt,
} from "./bookHtml";

function mount(html: string): HTMLElement {
  const container = document.createElement("div");
  container.append(scopedFragment(html));
  document.body.append(container);
  return container;
}

afterEach(() => {
  document.body.innerHTML = "";
});

describe("scopedFragment", () => {
  it("prefixes the book's ids and classes so they cannot clash with the app's", () => {
    const container = mount('<div id="main" class="title page"><p data-p="0">Текст</p></div>');
    const block = container.firstElementChild!;
    expect(block.id).toBe(`${BOOK_PREFIX}main`);
    expect(block.className).toBe("bk-title bk-page");
    expect(document.getElementById("main")).toBeNull();
  });

  it("points in-chapter anchors at the prefixed ids, but leaves notes and positions alone", () => {
    const container = mount(
      '<a href="#s_2">Глава 2</a><a href="#note-n1" data-note="n1">1</a><a href="#pos-3-120">там</a>',
    );
    const [anchor, note, position] = container.querySelectorAll("a");
    expect(anchor?.getAttribute("href")).toBe("#bk-s_2");
    expect(note?.getAttribute("href")).toBe("#note-n1");
    expect(position?.getAttribute("href")).toBe("#pos-3-120");
  });

  it("leaves names the server already prefixed as they are", () => {
    const container = mount(
      '<p id="bk-root" class="bk-title">x</p><a href="#bk-root">up</a><a href="#pos-0-0">0</a>',
    );
    expect(container.querySelector("p")?.id).toBe("bk-root");
    expect(container.querySelector("p")?.className).toBe("bk-title");
    expect(container.querySelector("a")?.getAttribute("href")).toBe("#bk-root");
    expect(document.getElementById("root")).toBeNull();
  });

  it("keeps the text of every paragraph exactly", () => {
    const html = '<p data-p="0">Мой <em>дядя</em> самых честных правил</p>';
    expect(mount(html).textContent).toBe("Мой дядя самых честных правил");
  });
});

describe("positionLink", () => {
  it("reads a chapter and an offset from a position link", () => {
    expect(positionLink("#pos-12-3456")).toEqual({ chapter: 12, offset: 3456 });
    expect(positionLink("#pos-x-1")).toBeNull();
    expect(positionLink(null)).toBeNull();
  });
});

describe("footnotes", () => {
  const notes = [
    { id: "n1", title: "1", html: "<p>Первая</p>" },
    { id: "n2", title: "2", html: "<p>Вторая</p>" },
  ];

  it("finds the note of a clicked reference, also from an element inside the link", () => {
    const container = mount(
      '<p data-p="0">Слово<a href="#note-n2" data-note="n2"><sup>2</sup></a></p>',
    );
    const sup = container.querySelector("sup");
    const id = noteIdAt(sup, container);
    expect(id).toBe("n2");
    expect(findFootnote(notes, id)?.html).toBe("<p>Вторая</p>");
  });

  it("finds nothing for a click on plain text, an unknown id, or a link outside the chapter", () => {
    const container = mount('<p data-p="0">Слово</p>');
    expect(noteIdAt(container.querySelector("p"), container)).toBeNull();
    expect(findFootnote(notes, "n9")).toBeNull();
    const outside = document.createElement("a");
    outside.setAttribute("data-note", "n1");
    document.body.append(outside);
    expect(noteIdAt(outside, container)).toBeNull();
  });
});

describe("zoomableImageAt", () => {
  it("zooms a picture of the chapter, not one that is a link", () => {
    const container = mount(
      '<figure><img src="/a.png" alt="Карта"></figure><a href="#x"><img src="/b.png"></a>',
    );
    const [plain, linked] = container.querySelectorAll("img");
    expect(zoomableImageAt(plain!, container)?.alt).toBe("Карта");
    expect(zoomableImageAt(linked!, container)).toBeNull();
  });
});

describe("pictures in a line of text", () => {
  it("marks a picture inside a paragraph with words as part of the line, not a lone one", () => {
    const container = mount(
      '<p data-p="0">Тэг <img src="/tag.png"> может быть вложен</p>' +
        '<p><img src="/alone.png"></p><h1><img src="/title.png"></h1>' +
        '<figure><img src="/block.png"><figcaption>Подпись</figcaption></figure>',
    );
    const inline = [...container.querySelectorAll("img")].map((image) =>
      image.classList.contains(INLINE_IMAGE),
    );
    expect(inline).toEqual([true, false, false, false]);
  });
});

describe("boxTables", () => {
  it("puts each outermost table in a box of its own, text and order unchanged", () => {
    const fragment = scopedFragment(
      '<p data-p="0">До</p><table><tr><td data-p="1">А<table><tr><td>Б</td></tr></table></td></tr></table><p data-p="2">После</p>',
    );
    boxTables(fragment);
    const container = document.createElement("div");
    container.append(fragment);
    const boxes = container.querySelectorAll(`.${TABLE_BOX}`);
    expect(boxes).toHaveLength(1);
    expect(boxes[0]?.parentElement).toBe(container);
    expect(boxes[0]?.firstElementChild?.localName).toBe("table");
    expect(boxes[0]?.querySelectorAll("table")).toHaveLength(2);
    expect(container.textContent).toBe("ДоАБПосле");
  });
});
