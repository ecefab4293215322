import { QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { I18nextProvider } from "react-i18next";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { reader } from "@/test/fixtures";
import { sendError, sendJson, startServer, type TestServer } from "@/test/httpServer";

let server: TestServer;
let Form: typeof import("./IllustrationSettingsForm").IllustrationSettingsForm;
let createQueryClient: typeof import("@/app/queryClient").createQueryClient;
let i18n: typeof import("@/lib/i18n").i18n;
let session: typeof import("@/lib/api");
const patches: unknown[] = [];
// A save's answer waits for this: a test that holds the saves plays a slow server.
let saveAnswered: Promise<void> = Promise.resolve();
let answerSaves = () => {};
function holdSaves() {
  saveAnswered = new Promise((resolve) => (answerSaves = resolve));
}
// Or each save waits for its own turn: the test answers them one at a time.
let oneByOne: (() => void)[] | null = null;
function answerNextSave() {
  oneByOne?.shift()?.();
}
let settings = {
  auto_illustrate: false,
  chapters_ahead: 2,
  per_chapter: 2,
  style: null as string | null,
  quota: { daily_limit: 50, overridden: false, used_today: 12 },
};

beforeAll(async () => {
  server = await startServer(async (request, response) => {
    if (request.path !== "/api/settings/illustrations") return sendError(response, 404, "nope");
    if (request.method === "PATCH") {
      const changes = JSON.parse(request.body.toString()) as Record<string, unknown>;
      patches.push(changes);
      await saveAnswered;
      if (oneByOne) await new Promise<void>((resolve) => oneByOne?.push(resolve));
      if (changes.style === "") changes.style = null;
      settings = { ...settings, ...changes };
    }
    return sendJson(response, 200, settings);
  });
  (
    globalThis as unknown as { jsdom: { reconfigure: (o: { url: string }) => void } }
  ).jsdom.reconfigure({ url: `${server.origin}/account` });
  ({ IllustrationSettingsForm: Form } = await import("./IllustrationSettingsForm"));
  ({ createQueryClient } = await import("@/app/queryClient"));
  ({ i18n } = await import("@/lib/i18n"));
  session = await import("@/lib/api");
});
afterEach(() => {
  for (const answer of oneByOne ?? []) answer();
  oneByOne = null;
  answerSaves();
  saveAnswered = Promise.resolve();
});
afterAll(() => server.close());

function renderForm() {
  session.signedIn({ access_token: "token", user: reader });
  render(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={createQueryClient()}>
        <Form />
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

describe("illustration settings", () => {
  it("shows the quota left today and saves the style and automatic mode", async () => {
    await i18n.changeLanguage("en");
    const user = userEvent.setup();
    renderForm();
    expect(await screen.findByText("38 of 50 pictures left today.")).toBeInTheDocument();
    const styles = screen.getByRole("group", { name: "Default style" });
    expect(within(styles).getByRole("radio", { name: "Chosen by the book's genre" })).toBeChecked();
    expect(within(styles).getAllByRole("radio")).toHaveLength(7);

    await user.click(within(styles).getByRole("radio", { name: "Engraving" }));
    expect(within(styles).getByRole("radio", { name: "Engraving" })).toBeChecked();
    await user.click(screen.getByRole("checkbox", { name: "Illustrate automatically as I read" }));
    expect(screen.getByRole("checkbox", { name: /automatically/ })).toBeChecked();
    await user.selectOptions(screen.getByLabelText("Chapters ahead"), "4");
    expect(screen.getByDisplayValue("4 chapters ahead")).toBeInTheDocument();
    await waitFor(() => expect(patches).toHaveLength(3));
    expect(patches).toEqual([
      { style: "engraving" },
      { auto_illustrate: true },
      { chapters_ahead: 4 },
    ]);
  });

  it("speaks Russian with Russian plurals", async () => {
    await i18n.changeLanguage("ru");
    settings = { ...settings, quota: { daily_limit: 30, overridden: true, used_today: 8 } };
    renderForm();
    expect(await screen.findByText("Сегодня осталось 22 иллюстрации из 30.")).toBeInTheDocument();
    expect(screen.getByRole("option", { name: "5 глав вперёд" })).toBeInTheDocument();
    expect(screen.getByRole("option", { name: "1 глава вперёд" })).toBeInTheDocument();
    await i18n.changeLanguage("en");
  });

  it("keeps each choice shown at once and while a slow server saves it", async () => {
    await i18n.changeLanguage("en");
    settings = { ...settings, auto_illustrate: false, chapters_ahead: 2, style: null };
    holdSaves();
    const saving = patches.length;
    renderForm();
    const toggle = await screen.findByRole("checkbox", {
      name: "Illustrate automatically as I read",
    });
    const styles = screen.getByRole("group", { name: "Default style" });
    const watercolour = within(styles).getByRole("radio", { name: "Watercolour" });
    const ahead = screen.getByRole("combobox", { name: "Chapters ahead" });

    fireEvent.click(toggle);
    expect(toggle).toBeChecked();
    fireEvent.click(watercolour);
    expect(watercolour).toBeChecked();
    expect(
      within(styles).getByRole("radio", { name: "Chosen by the book's genre" }),
    ).not.toBeChecked();
    fireEvent.change(ahead, { target: { value: "5" } });
    expect(ahead).toHaveDisplayValue("5 chapters ahead");

    await waitFor(() => expect(patches).toHaveLength(saving + 3));
    expect(toggle).toBeChecked();
    expect(watercolour).toBeChecked();
    expect(ahead).toHaveDisplayValue("5 chapters ahead");
    answerSaves();
    expect(await screen.findByRole("status")).toHaveTextContent("Saved.");
    await waitFor(() => {
      expect(toggle).toBeChecked();
      expect(watercolour).toBeChecked();
      expect(ahead).toHaveDisplayValue("5 chapters ahead");
    });
  });

  it("does not put back a choice for a moment when an earlier save's answer arrives", async () => {
    await i18n.changeLanguage("en");
    settings = { ...settings, auto_illustrate: false, chapters_ahead: 2, style: null };
    oneByOne = [];
    const saving = patches.length;
    renderForm();
    const toggle = await screen.findByRole("checkbox", {
      name: "Illustrate automatically as I read",
    });
    const ahead = screen.getByRole("combobox", { name: "Chapters ahead" });

    fireEvent.click(toggle);
    fireEvent.change(ahead, { target: { value: "5" } });
    await waitFor(() => expect(oneByOne).toHaveLength(2));
    // The first answer says automatic mode is on and still 2 chapters ahead: it is the
    // settings as that save left them, not what the reader sees now.
    answerNextSave();
    await waitFor(() => expect(oneByOne).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the answer reaches the cache
    expect(toggle).toBeChecked();
    expect(ahead).toHaveDisplayValue("5 chapters ahead");

    answerNextSave();
    expect(await screen.findByRole("status")).toHaveTextContent("Saved.");
    expect(patches.slice(saving)).toEqual([{ auto_illustrate: true }, { chapters_ahead: 5 }]);
    expect(toggle).toBeChecked();
    expect(ahead).toHaveDisplayValue("5 chapters ahead");
  });
});
