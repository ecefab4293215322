import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { I18nextProvider } from "react-i18next";
import { MemoryRouter } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reader } from "@/test/fixtures";
import { sendError, sendJson, startServer, type TestServer } from "@/test/httpServer";

let server: TestServer;
let AccountPage: typeof import("./AccountPage").default;
let createQueryClient: typeof import("@/app/queryClient").createQueryClient;
let i18n: typeof import("@/lib/i18n").i18n;
let session: typeof import("@/lib/api");
let profile = { ...reader };

beforeAll(async () => {
  server = await startServer((request, response) => {
    if (request.method === "PATCH" && request.path === "/api/auth/me") {
      profile = { ...profile, ...JSON.parse(request.body.toString()) };
      return sendJson(response, 200, profile);
    }
    if (request.method === "POST" && request.path === "/api/auth/password") {
      const body = JSON.parse(request.body.toString()) as { current_password: string };
      if (body.current_password !== "old secret phrase") {
        return sendError(response, 403, "password_incorrect");
      }
      return sendJson(response, 200, {
        access_token: "after-change",
        token_type: "bearer",
        expires_in: 900,
      });
    }
    if (request.method === "GET" && request.path === "/api/account/app-passwords") {
      return sendJson(response, 200, { items: [] });
    }
    if (request.method === "GET" && request.path === "/api/settings/illustrations") {
      return sendJson(response, 200, {
        auto_illustrate: false,
        chapters_ahead: 2,
        per_chapter: 2,
        style: null,
        quota: { daily_limit: 50, overridden: false, used_today: 0 },
      });
    }
    return sendError(response, 404, "not_found");
  });
  (
    globalThis as unknown as { jsdom: { reconfigure: (o: { url: string }) => void } }
  ).jsdom.reconfigure({
    url: `${server.origin}/account`,
  });
  ({ default: AccountPage } = await import("./AccountPage"));
  ({ createQueryClient } = await import("@/app/queryClient"));
  ({ i18n } = await import("@/lib/i18n"));
  session = await import("@/lib/api");
  await i18n.changeLanguage("en");
});
afterAll(() => server.close());

function renderAccount() {
  session.signedIn({ access_token: "before-change", user: profile });
  render(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={createQueryClient()}>
        <MemoryRouter>
          <AccountPage />
        </MemoryRouter>
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

describe("the account page", () => {
  it("switches the whole interface to the language saved in the profile", async () => {
    const user = userEvent.setup();
    renderAccount();
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Account");
    await user.selectOptions(screen.getByLabelText("Interface language"), "ru");
    expect(await screen.findByLabelText("Язык интерфейса")).toHaveValue("ru");
    expect(screen.getByRole("button", { name: "Сменить пароль" })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe("ru");
    expect(profile.locale).toBe("ru");
    await i18n.changeLanguage("en");
  });

  it("says which password is wrong, and keeps the session with the new token after a change", async () => {
    const user = userEvent.setup();
    renderAccount();
    await user.type(screen.getByLabelText("Current password"), "a guess");
    await user.type(screen.getByLabelText("New password"), "new secret phrase");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByText("The current password is not correct.")).toBeInTheDocument();
    expect(screen.getByLabelText("Current password")).toHaveAccessibleDescription(
      "The current password is not correct.",
    );

    await user.clear(screen.getByLabelText("Current password"));
    await user.type(screen.getByLabelText("Current password"), "old secret phrase");
    await user.click(screen.getByRole("button", { name: "Change password" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Password changed.");
    expect(session.getAccessToken()).toBe("after-change");
    expect(screen.getByLabelText("Current password")).toHaveValue("");
  });
});
