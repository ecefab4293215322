import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import NoteText from "./NoteText";

describe("NoteText", () => {
  it("renders Markdown and never the note's HTML or script links", () => {
    const note =
      '**salt** and _rust_\n\n<script>window.hacked = 1</script><img src=x onerror="window.hacked=2">\n\n[bad](javascript:alert(1)) [good](https://example.org/a)';
    const { container } = render(<NoteText note={note} />);
    expect(container.querySelector("strong")?.textContent).toBe("salt");
    expect(container.querySelector("em")?.textContent).toBe("rust");
    expect(container.querySelector("script, img")).toBeNull();
    expect((window as { hacked?: number }).hacked).toBeUndefined();
    const links = [...container.querySelectorAll("a")].map((a) => a.getAttribute("href"));
    expect(links).not.toContain("javascript:alert(1)");
    expect(links).toContain("https://example.org/a");
  });
});
