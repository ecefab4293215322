// A real HTTP server in the API's place (the page's address is its origin, so the app's own
// client reaches it); fake-indexeddb is a complete in-memory IndexedDB for the offline queue.
import "fake-indexeddb/auto";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { I18nextProvider } from "react-i18next";
import { reader } from "@/test/fixtures";
import { sendJson, startServer, type TestServer } from "@/test/httpServer";
import type { Place } from "../api/positions";

type Body = Record<string, unknown>;
let server: TestServer;
let held: { version: number; device_id: string; chapter: number; offset: number };
let refuse: boolean;
let usePositionSync: typeof import("./usePositionSync").usePositionSync;
let i18n: typeof import("@/lib/i18n").i18n;
let offline: typeof import("@/features/offline/core/offlineDb");
let sendQueuedPositions: typeof import("@/features/offline/sync").sendQueuedPositions;
let deviceId: typeof import("../device").deviceId;

const OTHER = { device_id: "phone-1", device_name: "Chrome on Android" };

beforeAll(async () => {
  server = await startServer((request, response) => {
    const body = JSON.parse(request.body.toString() || "{}") as Body;
    const current = { book_id: "b1", ...held, ...OTHER, percentage: 34, devices: [] };
    if (refuse) {
      return sendJson(response, 409, {
        error: {
          code: "position_conflict",
          message: "moved elsewhere",
          details: { current: { ...current, updated_at: new Date().toISOString() }, yours: body },
        },
      });
    }
    held = {
      version: held.version + 1,
      device_id: String(body.device_id),
      chapter: Number(body.chapter),
      offset: Number(body.offset),
    };
    return sendJson(response, 200, {
      book_id: "b1",
      ...held,
      device_name: body.device_name,
      percentage: body.percentage,
      updated_at: new Date().toISOString(),
      devices: [],
      illustrating: [],
    });
  });
  (
    globalThis as unknown as { jsdom: { reconfigure: (o: { url: string }) => void } }
  ).jsdom.reconfigure({ url: `${server.origin}/` });
  ({ usePositionSync } = await import("./usePositionSync"));
  ({ i18n } = await import("@/lib/i18n"));
  offline = await import("@/features/offline/core/offlineDb");
  ({ sendQueuedPositions } = await import("@/features/offline/sync"));
  ({ deviceId } = await import("../device"));
  await i18n.changeLanguage("en");
  (await import("@/lib/api")).signedIn({ access_token: "t", user: reader });
  await offline.claimOfflineData(reader.id, reader);
});
afterAll(() => server.close());

beforeEach(() => {
  held = { version: 4, device_id: "phone-1", chapter: 7, offset: 30 };
  refuse = false;
  server.seen.length = 0;
});

const puts = () =>
  server.seen
    .filter((request) => request.method === "PUT")
    .map((request) => JSON.parse(request.body.toString()) as Body);

function renderSync(place: Place, seen: number | null, opened: Place | null = null) {
  const client = new QueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    </I18nextProvider>
  );
  return renderHook(
    ({ value, version }) =>
      usePositionSync("b1", value, { seen: version, opened, percentage: 12.345 }),
    { initialProps: { value: place, version: seen }, wrapper },
  );
}

