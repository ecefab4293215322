import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { I18nextProvider } from "react-i18next";
import { MemoryRouter } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reader } from "@/test/fixtures";
import { sendJson, startServer, type TestServer } from "@/test/httpServer";

const BOOK = "3f1c0f5e-8c1d-4e8b-9a57-1a2b3c4d5e6f";
let server: TestServer;
let LibraryTextSearch: typeof import("./LibraryTextSearch").LibraryTextSearch;
let createQueryClient: typeof import("@/app/queryClient").createQueryClient;
let i18n: typeof import("@/lib/i18n").i18n;

beforeAll(async () => {
  server = await startServer((request, response) => {
    const url = new URL(request.path, server.origin);
    if (url.pathname !== "/api/search") return sendJson(response, 404, {});
    const q = url.searchParams.get("q") ?? "";
    if (q === "nothing")
      return sendJson(response, 200, { items: [], next: null, books: [], unindexed: 0 });
    return sendJson(response, 200, {
      items: [
        {
          book_id: BOOK,
          chapter: 3,
          chapter_title: "Глава III",
          start: 120,
          end: 125,
          marks: [[120, 125]],
          snippet: "…из <mark>окном</mark> &lt;img src=x onerror=alert(1)&gt;…",
          rank: 0.5,
        },
      ],
      next: null,
      books: [{ book_id: BOOK, title: "Окна", authors: ["А. Автор"], matches: 7 }],
      unindexed: 0,
    });
  });
  (
    globalThis as unknown as { jsdom: { reconfigure: (o: { url: string }) => void } }
  ).jsdom.reconfigure({ url: `${server.origin}/` });
  ({ LibraryTextSearch } = await import("./LibraryTextSearch"));
  ({ createQueryClient } = await import("@/app/queryClient"));
  ({ i18n } = await import("@/lib/i18n"));
  await i18n.changeLanguage("en");
  (await import("@/lib/api")).signedIn({ access_token: "t", user: reader });
});
afterAll(() => server.close());

function renderSearch() {
  render(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={createQueryClient()}>
        <MemoryRouter>
          <LibraryTextSearch />
        </MemoryRouter>
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

describe("searching inside the library's books", () => {
  it("lists the matching books and links each hit to the reader at it", async () => {
    renderSearch();
    await userEvent.type(
      screen.getByRole("searchbox", { name: "Words in the books' text" }),
      "окно",
    );
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    const results = await screen.findByRole("list", { name: "Results in the books' text" });
    expect(within(results).getByRole("heading", { level: 3, name: "Окна" })).toBeInTheDocument();
    expect(within(results).getByText("7 matching passages")).toBeInTheDocument();
    const hit = within(results).getByRole("link", { name: /^Open Окна at “…из окном/ });
    const href = new URL(hit.getAttribute("href")!, server.origin);
    expect(href.pathname).toBe(`/books/${BOOK}/read`);
    expect(Object.fromEntries(href.searchParams)).toEqual({
      chapter: "3",
      offset: "120",
      q: "окно",
      hit: "120-125",
    });
    // The snippet's text stays text: the marked word is a <mark>, the book's "<img>" is not one.
    expect(within(hit).getByText("окном").tagName).toBe("MARK");
    expect(hit.querySelector("img")).toBeNull();
    expect(hit.textContent).toContain("<img src=x onerror=alert(1)>");
  });

  it("says so when nothing is found", async () => {
    renderSearch();
    await userEvent.type(
      screen.getByRole("searchbox", { name: "Words in the books' text" }),
      "nothing",
    );
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    expect(await screen.findByText("Nothing found.")).toBeInTheDocument();
  });
});
