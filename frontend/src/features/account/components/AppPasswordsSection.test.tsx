import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { I18nextProvider } from "react-i18next";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { reader } from "@/test/fixtures";
import { sendError, sendJson, startServer, type TestServer } from "@/test/httpServer";

type Stored = {
  id: string;
  name: string;
  scopes: string[];
  created_at: string;
  last_used_at: string | null;
};

let server: TestServer;
let AppPasswordsSection: typeof import("./AppPasswordsSection").AppPasswordsSection;
let createQueryClient: typeof import("@/app/queryClient").createQueryClient;
let i18n: typeof import("@/lib/i18n").i18n;
let session: typeof import("@/lib/api");
let stored: Stored[] = [];
let made = 0;

beforeAll(async () => {
  server = await startServer((request, response) => {
    if (request.path === "/api/account/app-passwords" && request.method === "GET") {
      return sendJson(response, 200, { items: stored });
    }
    if (request.path === "/api/account/app-passwords" && request.method === "POST") {
      const body = JSON.parse(request.body.toString()) as { name: string; scopes: string[] };
      if (!body.name.trim()) {
        return sendError(response, 422, "validation_failed", {
          fields: [{ field: "name", problem: "must not be empty" }],
        });
      }
      made += 1;
      const item = {
        id: `00000000-0000-4000-8000-00000000000${made}`,
        name: body.name,
        scopes: body.scopes,
        created_at: "2026-12-05T10:00:00Z",
        last_used_at: null,
      };
      stored = [item, ...stored];
      return sendJson(response, 201, { ...item, password: `abcd-efgh-jkmn-pqrs-tuv${made}` });
    }
    const revoked = /^\/api\/account\/app-passwords\/(.+)$/.exec(request.path);
    if (revoked && request.method === "DELETE") {
      stored = stored.filter((item) => item.id !== revoked[1]);
      response.writeHead(204).end();
      return;
    }
    return sendError(response, 404, "not_found");
  });
  (
    globalThis as unknown as { jsdom: { reconfigure: (o: { url: string }) => void } }
  ).jsdom.reconfigure({ url: `${server.origin}/account` });
  ({ AppPasswordsSection } = await import("./AppPasswordsSection"));
  ({ createQueryClient } = await import("@/app/queryClient"));
  ({ i18n } = await import("@/lib/i18n"));
  session = await import("@/lib/api");
});
afterAll(() => server.close());
beforeEach(async () => {
  stored = [
    {
      id: "00000000-0000-4000-8000-0000000000aa",
      name: "Kindle",
      scopes: ["kosync"],
      created_at: "2026-11-01T08:00:00Z",
      last_used_at: "2026-12-04T21:30:00Z",
    },
  ];
  await i18n.changeLanguage("en");
});

function renderSection() {
  session.signedIn({ access_token: "token", user: reader });
  render(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={createQueryClient()}>
        <AppPasswordsSection />
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

describe("app passwords on the account page", () => {
  it("lists each device with what it may do and when it was last used", async () => {
    renderSection();
    const list = await screen.findByRole("list", { name: "Your app passwords" });
    const row = within(list).getByRole("listitem");
    expect(row).toHaveTextContent("Kindle");
    expect(row).toHaveTextContent("Sync reading progress (KOReader)");
    expect(row).toHaveTextContent(/last used/);
    expect(screen.getByText(`${window.location.origin}/api/opds`)).toBeInTheDocument();
    expect(screen.getByText(`${window.location.origin}/api/opds/v2`)).toBeInTheDocument();
    expect(screen.getByText(`${window.location.origin}/api/kosync`)).toBeInTheDocument();
  });

  it("shows a new password once, then lists it as never used", async () => {
    const user = userEvent.setup();
    renderSection();
    await screen.findByRole("list", { name: "Your app passwords" });
    await user.type(screen.getByLabelText("Device name"), "Kobo Libra");
    await user.click(screen.getByLabelText("Sync reading progress (KOReader)"));
    await user.click(screen.getByRole("button", { name: "Create app password" }));

    const notice = await screen.findByRole("status");
    expect(notice).toHaveTextContent("The app password for «Kobo Libra»:");
    expect(within(notice).getByLabelText("App password")).toHaveTextContent(
      "abcd-efgh-jkmn-pqrs-tuv1",
    );
    const sent = server.seen.filter((request) => request.method === "POST").at(-1);
    expect(JSON.parse(sent?.body.toString() ?? "{}")).toEqual({
      name: "Kobo Libra",
      scopes: ["opds"],
    });
    const list = screen.getByRole("list", { name: "Your app passwords" });
    expect(await within(list).findByText("Kobo Libra")).toBeInTheDocument();
    expect(within(list).getAllByRole("listitem")[0]).toHaveTextContent("never used");

    await user.click(within(notice).getByRole("button", { name: "Done" }));
    expect(screen.queryByText("abcd-efgh-jkmn-pqrs-tuv1")).not.toBeInTheDocument();
    expect(screen.getByLabelText("Device name")).toHaveValue("");
  });

  it("needs a name and at least one use before it creates anything", async () => {
    const user = userEvent.setup();
    renderSection();
    const create = screen.getByRole("button", { name: "Create app password" });
    expect(create).toBeDisabled();
    await user.type(screen.getByLabelText("Device name"), "Phone");
    expect(create).toBeEnabled();
    await user.click(screen.getByLabelText("Browse and download books (OPDS)"));
    await user.click(screen.getByLabelText("Sync reading progress (KOReader)"));
    expect(create).toBeDisabled();
  });

  it("revokes a device's password after asking", async () => {
    const user = userEvent.setup();
    renderSection();
    await user.click(
      await screen.findByRole("button", { name: "Revoke the app password «Kindle»" }),
    );
    // jsdom has no showModal(): the dialog is there but not "open" to the accessibility tree.
    const title = screen.getByText("Revoke «Kindle»?");
    const dialog = title.closest("dialog");
    if (!dialog) throw new Error("no dialog");
    expect(dialog).toHaveAttribute("aria-labelledby", title.id);
    await user.click(within(dialog).getByRole("button", { name: "Revoke", hidden: true }));
    expect(await screen.findByText("No app passwords yet.")).toBeInTheDocument();
    expect(
      server.seen.some(
        (request) =>
          request.method === "DELETE" &&
          request.path === "/api/account/app-passwords/00000000-0000-4000-8000-0000000000aa",
      ),
    ).toBe(true);
  });

  it("speaks Russian", async () => {
    await i18n.changeLanguage("ru");
    renderSection();
    expect(screen.getByRole("heading", { name: "Пароли приложений для читалок" })).toBeVisible();
    expect(screen.getByRole("button", { name: "Создать пароль приложения" })).toBeDisabled();
    expect(
      await screen.findByRole("button", { name: "Отозвать пароль приложения «Kindle»" }),
    ).toBeInTheDocument();
  });
});
