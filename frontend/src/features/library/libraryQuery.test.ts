import { describe, expect, it } from "vitest";
import {
  changeLibraryQuery,
  pageCount,
  parseLibraryQuery,
  toApiQuery,
  toSearchParams,
} from "./libraryQuery";

const parse = (search: string) => parseLibraryQuery(new URLSearchParams(search));

describe("the library's filters in the URL", () => {
  it("shows the newest books first, as a grid, on page 1 when the URL says nothing", () => {
    expect(parse("")).toEqual({
      q: "",
      state: null,
      language: null,
      author: "",
      sort: "created",
      order: "desc",
      page: 1,
      view: "grid",
    });
    expect(toSearchParams(parse("")).toString()).toBe("");
  });

  it("ignores values it does not know instead of sending them to the API", () => {
    const query = parse("state=lost&sort=colour&order=up&page=-3&view=table&language=english!");
    expect(query.state).toBeNull();
    expect(query.sort).toBe("created");
    expect(query.order).toBe("desc");
    expect(query.page).toBe(1);
    expect(query.view).toBe("grid");
    expect(query.language).toBeNull();
  });

  it("survives a round trip through the URL", () => {
    const search =
      "q=%D0%B2%D0%BE%D0%B9%D0%BD%D0%B0&state=ready&language=ru&author=Tolstoy&sort=title&order=desc&page=3&view=list";
    const query = parse(search);
    expect(query).toMatchObject({
      q: "война",
      state: "ready",
      language: "ru",
      author: "Tolstoy",
      sort: "title",
      order: "desc",
      page: 3,
      view: "list",
    });
    expect(parse(toSearchParams(query).toString())).toEqual(query);
  });

  it("sorts titles and authors A to Z unless told otherwise", () => {
    expect(parse("sort=title").order).toBe("asc");
    expect(changeLibraryQuery(parse(""), { sort: "author" }).order).toBe("asc");
    expect(changeLibraryQuery(parse("sort=title"), { sort: "created" }).order).toBe("desc");
    expect(changeLibraryQuery(parse(""), { sort: "title", order: "desc" }).order).toBe("desc");
  });

  it("goes back to page 1 when the search, a filter or the sort changes", () => {
    const onPage4 = parse("page=4");
    expect(changeLibraryQuery(onPage4, { q: "Alice" }).page).toBe(1);
    expect(changeLibraryQuery(onPage4, { state: "failed" }).page).toBe(1);
    expect(changeLibraryQuery(onPage4, { sort: "title" }).page).toBe(1);
    expect(changeLibraryQuery(onPage4, { view: "list" }).page).toBe(4);
    expect(changeLibraryQuery(onPage4, { page: 5 }).page).toBe(5);
  });

  it("asks the API only for the filters in use", () => {
    expect(toApiQuery(parse("author=Carroll&page=2"))).toEqual({
      author: "Carroll",
      sort: "created",
      order: "desc",
      page: 2,
      page_size: 24,
    });
  });

  it("counts pages, with one page for an empty library", () => {
    expect(pageCount(0)).toBe(1);
    expect(pageCount(24)).toBe(1);
    expect(pageCount(25)).toBe(2);
  });
});
