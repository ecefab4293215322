import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { I18nextProvider } from "react-i18next";
import { ApiError } from "@/lib/api";
import { createI18n } from "@/lib/i18n";
import { conflictOf } from "../conflicts";
import { PositionConflictDialog } from "./PositionConflictDialog";

// jsdom has <dialog> without its methods: open it as a browser would.
beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute("open", "");
  };
});

const fiveMinutesAgo = () => new Date(Date.now() - 5 * 60_000).toISOString();

function refused(current: Record<string, unknown>) {
  const details = {
    current: {
      book_id: "b1",
      chapter: 11,
      offset: 40,
      percentage: 34.4,
      version: 9,
      device_id: "phone-1",
      device_name: "Chrome on Android",
      updated_at: fiveMinutesAgo(),
      devices: [],
      ...current,
    },
    yours: { chapter: 2, offset: 0, based_on: 3 },
  };
  return conflictOf(new ApiError(409, "position_conflict", "moved", details));
}

function show(language: "en" | "ru", current: Record<string, unknown> = {}) {
  const onContinue = vi.fn();
  const onStay = vi.fn();
  render(
    <I18nextProvider i18n={createI18n(language)}>
      <PositionConflictDialog conflict={refused(current)} onContinue={onContinue} onStay={onStay} />
    </I18nextProvider>,
  );
  return { onContinue, onStay };
}

describe("PositionConflictDialog", () => {
  it("asks whether to continue at the other device's place or stay here", () => {
    const { onContinue, onStay } = show("en");
    const dialog = screen.getByRole("dialog", {
      name: "Your place moved on another device",
    });
    expect(dialog).toHaveAccessibleDescription(
      "Continue at chapter 12, 34% (Chrome on Android, 5 minutes ago) or stay here?",
    );
    fireEvent.click(screen.getByRole("button", { name: "Continue there" }));
    expect(onContinue).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole("button", { name: "Stay here" }));
    expect(onStay).toHaveBeenCalledTimes(1);
  });

  it("asks in Russian, and without a share of the book when the other device gave none", () => {
    show("ru", { percentage: null, device_name: null });
    expect(screen.getByRole("dialog")).toHaveAccessibleDescription(
      "Продолжить с главы 12 (другое устройство, 5 минут назад) или остаться здесь?",
    );
    expect(screen.getByRole("button", { name: "Остаться здесь" })).toBeVisible();
  });

  it("names a KOReader device in the interface's language", () => {
    const koreader = { device_id: "koreader:1f0c", device_name: "KOReader on Kobo_io" };
    show("ru", koreader);
    expect(screen.getByRole("dialog")).toHaveAccessibleDescription(
      /^Продолжить с главы 12, 34\s?% \(KOReader на Kobo_io, 5 минут назад\) или остаться здесь\?$/,
    );
    cleanup();
    // A web browser that happens to be called so is not taken for one.
    show("ru", { device_id: "phone-1", device_name: "KOReader on Kobo_io" });
    expect(screen.getByRole("dialog")).toHaveAccessibleDescription(/\(KOReader on Kobo_io, /);
  });

  it("is not a conflict when the save failed for another reason", () => {
    expect(conflictOf(new ApiError(404, "book_not_found", "gone"))).toBeNull();
    expect(conflictOf(new ApiError(409, "position_conflict", "x", { current: {} }))).toBeNull();
  });
});
