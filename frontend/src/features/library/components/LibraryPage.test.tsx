import { QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { I18nextProvider } from "react-i18next";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reader } from "@/test/fixtures";
import { type SeenRequest, sendJson, startServer, type TestServer } from "@/test/httpServer";

const HOSTILE_TITLE = '<img src=x onerror="alert(1)">Alice';

function summary(id: string, title: string, extra: object = {}) {
  return {
    id,
    title,
    authors: ["Lewis Carroll"],
    language: "en",
    format: "epub",
    state: "ready",
    progress: 1,
    error: null,
    cover_thumbnail_url: null,
    word_count: 1000,
    reading_minutes: 5,
    created_at: "2026-12-05T08:00:00Z",
    ...extra,
  };
}

let server: TestServer;
let LibraryPage: typeof import("./LibraryPage").default;
let createQueryClient: typeof import("@/app/queryClient").createQueryClient;
let i18n: typeof import("@/lib/i18n").i18n;
const processed = new Map<string, number>(); // book id → polls answered

function listAnswer(request: SeenRequest) {
  const query = new URL(request.path, server.origin).searchParams;
  const items = [
    summary("b1", HOSTILE_TITLE),
    summary("b2", "Broken book", {
      state: "failed",
      error: { code: "archive_ratio", message: "ratio", details: {} },
    }),
  ];
  return { items, total: 50, page: Number(query.get("page") ?? 1), page_size: 24 };
}

beforeAll(async () => {
  server = await startServer((request, response) => {
    const path = new URL(request.path, server.origin).pathname;
    if (request.method === "GET" && path === "/api/books")
      return sendJson(response, 200, listAnswer(request));
    if (request.method === "POST" && path === "/api/uploads") {
      const { filename } = JSON.parse(request.body.toString()) as { filename: string };
      const id = `new-${filename}`;
      return sendJson(response, 201, {
        book: summary(id, filename, { state: "uploading" }),
        existing: false,
        upload: {
          method: "PUT",
          url: `${server.origin}/store/${id}`,
          headers: {},
          expires_at: "2030-01-01T00:00:00Z",
        },
      });
    }
    if (request.method === "PUT") return void response.writeHead(200).end();
    const detail = /^\/api\/books\/(new-[^/]+)$/.exec(path);
    if (detail?.[1]) {
      const id = decodeURIComponent(detail[1]);
      const polls = (processed.get(id) ?? 0) + 1;
      processed.set(id, polls);
      const state = polls === 1 ? "extracting" : "ready";
      return sendJson(response, 200, {
        ...summary(id, id.replace("new-", "Title of "), { state, progress: polls === 1 ? 0.5 : 1 }),
        filename: id,
        size: 10,
        metadata: null,
        toc: [],
        chapter_count: 4,
        chapters: [],
        has_cover: false,
        extraction: { language: "en", chapters_done: polls === 1 ? 2 : 4, chapters_total: 4 },
        parsed_at: null,
      });
    }
    return sendJson(response, 404, { error: { code: "not_found", message: "no", details: {} } });
  });
  (
    globalThis as unknown as { jsdom: { reconfigure: (o: { url: string }) => void } }
  ).jsdom.reconfigure({
    url: `${server.origin}/`,
  });
  ({ default: LibraryPage } = await import("./LibraryPage"));
  ({ createQueryClient } = await import("@/app/queryClient"));
  ({ i18n } = await import("@/lib/i18n"));
  await i18n.changeLanguage("en");
  (await import("@/lib/api")).signedIn({ access_token: "t", user: reader });
});
afterAll(() => server.close());

function ShowSearch() {
  return <output data-testid="search">{useLocation().search}</output>;
}

function renderLibrary(url = "/") {
  render(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={createQueryClient()}>
        <MemoryRouter initialEntries={[url]}>
          <Routes>
            <Route
              path="/"
              element={
                <>
                  <LibraryPage />
                  <ShowSearch />
                </>
              }
            />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

const lastListQuery = () => {
  const list = server.seen.filter((request) => request.path.startsWith("/api/books?"));
  return new URL(list.at(-1)!.path, server.origin).searchParams;
};

describe("the library page", () => {
  it("shows book text as text, and a failed book's reason in words", async () => {
    renderLibrary();
    const books = await screen.findByRole("list", { name: "Books" });
    expect(
      within(books).getByRole("link", { name: `${HOSTILE_TITLE} Lewis Carroll` }),
    ).toBeInTheDocument();
    expect(books.querySelector("img[src=x]")).toBeNull();
    expect(within(books).getByText(/expands suspiciously much/)).toBeInTheDocument();
    expect(screen.getByText("50 books")).toBeInTheDocument();
  });

  it("asks the API for the chosen filter, sort and page, and keeps them in the URL", async () => {
    const user = userEvent.setup();
    renderLibrary("/?state=failed");
    await screen.findByRole("list", { name: "Books" });
    expect(lastListQuery().get("state")).toBe("failed");

    await user.selectOptions(screen.getByLabelText("Sort by"), "title");
    await waitFor(() => expect(lastListQuery().get("sort")).toBe("title"));
    expect(lastListQuery().get("order")).toBe("asc");
    expect(screen.getByTestId("search")).toHaveTextContent("?state=failed&sort=title");

    await user.click(screen.getByRole("button", { name: "Next page" }));
    await waitFor(() => expect(lastListQuery().get("page")).toBe("2"));
    expect(screen.getByText("Page 2 of 3")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "List" }));
    expect(screen.getByRole("button", { name: "List" })).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByTestId("search")).toHaveTextContent("view=list");
  });

  it("follows each dropped file from its upload to a book ready to open", async () => {
    renderLibrary();
    const zone = await screen.findByRole("region", { name: "Upload books" });
    const files = [new File(["one"], "one.epub"), new File(["two two"], "two.fb2")];
    fireEvent.drop(zone, { dataTransfer: { files, types: ["Files"] } });

    const uploads = await screen.findByRole("list", { name: "Uploads" });
    expect(within(uploads).getAllByRole("listitem")).toHaveLength(2);
    // Each file reaches processing, shows chapters done, and then a link to the ready book.
    expect(
      await within(uploads).findByText("Finding passages: 2 of 4 chapters", {}, { timeout: 4000 }),
    ).toBeInTheDocument();
    expect(
      await within(uploads).findByRole(
        "link",
        { name: "Open Title of one.epub" },
        { timeout: 6000 },
      ),
    ).toBeInTheDocument();
    expect(
      await within(uploads).findByRole(
        "link",
        { name: "Open Title of two.fb2" },
        { timeout: 6000 },
      ),
    ).toBeInTheDocument();
    await waitFor(() => expect(within(uploads).getAllByText("Ready.")).toHaveLength(2), {
      timeout: 6000,
    });
    const puts = server.seen
      .filter((request) => request.method === "PUT")
      .map((request) => request.body.toString());
    expect(puts.sort()).toEqual(["one", "two two"]);
  }, 15_000);
});
