// @vitest-environment node
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { reader as user } from "@/test/fixtures";
import { sendError, sendJson, startServer, type TestServer } from "@/test/httpServer";
import { createApiClient, unwrap } from "./client";
import { ApiError } from "./errors";
import {
  configureSession,
  getAccessToken,
  getSession,
  refreshSession,
  signedIn,
  signedOut,
} from "./session";

let server: TestServer;
let validToken = "fresh-token";
// "none": the API's answer when there is no session to renew (200 null, not a 401).
let refreshAnswers: "ok" | "fail" | "none" = "ok";
let refreshCount = 0;

beforeAll(async () => {
  server = await startServer(async (request, response) => {
    if (request.path === "/api/auth/refresh") {
      refreshCount += 1;
      await new Promise((resolve) => setTimeout(resolve, 20)); // let concurrent callers pile up
      if (refreshAnswers === "fail") return sendError(response, 401, "refresh_reused");
      if (refreshAnswers === "none") return sendJson(response, 200, null);
      return sendJson(response, 200, {
        access_token: validToken,
        token_type: "bearer",
        expires_in: 900,
        user,
      });
    }
    if (request.path === "/api/auth/login") return sendError(response, 401, "invalid_credentials");
    if (request.path === "/api/auth/register") {
      return sendError(response, 422, "validation_failed", {
        fields: [{ field: "body.email", problem: "not a valid email address" }],
      });
    }
    if (request.path === "/api/uploads") {
      return sendError(response, 429, "rate_limited", { retry_after: 7 }, { "Retry-After": "7" });
    }
    if (request.headers.authorization !== `Bearer ${validToken}`) {
      return sendError(response, 401, "token_invalid");
    }
    if (request.method === "PATCH" && request.path === "/api/auth/me") {
      return sendJson(response, 200, { ...user, ...JSON.parse(request.body.toString()) });
    }
    return sendJson(response, 200, { items: [], total: 0, page: 1, page_size: 24 });
  });
  configureSession({ baseUrl: `${server.origin}/api` });
});

afterAll(() => server.close());

afterEach(() => {
  server.seen.length = 0;
  refreshCount = 0;
  refreshAnswers = "ok";
  validToken = "fresh-token";
  signedOut();
});

const client = () => createApiClient(`${server.origin}/api`);

/** The ApiError a call ends with (the test fails if it succeeds). */
async function failureOf(call: Promise<unknown>): Promise<ApiError> {
  const outcome = await call.then(
    () => null,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(ApiError);
  return outcome as ApiError;
}

describe("the API client", () => {
  it("sends the access token it holds in memory", async () => {
    signedIn({ access_token: "fresh-token", user });
    const page = await unwrap(client().GET("/books", { params: { query: { page: 1 } } }));
    expect(page.total).toBe(0);
    expect(server.seen[0]?.headers.authorization).toBe("Bearer fresh-token");
    expect(refreshCount).toBe(0);
  });

  it("refreshes an expired token once and repeats the request with its body", async () => {
    signedIn({ access_token: "expired-token", user });
    const saved = await unwrap(client().PATCH("/auth/me", { body: { display_name: "Anna" } }));
    expect(saved.display_name).toBe("Anna");
    expect(refreshCount).toBe(1);
    expect(getAccessToken()).toBe("fresh-token");
    const patches = server.seen.filter((request) => request.method === "PATCH");
    expect(patches.map((request) => request.headers.authorization)).toEqual([
      "Bearer expired-token",
      "Bearer fresh-token",
    ]);
    expect(patches[1]?.body.toString()).toBe('{"display_name":"Anna"}');
  });

  it("shares one refresh among requests that fail together (the cookie rotates on use)", async () => {
    signedIn({ access_token: "expired-token", user });
    const api = client();
    await Promise.all(
      [1, 2, 3].map((page) => unwrap(api.GET("/books", { params: { query: { page } } }))),
    );
    expect(refreshCount).toBe(1);
  });

  it.each([
    ["fails", "fail"],
    ["finds none", "none"],
  ] as const)(
    "ends the session when the refresh %s, and reports the first 401",
    async (_, answer) => {
      signedIn({ access_token: "expired-token", user });
      refreshAnswers = answer;
      const failure = await unwrap(client().GET("/books", {})).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ApiError);
      expect((failure as ApiError).status).toBe(401);
      expect(getSession().status).toBe("signed-out");
      expect(getAccessToken()).toBeNull();
      expect(refreshCount).toBe(1);
    },
  );

  it("reads a refresh answered with null as signed out (a visitor without a session)", async () => {
    refreshAnswers = "none";
    expect(await refreshSession()).toBe(false);
    expect(getSession().status).toBe("signed-out");
    expect(getAccessToken()).toBeNull();
    expect(refreshCount).toBe(1);
  });

  it("does not refresh when the password itself is wrong", async () => {
    const failure = await failureOf(
      unwrap(client().POST("/auth/login", { body: { email: "a@b.c", password: "nope" } })),
    );
    expect(failure.code).toBe("invalid_credentials");
    expect(refreshCount).toBe(0);
  });

  it("turns the error shape into a code, a message and the fields by name", async () => {
    const failure = await failureOf(
      unwrap(client().POST("/auth/register", { body: { email: "nope", password: "x" } })),
    );
    expect(failure.status).toBe(422);
    expect(failure.code).toBe("validation_failed");
    expect(failure.message).toBe("validation_failed happened");
    expect(failure.fields).toEqual({ email: "not a valid email address" });
  });

  it("reads how long to wait from Retry-After", async () => {
    signedIn({ access_token: "fresh-token", user });
    const failure = await failureOf(
      unwrap(client().POST("/uploads", { body: { filename: "a.epub", size: 1 } })),
    );
    expect(failure.status).toBe(429);
    expect(failure.retryAfter).toBe(7);
  });
});
