import { fireEvent, render, screen } from "@testing-library/react";
import { I18nextProvider } from "react-i18next";
import { createI18n, type Language } from "@/lib/i18n";
import { quotaView } from "../passages/quota";
import type { IllustrationSettings, IllustrationSettingsChange } from "../api/passages";
import { IllustrationSettingsSection, QuotaLine } from "./IllustrationSettingsSection";

function renderQuota(language: Language, used: number, limit: number, now: Date) {
  render(
    <I18nextProvider i18n={createI18n(language)}>
      <QuotaLine quota={{ daily_limit: limit, used_today: used, overridden: false }} now={now} />
    </I18nextProvider>,
  );
  return screen.getByRole("status");
}

describe("today's picture quota", () => {
  const evening = new Date(Date.UTC(2026, 11, 5, 21, 30));

  it("says how many pictures are left", () => {
    expect(renderQuota("en", 13, 20, evening)).toHaveTextContent("7 of 20 pictures left today");
  });

  it("uses Russian plural forms", () => {
    expect(renderQuota("ru", 18, 20, evening)).toHaveTextContent(
      "Сегодня осталось 2 иллюстрации из 20",
    );
  });

  it("when used up, says when more can be drawn: the next UTC midnight", () => {
    const line = renderQuota("en", 20, 20, evening);
    expect(line).toHaveTextContent("Today's 20 pictures are used.");
    expect(line).toHaveTextContent("(in 2 h 30 min)");
    const midnight = new Intl.DateTimeFormat("en", { hour: "2-digit", minute: "2-digit" }).format(
      new Date(Date.UTC(2026, 11, 6)),
    );
    expect(line).toHaveTextContent(`More from ${midnight}`);
  });

  it("never counts below zero (an administrator lowered the limit)", () => {
    const view = quotaView({ daily_limit: 5, used_today: 9, overridden: true }, evening);
    expect(view.left).toBe(0);
    expect(view.exhausted).toBe(true);
    expect(view.minutesToReset).toBe(150);
  });
});

describe("the automatic-mode switch", () => {
  const saved = {
    auto_illustrate: false,
    chapters_ahead: 2,
    per_chapter: 2,
    style: null,
    styles: [],
    quota: { daily_limit: 50, overridden: false, used_today: 0 },
  } as unknown as IllustrationSettings;

  function renderSection(
    settings: IllustrationSettings,
    onSettingsChange: (change: IllustrationSettingsChange) => void = () => {},
  ) {
    const section = (current: IllustrationSettings) => (
      <I18nextProvider i18n={createI18n("en")}>
        <IllustrationSettingsSection
          showMarks
          showPictures
          onReaderChange={() => {}}
          settings={current}
          saveFailed={false}
          onSettingsChange={onSettingsChange}
        />
      </I18nextProvider>
    );
    const view = render(section(settings));
    return (next: IllustrationSettings) => view.rerender(section(next));
  }

  it("shows the reader's click at once, before the saved settings come back", () => {
    const changes: unknown[] = [];
    renderSection(saved, (change) => {
      changes.push(change);
    });
    const toggle = screen.getByRole("checkbox", { name: "Illustrate automatically as I read" });
    fireEvent.click(toggle);
    expect(toggle).toBeChecked();
    expect(changes).toEqual([{ auto_illustrate: true }]);
  });

  it("follows the saved settings once they change (a failed save is undone)", () => {
    const update = renderSection(saved);
    const toggle = screen.getByRole("checkbox", { name: "Illustrate automatically as I read" });
    fireEvent.click(toggle);
    update({ ...saved, auto_illustrate: true });
    expect(toggle).toBeChecked();
    update({ ...saved, auto_illustrate: false });
    expect(toggle).not.toBeChecked();
  });
});
