import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook } from "@testing-library/react";
import { signedIn, signedOut } from "@/lib/api";
import { reader } from "@/test/fixtures";
import type { Place } from "../api/reader";
import { usePositionSaver } from "./usePositionSaver";

type Sent = { method: string; url: string; body: unknown; keepalive: boolean };

// A stand-in for the API's position route: records what the reader sends.
function positionServer() {
  const sent: Sent[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request =
      input instanceof Request ? input : new Request(new URL(String(input), location.href), init);
    const body = await request.text();
    sent.push({
      method: request.method,
      url: new URL(request.url).pathname,
      body: body ? JSON.parse(body) : null,
      keepalive: Boolean(init?.keepalive ?? request.keepalive),
    });
    const saved = {
      book_id: "b1",
      ...(body ? JSON.parse(body) : {}),
      updated_at: "2026-12-05T00:00:00Z",
    };
    return new Response(JSON.stringify(saved), {
      status: 200,
      headers: { "Content-Type": "application/json" },
    });
  };
  return { sent, fetch };
}

function renderSaver(place: Place | null) {
  const client = new QueryClient();
  return renderHook(({ value }) => usePositionSaver("b1", value), {
    initialProps: { value: place },
    wrapper: ({ children }) => (
      <QueryClientProvider client={client}>{children}</QueryClientProvider>
    ),
  });
}

// The debounced save goes through the openapi-fetch client, whose relative base URL this
// environment's Request cannot build; the browser journey covers it. The exit path uses fetch.
describe("usePositionSaver", () => {
  let server: ReturnType<typeof positionServer>;
  beforeEach(() => {
    vi.useFakeTimers();
    server = positionServer();
    vi.stubGlobal("fetch", server.fetch);
    signedIn({
      access_token: "token",
      user: reader,
    });
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    signedOut();
  });

  it("saves at once with a keepalive request when the page goes away", async () => {
    const { rerender } = renderSaver({ chapter: 0, offset: 0 });
    rerender({ value: { chapter: 3, offset: 42 } });
    await act(async () => {
      window.dispatchEvent(new Event("pagehide"));
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(server.sent).toEqual([
      {
        method: "PUT",
        url: "/api/books/b1/position",
        body: { chapter: 3, offset: 42 },
        keepalive: true,
      },
    ]);
    // Nothing new to save: the debounced save does not send it again.
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1600);
    });
    expect(server.sent).toHaveLength(1);
  });

  it("saves nothing before the reader has a place", async () => {
    renderSaver(null);
    await act(async () => {
      window.dispatchEvent(new Event("pagehide"));
      await vi.advanceTimersByTimeAsync(2000);
    });
    expect(server.sent).toHaveLength(0);
  });
});
