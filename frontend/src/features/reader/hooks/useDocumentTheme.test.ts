import { renderHook } from "@testing-library/react";
import { useDocumentTheme } from "./useDocumentTheme";

describe("useDocumentTheme", () => {
  afterEach(() => {
    delete document.documentElement.dataset.theme;
  });

  it("colours the document with the reader's theme and follows changes", () => {
    const { rerender } = renderHook(({ theme }) => useDocumentTheme(theme), {
      initialProps: { theme: "sepia" as "sepia" | "dark" },
    });
    expect(document.documentElement.dataset.theme).toBe("sepia");
    rerender({ theme: "dark" });
    expect(document.documentElement.dataset.theme).toBe("dark");
  });

  it("gives the app its own theme back when the reader closes", () => {
    document.documentElement.dataset.theme = "light";
    const { unmount } = renderHook(() => useDocumentTheme("dark"));
    unmount();
    expect(document.documentElement.dataset.theme).toBe("light");
  });

  it("returns to following the system when the app had no theme", () => {
    const { unmount } = renderHook(() => useDocumentTheme("sepia"));
    unmount();
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });
});
