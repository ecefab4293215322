/**
 * The reader's illustration settings against a real HTTP server: a change shows at once and
 * stays shown while it is being saved, whatever answers arrive meanwhile.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, renderHook, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import { reader } from "@/test/fixtures";
import { sendJson, startServer, type TestServer } from "@/test/httpServer";

let server: TestServer;
let useIllustrationSettings: typeof import("./usePassages").useIllustrationSettings;
let saved = { auto_illustrate: false, chapters_ahead: 0 };
let releaseGet: (() => void) | null = null;
let releasePatch: (() => void) | null = null;

const answer = () => ({
  ...saved,
  per_chapter: 1,
  style: null,
  quota: { daily_limit: 20, overridden: false, used_today: 0 },
  styles: [],
});

beforeAll(async () => {
  server = await startServer(async (request, response) => {
    if (!request.path.endsWith("/settings/illustrations")) return sendJson(response, 404, {});
    if (request.method === "PATCH") {
      // The save is slow: it answers only when the test says so.
      await new Promise<void>((resolve) => (releasePatch = resolve));
      saved = { ...saved, ...(JSON.parse(request.body.toString()) as typeof saved) };
      return sendJson(response, 200, answer());
    }
    const before = answer(); // what the server holds when the fetch arrives
    if (server.seen.filter((seen) => seen.method === "GET").length > 1)
      await new Promise<void>((resolve) => (releaseGet = resolve));
    return sendJson(response, 200, before);
  });
  (
    globalThis as unknown as { jsdom: { reconfigure: (o: { url: string }) => void } }
  ).jsdom.reconfigure({ url: `${server.origin}/` });
  ({ useIllustrationSettings } = await import("./usePassages"));
  (await import("@/lib/api")).signedIn({ access_token: "t", user: reader });
});
afterAll(() => {
  releaseGet?.(); // nothing may stay held when the server closes
  releasePatch?.();
  return server.close();
});

function renderSettings() {
  const client = new QueryClient();
  const wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={client}>{children}</QueryClientProvider>
  );
  return renderHook(() => useIllustrationSettings(), { wrapper });
}

describe("useIllustrationSettings", () => {
  it("keeps a change shown while it is saved, though a fetch of the old settings answers", async () => {
    const { result } = renderSettings();
    await waitFor(() => expect(result.current.settings.data?.auto_illustrate).toBe(false));

    // The settings are fetched again (the dialog opened on stale data) and, before that
    // answers, the reader ticks "automatic".
    void act(() => void result.current.settings.refetch());
    await waitFor(() => expect(releaseGet).not.toBeNull());
    let change: Promise<unknown> = Promise.resolve();
    act(() => {
      change = result.current.change({ auto_illustrate: true });
    });
    await waitFor(() => expect(result.current.settings.data?.auto_illustrate).toBe(true));
    await waitFor(() => expect(releasePatch).not.toBeNull());
    await act(async () => {
      releaseGet?.();
      await new Promise((resolve) => setTimeout(resolve, 100));
    });
    expect(result.current.settings.data?.auto_illustrate).toBe(true);

    await act(async () => {
      releasePatch?.();
      await change;
    });
    expect(result.current.settings.data?.auto_illustrate).toBe(true);
    expect(saved.auto_illustrate).toBe(true);
  });
});
