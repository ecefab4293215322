import { bookDirection, startPlace } from "./startPlace";

const chapters = [{ index: 0 }, { index: 1 }, { index: 2 }];

describe("startPlace", () => {
  it("opens a link's place before the saved position", () => {
    const start = startPlace(
      new URLSearchParams("chapter=2&offset=310"),
      { chapter: 1, offset: 5 },
      chapters,
    );
    expect(start).toEqual({ place: { chapter: 2, offset: 310 }, fromLink: true });
  });

  it("resumes from the saved position, else starts at the beginning", () => {
    expect(startPlace(new URLSearchParams(), { chapter: 1, offset: 5 }, chapters).place).toEqual({
      chapter: 1,
      offset: 5,
    });
    expect(startPlace(new URLSearchParams(), null, chapters).place).toEqual({
      chapter: 0,
      offset: 0,
    });
  });

  it("ignores a chapter the book does not have and malformed numbers", () => {
    expect(startPlace(new URLSearchParams("chapter=9"), null, chapters).place).toEqual({
      chapter: 0,
      offset: 0,
    });
    expect(startPlace(new URLSearchParams("chapter=1&offset=-3"), null, chapters).place).toEqual({
      chapter: 1,
      offset: 0,
    });
    expect(
      startPlace(new URLSearchParams("chapter=abc"), { chapter: 2, offset: 7 }, chapters).place,
    ).toEqual({
      chapter: 2,
      offset: 7,
    });
  });
});

describe("bookDirection", () => {
  it("follows a declared direction, else the language", () => {
    expect(bookDirection({ direction: "rtl" }, { language: "en", direction: "ltr" })).toBe("rtl");
    expect(bookDirection(undefined, { language: "en", direction: "rtl" })).toBe("rtl");
    expect(bookDirection(undefined, { language: "ar", direction: "ltr" })).toBe("rtl");
    expect(bookDirection(undefined, { language: "he-IL", direction: "ltr" })).toBe("rtl");
    expect(bookDirection({ direction: "ltr" }, { language: "ru", direction: "ltr" })).toBe("ltr");
  });
});
