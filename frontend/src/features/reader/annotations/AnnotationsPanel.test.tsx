import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { I18nextProvider } from "react-i18next";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createI18n, type Language } from "@/lib/i18n";
import type { Bookmark, Highlight } from "./api";
import { AnnotationsPanel } from "./AnnotationsPanel";

const times = { created_at: "2026-12-05T10:00:00Z", updated_at: "2026-12-05T10:00:00Z" };
const highlight = (id: string, quote: string, detached = false, note = ""): Highlight => ({
  id,
  book_id: "b",
  chapter: 2,
  start: 10,
  end: 10 + quote.length,
  quote,
  color: "blue",
  note,
  anchor: { exact: quote, prefix: "", suffix: "" },
  detached,
  ...times,
});
const bookmark: Bookmark = {
  id: "m1",
  book_id: "b",
  chapter: 1,
  offset: 40,
  label: "",
  anchor: { exact: "Mary climbed the stairs", prefix: "", suffix: "" },
  detached: false,
  ...times,
};

function renderPanel(language: Language) {
  const handlers = {
    onBookmarkHere: vi.fn(),
    onJump: vi.fn(),
    onEditNote: vi.fn(),
    onDeleteHighlight: vi.fn(),
    onDeleteBookmark: vi.fn(),
    onExport: vi.fn(),
    onClose: vi.fn(),
  };
  render(
    <I18nextProvider i18n={createI18n(language)}>
      <AnnotationsPanel
        open
        highlights={[
          highlight("h1", "white tower", false, "**salt**"),
          highlight("h2", "the storm came early", true),
        ]}
        bookmarks={[bookmark]}
        chapterTitle={(index) => `Chapter ${index + 1}`}
        busy={false}
        error={null}
        canBookmark
        {...handlers}
      />
    </I18nextProvider>,
  );
  return handlers;
}

describe("AnnotationsPanel", () => {
  beforeAll(() => {
    // jsdom has <dialog> without its modal methods: open it as a browser would.
    HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
      this.setAttribute("open", "");
    };
    HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
      this.removeAttribute("open");
    };
  });

  it("lists highlights, bookmarks and the detached apart; jumps, exports", async () => {
    const user = userEvent.setup();
    const handlers = renderPanel("en");
    const highlights = screen.getByRole("region", { name: "Highlights" });
    expect(within(highlights).getAllByRole("listitem")).toHaveLength(1);
    expect(within(highlights).getByText("white tower")).toBeInTheDocument();
    expect(await within(highlights).findByText("salt")).toContainHTML("salt");
    const detached = screen.getByRole("region", { name: "Not found in the current text" });
    expect(within(detached).getByText("the storm came early")).toBeInTheDocument();
    // A detached highlight has no place to go to, but can be edited and deleted.
    expect(within(detached).queryByRole("button", { name: "Go to" })).toBeNull();
    await user.click(within(highlights).getByRole("button", { name: "Go to" }));
    expect(handlers.onJump).toHaveBeenCalledWith(2, 10);
    const bookmarks = screen.getByRole("region", { name: "Bookmarks" });
    await user.click(within(bookmarks).getByRole("button", { name: "Go to" }));
    expect(handlers.onJump).toHaveBeenLastCalledWith(1, 40);
    await user.click(screen.getByRole("button", { name: "Delete highlight “white tower”" }));
    expect(handlers.onDeleteHighlight).toHaveBeenCalledWith(expect.objectContaining({ id: "h1" }));
    await user.click(screen.getByRole("button", { name: "CSV (Readwise)" }));
    expect(handlers.onExport).toHaveBeenCalledWith("csv");
  });

  it("speaks Russian", () => {
    renderPanel("ru");
    expect(screen.getByRole("region", { name: "Выделения" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Заложить это место" })).toBeEnabled();
    expect(
      screen.getByRole("region", { name: "Не найдено в нынешнем тексте" }),
    ).toBeInTheDocument();
  });
});
