import { render, screen } from "@testing-library/react";
import { I18nextProvider } from "react-i18next";
import { MemoryRouter } from "react-router";
import { createI18n } from "@/lib/i18n";
import { ReaderHeader } from "./ReaderHeader";

function renderHeader(bookTitle: string, chapterTitle: string) {
  render(
    <I18nextProvider i18n={createI18n("ru")}>
      <MemoryRouter>
        <ReaderHeader
          bookTitle={bookTitle}
          chapterTitle={chapterTitle}
          onContents={() => {}}
          onSettings={() => {}}
        />
      </MemoryRouter>
    </I18nextProvider>,
  );
}

describe("the reader's top bar", () => {
  it("names the book and the chapter being read", () => {
    renderHeader("Капитанская дочка", "Глава I. Сержант гвардии");
    expect(screen.getByRole("heading", { level: 1, name: "Капитанская дочка" })).toBeVisible();
    expect(screen.getByText("Глава I. Сержант гвардии")).toBeVisible();
  });

  it("says the title once when the only chapter is named after the book", () => {
    renderHeader("Тарас Бульба", "Тарас Бульба");
    expect(screen.getAllByText("Тарас Бульба")).toHaveLength(1);
  });

  it("counts titles that differ only in their apostrophes as the same", () => {
    renderHeader("Alice's Adventures in Wonderland", "Alice’s Adventures in Wonderland");
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent(
      "Alice's Adventures in Wonderland",
    );
    expect(screen.queryByText("Alice’s Adventures in Wonderland")).toBeNull();
  });
});