describe("usePositionSync", () => {
  it("saves with this device and the version it saw, then builds on each answer", async () => {
    const { rerender } = renderSync({ chapter: 1, offset: 5 }, 4);
    await waitFor(() => expect(puts()).toHaveLength(1));
    expect(puts()[0]).toEqual({
      chapter: 1,
      offset: 5,
      percentage: 12.3,
      device_id: deviceId(),
      device_name: expect.stringMatching(/.+/),
      based_on: 4,
    });
    rerender({ value: { chapter: 1, offset: 90 }, version: 4 });
    await waitFor(() => expect(puts()).toHaveLength(2));
    expect(puts()[1]).toMatchObject({ offset: 90, based_on: 5 });
  });

  it("saves nothing until it knows which version the reader opened", async () => {
    renderSync({ chapter: 1, offset: 5 }, null);
    await act(() => new Promise((resolve) => setTimeout(resolve, 1800)));
    expect(puts()).toHaveLength(0);
  });

  it("opening at the saved place is not a move: it saves once the reader moves", async () => {
    const { rerender } = renderSync({ chapter: 7, offset: 0 }, 4, { chapter: 7, offset: 30 });
    await act(() => new Promise((resolve) => setTimeout(resolve, 1800)));
    expect(puts()).toHaveLength(0);
    rerender({ value: { chapter: 7, offset: 2400 }, version: 4 });
    await waitFor(() => expect(puts()).toHaveLength(1));
    expect(puts()[0]).toMatchObject({ chapter: 7, offset: 2400, based_on: 4 });
  });

  it("asks when another device moved on; staying here saves over it, having seen it", async () => {
    refuse = true;
    const { result, rerender } = renderSync({ chapter: 1, offset: 5 }, 2);
    await waitFor(() => expect(result.current.conflict).not.toBeNull());
    expect(result.current.conflict?.current).toMatchObject({ chapter: 7, offset: 30, version: 4 });
    expect(result.current.conflict?.yours).toMatchObject({ chapter: 1, offset: 5 });
    // While the reader is asked, moving on sends nothing.
    rerender({ value: { chapter: 1, offset: 60 }, version: 2 });
    await act(() => new Promise((resolve) => setTimeout(resolve, 1800)));
    expect(puts()).toHaveLength(1);

    refuse = false;
    act(() => result.current.stayHere());
    await waitFor(() => expect(puts()).toHaveLength(2));
    expect(puts()[1]).toMatchObject({ chapter: 1, offset: 60, based_on: 4 });
    expect(result.current.conflict).toBeNull();
    expect(held).toMatchObject({ chapter: 1, offset: 60, version: 5 });
  });

  it("asks for a place queued offline that was refused, and continuing goes to the other place", async () => {
    const { result } = renderSync({ chapter: 1, offset: 5 }, 2);
    await waitFor(() => expect(puts()).toHaveLength(1)); // its own place, saved online
    held = { version: 6, device_id: "phone-1", chapter: 7, offset: 30 }; // then the phone's
    refuse = true;
    await offline.queuePosition({
      bookId: "b1",
      chapter: 2,
      offset: 3,
      at: Date.now(),
      deviceId: deviceId(),
      basedOn: 2,
    });
    await act(async () => {
      await sendQueuedPositions();
    });
    await waitFor(() => expect(result.current.conflict).not.toBeNull());
    expect(await offline.queuedPositions()).toHaveLength(1); // kept until the reader chooses

    let there: Place | null = null;
    act(() => {
      there = result.current.continueThere();
    });
    expect(there).toEqual({ chapter: 7, offset: 30 });
    expect(result.current.conflict).toBeNull();
    await waitFor(async () => expect(await offline.queuedPositions()).toEqual([]));
  });

  it("saves at once with a keepalive request when the page goes away", async () => {
    // Node's fetch takes no relative address: resolve it against the page, as a browser does.
    const fetchFromPage = globalThis.fetch;
    vi.stubGlobal("fetch", (input: string, init?: RequestInit) =>
      fetchFromPage(new URL(input, location.href), init),
    );
    onTestFinished(() => {
      vi.unstubAllGlobals();
    });
    const { rerender } = renderSync({ chapter: 0, offset: 0 }, 4);
    rerender({ value: { chapter: 3, offset: 42 }, version: 4 });
    act(() => {
      window.dispatchEvent(new Event("pagehide"));
    });
    // (The previous test's hook, unmounted, may still be saving its own place.)
    const here = () => puts().filter((body) => body.chapter === 3);
    await waitFor(() => expect(here()).toHaveLength(1));
    expect(here()[0]).toMatchObject({ offset: 42, based_on: 4 });
    // Nothing new to save: the debounced save does not send it again.
    await act(() => new Promise((resolve) => setTimeout(resolve, 1800)));
    expect(here()).toHaveLength(1);
  });
});
