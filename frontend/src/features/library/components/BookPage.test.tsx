import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import { I18nextProvider } from "react-i18next";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reader } from "@/test/fixtures";
import { sendError, sendJson, startServer, type TestServer } from "@/test/httpServer";

let server: TestServer;
let BookPage: typeof import("./BookPage").default;
let createQueryClient: typeof import("@/app/queryClient").createQueryClient;
let i18n: typeof import("@/lib/i18n").i18n;

function detail(id: string, extra: object = {}) {
  return {
    id,
    title: "Война и мир",
    authors: ["Лев Толстой"],
    language: "ru",
    format: "fb2",
    state: "ready",
    progress: 1,
    error: null,
    cover_thumbnail_url: null,
    word_count: 4000,
    reading_minutes: 125,
    created_at: "2026-12-05T08:00:00Z",
    filename: "voina.fb2",
    size: 100,
    metadata: null,
    toc: [
      {
        title: "Том первый",
        chapter: 0,
        offset: 0,
        children: [{ title: "<b>Часть</b> первая", chapter: 1, offset: 120, children: [] }],
      },
    ],
    chapter_count: 4,
    chapters: [0, 1, 2, 3].map((index) => ({
      index,
      title: `${index}`,
      level: 0,
      linear: true,
      word_count: 1000,
    })),
    has_cover: false,
    extraction: { language: "ru", chapters_done: 4, chapters_total: 4 },
    parsed_at: "2026-12-05T08:01:00Z",
    ...extra,
  };
}

beforeAll(async () => {
  server = await startServer((request, response) => {
    const path = request.path;
    if (path === "/api/books/started") {
      return sendJson(response, 200, detail("started", { reading_progress: 0.5 }));
    }
    if (path === "/api/books/started/position") {
      const place = { chapter: 2, offset: 10, percentage: 50, updated_at: "2026-12-05T09:00:00Z" };
      return sendJson(response, 200, {
        book_id: "started",
        ...place,
        version: 3,
        device_id: "laptop-1",
        device_name: "Firefox on Windows",
        devices: [
          { ...place, device_id: "laptop-1", device_name: "Firefox on Windows", current: true },
          {
            device_id: "phone-1",
            device_name: "Chrome on Android",
            chapter: 1,
            offset: 300,
            percentage: null,
            updated_at: "2026-12-04T09:00:00Z",
            current: false,
          },
        ],
      });
    }
    if (path === "/api/books/fresh") return sendJson(response, 200, detail("fresh"));
    if (path === "/api/books/working") {
      return sendJson(
        response,
        200,
        detail("working", {
          state: "extracting",
          progress: 0.25,
          extraction: { language: "ru", chapters_done: 1, chapters_total: 4 },
        }),
      );
    }
    // A book not started yet: the API answers 200 null (no failed request in the console).
    if (/^\/api\/books\/(fresh|working)\/position$/.test(path)) {
      return sendJson(response, 200, null);
    }
    return sendError(response, 404, "book_not_found");
  });
  (
    globalThis as unknown as { jsdom: { reconfigure: (o: { url: string }) => void } }
  ).jsdom.reconfigure({
    url: `${server.origin}/`,
  });
  ({ default: BookPage } = await import("./BookPage"));
  ({ createQueryClient } = await import("@/app/queryClient"));
  ({ i18n } = await import("@/lib/i18n"));
  await i18n.changeLanguage("en");
  (await import("@/lib/api")).signedIn({ access_token: "t", user: reader });
});
afterAll(() => server.close());

function renderBook(bookId: string) {
  render(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={createQueryClient()}>
        <MemoryRouter initialEntries={[`/books/${bookId}`]}>
          <Routes>
            <Route path="/books/:bookId" element={<BookPage />} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

describe("the book page", () => {
  it("continues where the reader stopped, and shows how far that is", async () => {
    renderBook("started");
    const resume = await screen.findByRole("link", { name: "Continue reading" });
    expect(resume).toHaveAttribute("href", "/books/started/read");
    expect(await screen.findByText("50% read")).toBeInTheDocument(); // as the server counts it
    expect(screen.getByText("2 hours 5 minutes")).toBeInTheDocument();
  });

  it("says where the reader was on each device, each a way back there", async () => {
    renderBook("started");
    const places = await screen.findByRole("region", { name: "Where you were on each device" });
    const items = within(places).getAllByRole("listitem");
    expect(items.map((item) => item.textContent?.split(" chapter")[0])).toEqual([
      "Firefox on Windows",
      "Chrome on Android",
    ]);
    expect(
      within(places).getByRole("link", { name: "Open here: chapter 2 (Chrome on Android)" }),
    ).toHaveAttribute("href", "/books/started/read?chapter=1&offset=300");
    expect(
      within(places).getByRole("link", { name: "Open here: chapter 3, 50% (Firefox on Windows)" }),
    ).toHaveAttribute("href", "/books/started/read?chapter=2&offset=10");
    // Each time is one phrase, kept whole on a narrow screen (the e2e measures the lines).
    const times = within(places).getAllByRole("time");
    expect(times.map((time) => time.getAttribute("datetime"))).toEqual([
      "2026-12-05T09:00:00Z",
      "2026-12-04T09:00:00Z",
    ]);
    for (const time of times) expect(time).toHaveClass("device-places-phrase");
  });

  it("starts a book never opened, and links each contents entry to its place", async () => {
    renderBook("fresh");
    expect(await screen.findByRole("link", { name: "Start reading" })).toBeInTheDocument();
    const contents = screen.getByRole("navigation", { name: "Contents" });
    expect(within(contents).getByRole("link", { name: "Том первый" })).toHaveAttribute(
      "href",
      "/books/fresh/read?chapter=0",
    );
    const part = within(contents).getByRole("link", { name: "<b>Часть</b> первая" });
    expect(part).toHaveAttribute("href", "/books/fresh/read?chapter=1&offset=120");
    expect(contents.querySelector("b")).toBeNull(); // a label from the book is text, not markup
  });

  it("shows the work still going on", async () => {
    renderBook("working");
    expect(await screen.findByText("Finding passages: 1 of 4 chapters")).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Processing Война и мир" })).toHaveAttribute(
      "aria-valuenow",
      "25",
    );
  });

  it("says so when the book is not in the library", async () => {
    renderBook("someone-elses");
    expect(await screen.findByRole("alert")).toHaveTextContent("This book is not in your library.");
  });
});
