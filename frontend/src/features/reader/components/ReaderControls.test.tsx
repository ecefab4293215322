import { render, screen } from "@testing-library/react";
import { I18nextProvider } from "react-i18next";
import { MemoryRouter } from "react-router";
import { createI18n, type Language } from "@/lib/i18n";
import { ReaderFooter } from "./ReaderFooter";
import { ReaderHeader } from "./ReaderHeader";

function renderControls(language: Language, minutesLeft: number) {
  const noop = () => undefined;
  render(
    <I18nextProvider i18n={createI18n(language)}>
      <MemoryRouter>
        <ReaderHeader bookTitle="Каштанка" chapterTitle="Глава первая" onContents={noop} onSettings={noop} />
        <ReaderFooter
          rtl={false}
          progress={{ bookFraction: 0.424, chapterFraction: 0.5, minutesLeft }}
          page={{ page: 2, pages: 9 }}
          hasPrevious
          hasNext={false}
          onPrevious={noop}
          onNext={noop}
        />
      </MemoryRouter>
    </I18nextProvider>,
  );
}

describe("reader controls", () => {
  it("name every control for the English UI", () => {
    renderControls("en", 1);
    expect(screen.getByRole("link", { name: "Back to library" })).toHaveAttribute("href", "/");
    expect(screen.getByRole("button", { name: "Contents" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Settings" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Previous chapter" })).toBeEnabled();
    expect(screen.getByRole("button", { name: "Next chapter" })).toBeDisabled();
    expect(screen.getByRole("progressbar", { name: "Progress through the book" })).toHaveAttribute(
      "aria-valuenow",
      "42",
    );
    expect(screen.getByText("1 min left in chapter")).toBeInTheDocument();
    expect(screen.getByText("Page 3 of 9")).toBeInTheDocument();
  });

  it("speak Russian, with Russian plurals, for a Russian profile", () => {
    renderControls("ru", 5);
    expect(screen.getByRole("link", { name: "В библиотеку" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Содержание" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Следующая глава" })).toBeDisabled();
    expect(screen.getByText("До конца главы 5 минут")).toBeInTheDocument();
  });

  it("use the few-form in Russian for 2–4 minutes", () => {
    renderControls("ru", 3);
    expect(screen.getByText("До конца главы 3 минуты")).toBeInTheDocument();
  });
});
