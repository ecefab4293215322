import { QueryClientProvider } from "@tanstack/react-query";
import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { I18nextProvider } from "react-i18next";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { reader } from "@/test/fixtures";
import { sendError, sendJson, startServer, type TestServer } from "@/test/httpServer";

let server: TestServer;
let ExportBook: typeof import("./ExportBook").ExportBook;
let createQueryClient: typeof import("@/app/queryClient").createQueryClient;
let i18n: typeof import("@/lib/i18n").i18n;

function exportOf(id: string, extra: object = {}) {
  return {
    id,
    book_id: id,
    format: "epub",
    illustrations: "ready",
    style: null,
    state: "queued",
    progress: 0,
    pictures: null,
    bytes: null,
    url: null,
    filename: null,
    error: null,
    created_at: "2026-12-05T08:00:00Z",
    ...extra,
  };
}

// The server's answers per book, as the build goes on: each GET takes the next one.
let polls: Record<string, object[]> = {};

beforeAll(async () => {
  server = await startServer((request, response) => {
    const posted = /^\/api\/books\/([\w-]+)\/exports$/.exec(request.path);
    if (posted && request.method === "POST") {
      const body = JSON.parse(request.body.toString()) as { format: string };
      if (body.format !== "epub") return sendError(response, 422, "validation_failed");
      const id = posted[1] ?? "";
      if (id === "unread") return sendError(response, 409, "book_not_ready");
      return sendJson(response, 202, exportOf(id));
    }
    const polled = /^\/api\/exports\/([\w-]+)$/.exec(request.path);
    if (polled) {
      const queue = polls[polled[1] ?? ""] ?? [];
      const next = queue.length > 1 ? queue.shift() : queue[0];
      return sendJson(response, 200, next);
    }
    return sendError(response, 404, "export_not_found");
  });
  (
    globalThis as unknown as { jsdom: { reconfigure: (o: { url: string }) => void } }
  ).jsdom.reconfigure({ url: `${server.origin}/` });
  ({ ExportBook } = await import("./ExportBook"));
  ({ createQueryClient } = await import("@/app/queryClient"));
  ({ i18n } = await import("@/lib/i18n"));
  (await import("@/lib/api")).signedIn({ access_token: "t", user: reader });
});
afterAll(() => server.close());
beforeEach(async () => {
  polls = {};
  await act(() => i18n.changeLanguage("en"));
});

function renderExport(bookId: string) {
  render(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={createQueryClient()}>
        <ExportBook bookId={bookId} title="Каштанка" />
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

describe("downloading the illustrated EPUB", () => {
  it("shows the build's progress, then a link that saves the file", async () => {
    const url = `${server.origin}/objects/book.epub?signature=x`;
    polls.kashtanka = [
      exportOf("kashtanka", { state: "running", progress: 0.4 }),
      exportOf("kashtanka", {
        state: "ready",
        progress: 1,
        pictures: 3,
        bytes: 2_100_000,
        url,
        filename: "Каштанка.epub",
      }),
    ];
    renderExport("kashtanka");
    await userEvent.click(screen.getByRole("button", { name: "Download illustrated EPUB" }));

    const bar = await screen.findByRole("progressbar", { name: "Preparing the EPUB of Каштанка" });
    expect(await screen.findByText("Preparing the EPUB: 40%")).toBeInTheDocument();
    expect(bar).toHaveAttribute("aria-valuenow", "40");
    expect(screen.getByRole("button", { name: "Download illustrated EPUB" })).toBeDisabled();

    const save = await screen.findByRole(
      "link",
      { name: "Save Каштанка.epub (2.1 MB)" },
      { timeout: 4000 },
    );
    expect(save).toHaveAttribute("href", url);
    expect(save).toHaveAttribute("download", "Каштанка.epub");
    expect(screen.getByText("with 3 illustrations")).toBeInTheDocument();
    expect(screen.queryByRole("progressbar")).toBeNull();
    expect(screen.getByRole("button", { name: "Download illustrated EPUB" })).toBeEnabled();
  });

  it("says why a build failed, in words", async () => {
    polls.broken = [
      exportOf("broken", {
        state: "failed",
        error: { code: "chapter_not_found", message: "The book has no chapter 3." },
      }),
    ];
    renderExport("broken");
    await userEvent.click(screen.getByRole("button", { name: "Download illustrated EPUB" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The EPUB could not be made: The book has no chapter 3.",
    );
    expect(screen.queryByRole("link")).toBeNull();
  });

  it("speaks Russian to a Russian reader", async () => {
    await act(() => i18n.changeLanguage("ru"));
    polls.ru = [
      exportOf("ru", {
        state: "ready",
        progress: 1,
        pictures: 2,
        bytes: 1_000_000,
        url: `${server.origin}/objects/ru.epub`,
        filename: "Каштанка.epub",
      }),
    ];
    renderExport("ru");
    await userEvent.click(screen.getByRole("button", { name: "Скачать EPUB с иллюстрациями" }));
    expect(
      await screen.findByRole("link", { name: "Сохранить Каштанка.epub (1.0 МБ)" }),
    ).toBeInTheDocument();
    expect(screen.getByText("2 иллюстрации")).toBeInTheDocument();
  });
});
