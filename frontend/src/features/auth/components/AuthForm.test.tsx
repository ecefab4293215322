import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { I18nextProvider } from "react-i18next";
import { MemoryRouter } from "react-router";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sendError, startServer, type TestServer } from "@/test/httpServer";

let server: TestServer;
let answer: "wrong" | "fields" | "limited" | "guessable" | "lookalike" = "wrong";
let AuthForm: typeof import("./AuthForm").AuthForm;
let i18n: typeof import("@/lib/i18n").i18n;

beforeAll(async () => {
  server = await startServer((_request, response) => {
    if (answer === "fields") {
      return sendError(response, 422, "validation_failed", {
        fields: [{ field: "email", problem: "not a valid email address" }],
      });
    }
    if (answer === "guessable") {
      return sendError(response, 422, "password_weak", { reason: "too_guessable" });
    }
    if (answer === "lookalike") {
      return sendError(response, 422, "email_invalid", {
        reason: "mixed_scripts",
        fields: [{ field: "email", problem: "mixes letters of different alphabets" }],
      });
    }
    if (answer === "limited")
      return sendError(response, 429, "rate_limited", { retry_after: 3 }, { "Retry-After": "3" });
    return sendError(response, 401, "invalid_credentials");
  });
  (
    globalThis as unknown as { jsdom: { reconfigure: (o: { url: string }) => void } }
  ).jsdom.reconfigure({
    url: `${server.origin}/sign-in`,
  });
  ({ AuthForm } = await import("./AuthForm"));
  ({ i18n } = await import("@/lib/i18n"));
  await i18n.changeLanguage("en");
});
afterAll(() => server.close());
afterEach(() => vi.useRealTimers());

function renderSignIn() {
  render(
    <I18nextProvider i18n={i18n}>
      <MemoryRouter>
        <AuthForm mode="sign-in" />
      </MemoryRouter>
    </I18nextProvider>,
  );
}

async function signIn(user = userEvent.setup()) {
  await user.type(screen.getByLabelText("Email"), "reader@example.com");
  await user.type(screen.getByLabelText("Password"), "not the password");
  await user.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("the sign-in form", () => {
  it("says when the email or password is wrong", async () => {
    answer = "wrong";
    renderSignIn();
    await signIn();
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The email or password is not correct.",
    );
    expect(server.seen.at(-1)?.path).toBe("/api/auth/login");
  });

  it("puts a field's problem next to the field", async () => {
    answer = "fields";
    renderSignIn();
    await signIn();
    const email = screen.getByLabelText("Email");
    expect(await screen.findByText("not a valid email address")).toBeInTheDocument();
    expect(email).toHaveAttribute("aria-invalid", "true");
    expect(email).toHaveAccessibleDescription("not a valid email address");
    expect(screen.getByLabelText("Password")).not.toHaveAttribute("aria-invalid");
  });

  it("counts down the rate limit's wait, and lets the reader try again after it", async () => {
    answer = "limited";
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval", "Date"] });
    renderSignIn();
    await signIn(userEvent.setup({ advanceTimers: vi.advanceTimersByTime }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Too many attempts. Try again in 3 seconds.",
    );
    const button = screen.getByRole("button", { name: "Sign in" });
    expect(button).toBeDisabled();
    act(() => vi.advanceTimersByTime(1000));
    expect(screen.getByRole("alert")).toHaveTextContent("Try again in 2 seconds.");
    act(() => vi.advanceTimersByTime(1000));
    expect(screen.getByRole("alert")).toHaveTextContent("Try again in 1 second.");
    act(() => vi.advanceTimersByTime(1000));
    expect(screen.getByRole("alert")).toHaveTextContent("You can try again now.");
    expect(button).toBeEnabled();
  });
});

function renderRegister() {
  render(
    <I18nextProvider i18n={i18n}>
      <MemoryRouter>
        <AuthForm mode="register" />
      </MemoryRouter>
    </I18nextProvider>,
  );
}

async function register() {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText("Email"), "reader@example.com");
  await user.type(screen.getByLabelText("Password"), "Summer2024!");
  await user.click(screen.getByRole("button", { name: "Create account" }));
}

describe("the registration form", () => {
  it("says why a password was refused as easy to guess, next to the password", async () => {
    answer = "guessable";
    renderRegister();
    await register();
    const message =
      "This password is easy to guess. Add another word or two; uncommon words are better.";
    expect(await screen.findByText(message)).toBeInTheDocument();
    expect(screen.getByLabelText("Password")).toHaveAccessibleDescription(message);
  });

  it("explains a lookalike email next to the email", async () => {
    answer = "lookalike";
    renderRegister();
    await register();
    const email = screen.getByLabelText("Email");
    expect(await screen.findByText(/mixes letters of different alphabets/)).toBeInTheDocument();
    expect(email).toHaveAttribute("aria-invalid", "true");
  });
});
