import { laterPosition, positionBody, queuedAnswer } from "./positions";

const queued = { bookId: "b1", chapter: 3, offset: 120, at: Date.parse("2026-12-05T10:00:00Z") };

describe("positionBody", () => {
  it("reads the place a position PUT carries", () => {
    expect(positionBody('{"chapter": 3, "offset": 120}')).toEqual({ chapter: 3, offset: 120 });
    expect(positionBody('{"chapter": 2}')).toEqual({ chapter: 2, offset: 0 });
  });

  it("refuses what is not a place", () => {
    for (const text of [
      "",
      "null",
      "[]",
      '{"chapter": -1}',
      '{"chapter": "3"}',
      '{"offset": 4}',
      "{",
    ]) {
      expect(positionBody(text)).toBeNull();
    }
  });
});

describe("laterPosition", () => {
  it("lets a position another device saved after this one win", () => {
    const server = { chapter: 9, offset: 0, updated_at: "2026-12-05T11:00:00Z" };
    expect(laterPosition(server, queued)).toBe(server);
  });

  it("sends the queued position when the server's is older or missing", () => {
    expect(
      laterPosition({ chapter: 1, offset: 0, updated_at: "2026-12-05T09:00:00Z" }, queued),
    ).toBe(queued);
    expect(laterPosition(null, queued)).toBe(queued);
  });
});

describe("queuedAnswer", () => {
  it("answers in the API's position shape, marked as queued", async () => {
    const answer = queuedAnswer(queued, 202);
    expect(answer.status).toBe(202);
    expect(answer.headers.get("X-Offline-Queued")).toBe("1");
    expect(await answer.json()).toEqual({
      book_id: "b1",
      chapter: 3,
      offset: 120,
      updated_at: "2026-12-05T10:00:00.000Z",
      illustrating: [],
    });
  });
});
