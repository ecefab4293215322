import { bookDirection, startPlace } from "./startPlace";

const chapters = [{ index: 0 }, { index: 1 }, { index: 2 }];

describe("startPlace", () => {
  it("opens a link's place before the saved position", () => {
    const start = startPlace(new URLSearchParams("chapter=2&offset=310"), { chapter: 1, offset: 5 }, chapters);
    expect(start).toEqual({ place: { chapter: 2, offset: 310 }, fromLink: true });
  });

  it("resumes from the saved position, else starts at the beginning", () => {
    expect(startPlace(new URLSearchParams(), { chapter: 1, offset: 5 }, chapters).place).toEqual({ chapter: 1, offset: 5 });
    expect(startPlace(new URLSearchParams(), null, chapters).place).toEqual({ chapter: 0, offset: 0 });
  });

  it("ignores a chapter the book does not have and malformed numbers", () => {
    expect(startPlace(new URLSearchParams("chapter=9"), null, chapters).place).toEqual({ chapter: 0, offset: 0 });
    expect(startPlace(new URLSearchParams("chapter=1&offset=-3"), null, chapters).place).toEqual({ chapter: 1, offset: 0 });
    expect(startPlace(new URLSearchParams("chapter=abc"), { chapter: 2, offset: 7 }, chapters).place).toEqual({
      chapter: 2,
      offset: 7,
    });
  });
});

describe("bookDirection", () => {
  it("follows a declared direction, else the language", () => {
    expect(bookDirection({ dir: "rtl" }, { language: "en", metadata: null })).toBe("rtl");
    expect(bookDirection(undefined, { language: "ar", metadata: null })).toBe("rtl");
    expect(bookDirection(undefined, { language: "he-IL", metadata: null })).toBe("rtl");
    expect(bookDirection(undefined, { language: "ru", metadata: { direction: "ltr" } })).toBe("ltr");
    expect(bookDirection(undefined, { language: "ru", metadata: null })).toBe("ltr");
  });
});
