import { devicesOf, positionBody, queuedAnswer, queuedBody } from "./positions";

const queued = {
  bookId: "b1",
  chapter: 3,
  offset: 120,
  at: Date.parse("2026-12-05T10:00:00Z"),
  percentage: 41.5,
  deviceId: "phone-1",
  deviceName: "Chrome on Android",
  basedOn: 7,
};

describe("positionBody", () => {
  it("reads the place, the device and the version a position PUT carries", () => {
    expect(positionBody('{"chapter": 3, "offset": 120}')).toEqual({
      chapter: 3,
      offset: 120,
      basedOn: 0,
    });
    expect(positionBody('{"chapter": 2}')).toEqual({ chapter: 2, offset: 0, basedOn: 0 });
    const full = JSON.stringify({
      chapter: 3,
      offset: 120,
      percentage: 41.5,
      device_id: "phone-1",
      device_name: "Chrome on Android",
      based_on: 7,
    });
    const { bookId: _bookId, at: _at, ...place } = queued;
    expect(positionBody(full)).toEqual(place);
  });

  it("refuses what is not a place, and leaves out what is not a device or version", () => {
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
    expect(
      positionBody('{"chapter": 1, "device_id": "a/b", "based_on": -2, "percentage": 300}'),
    ).toEqual({ chapter: 1, offset: 0 });
  });
});

describe("queuedBody", () => {
  it("sends a queued position back as the PUT it was", () => {
    expect(queuedBody(queued)).toEqual({
      chapter: 3,
      offset: 120,
      percentage: 41.5,
      device_id: "phone-1",
      device_name: "Chrome on Android",
      based_on: 7,
    });
  });

  it("sends one queued before position sync as a save from a device that saw nothing", () => {
    expect(queuedBody({ bookId: "b1", chapter: 1, offset: 5, at: 0 })).toEqual({
      chapter: 1,
      offset: 5,
      based_on: 0,
    });
  });
});

describe("queuedAnswer", () => {
  it("answers in the API's position shape, still based on the version the device saw", async () => {
    const devices = [{ device_id: "laptop-1", chapter: 9 }];
    const answer = queuedAnswer(queued, 202, devices);
    expect(answer.status).toBe(202);
    expect(answer.headers.get("X-Offline-Queued")).toBe("1");
    expect(await answer.json()).toEqual({
      book_id: "b1",
      chapter: 3,
      offset: 120,
      percentage: 41.5,
      version: 7,
      device_id: "phone-1",
      device_name: "Chrome on Android",
      updated_at: "2026-12-05T10:00:00.000Z",
      devices,
      illustrating: [],
    });
  });

  it("keeps the server's devices list, when there is one", () => {
    expect(devicesOf({ devices: [{ device_id: "x" }] })).toEqual([{ device_id: "x" }]);
    expect(devicesOf(null)).toEqual([]);
    expect(devicesOf({ devices: "no" })).toEqual([]);
  });
});
