import { createHash } from "node:crypto";
import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { reader } from "@/test/fixtures";
import {
  type SeenRequest,
  sendError,
  sendJson,
  startServer,
  type TestServer,
} from "@/test/httpServer";
import type { UploadAction } from "../uploadState";

// The page, the API and the store share one origin here, as behind the app's own server.
let server: TestServer;
let uploads: typeof import("./uploads");
let session: typeof import("@/lib/api");
let nextAnswer: (
  request: SeenRequest,
) => "presign" | "existing" | "too_large" | "dead_store" = () => "presign";
let deadStoreUrl = "";

async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 9}/store/gone`;
}

beforeAll(async () => {
  server = await startServer((request, response) => {
    if (request.method === "POST" && request.path === "/api/uploads") {
      const answer = nextAnswer(request);
      if (answer === "too_large") return sendError(response, 413, "file_too_large", { limit: 50 });
      if (answer === "existing")
        return sendJson(response, 200, { book: { id: "old-book" }, existing: true, upload: null });
      const url = answer === "dead_store" ? deadStoreUrl : `${server.origin}/store/object-1?sig=x`;
      return sendJson(response, 201, {
        book: { id: "new-book", state: "uploading" },
        existing: false,
        upload: {
          method: "PUT",
          url,
          headers: { "Content-Type": "application/epub+zip" },
          expires_at: "2030-01-01T00:00:00Z",
        },
      });
    }
    if (request.method === "PUT" && request.path.startsWith("/store/"))
      return void response.writeHead(200).end();
    if (request.method === "DELETE" && request.path === "/api/books/new-book")
      return void response.writeHead(204).end();
    if (request.method === "POST" && request.path === "/api/books") {
      return sendJson(response, 201, {
        book: { id: "multipart-book", state: "uploading" },
        existing: false,
        upload: null,
      });
    }
    return sendError(response, 404, "not_found");
  });
  deadStoreUrl = await closedPortUrl();
  (
    globalThis as unknown as { jsdom: { reconfigure: (o: { url: string }) => void } }
  ).jsdom.reconfigure({
    url: `${server.origin}/`,
  });
  session = await import("@/lib/api");
  uploads = await import("./uploads");
  session.signedIn({ access_token: "token-1", user: reader });
});

afterAll(() => server.close());
afterEach(() => {
  server.seen.length = 0;
  nextAnswer = () => "presign";
});

function book(size: number, name = "book.epub"): File {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 7) % 251;
  return new File([bytes], name, { type: "application/epub+zip" });
}

async function upload(file: File): Promise<UploadAction[]> {
  const actions: UploadAction[] = [];
  await uploads.uploadBook(file, "item", (action) => actions.push(action));
  return actions;
}

describe("uploading a book", () => {
  it("sends the bytes straight to the store with progress, then hands over to processing", async () => {
    const file = book(300_000);
    const actions = await upload(file);
    const types = actions.map((action) => action.type);
    expect(types[0]).toBe("starting");
    expect(types[1]).toBe("started");
    expect(types.at(-1)).toBe("sent");
    const progress = actions
      .filter((action) => action.type === "progress")
      .map((action) => action.loaded);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(file.size);

    const start = server.seen.find((request) => request.path === "/api/uploads");
    const asked = JSON.parse(start!.body.toString());
    expect(asked).toMatchObject({
      filename: "book.epub",
      size: 300_000,
      content_type: "application/epub+zip",
    });
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (asked.sha256 !== undefined) {
      expect(asked.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    }
    expect(start!.headers.authorization).toBe("Bearer token-1");
    const put = server.seen.find((request) => request.method === "PUT");
    expect(put!.headers["content-type"]).toBe("application/epub+zip");
    expect(put!.headers.authorization).toBeUndefined(); // the store must not see our token
    expect(Buffer.compare(put!.body, Buffer.from(bytes))).toBe(0);
  });

  it("sends nothing when the library already holds the same file", async () => {
    nextAnswer = () => "existing";
    const actions = await upload(book(1000));
    expect(actions.at(-1)).toEqual({ type: "duplicate", id: "item", bookId: "old-book" });
    expect(server.seen.some((request) => request.method === "PUT")).toBe(false);
  });

  it("reports the API's refusal by its code", async () => {
    nextAnswer = () => "too_large";
    const actions = await upload(book(1000));
    expect(actions.at(-1)).toMatchObject({
      type: "failed",
      error: { code: "file_too_large", details: { limit: 50 } },
    });
  });

  it("falls back to the multipart route when the store cannot be reached and the file is small", async () => {
    nextAnswer = () => "dead_store";
    const actions = await upload(book(2000, "small.fb2"));
    expect(actions.at(-1)).toEqual({ type: "sent", id: "item", bookId: "multipart-book" });
    const paths = server.seen.map((request) => `${request.method} ${request.path}`);
    expect(paths).toEqual(["POST /api/uploads", "DELETE /api/books/new-book", "POST /api/books"]);
    const multipart = server.seen.at(-1)!;
    expect(multipart.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(multipart.body.toString("latin1")).toContain('name="file"; filename="small.fb2"');
    expect(multipart.headers.authorization).toBe("Bearer token-1");
  });

  it("gives up with a network error for a large file the store cannot take", async () => {
    nextAnswer = () => "dead_store";
    const actions = await upload(book(uploads.MULTIPART_LIMIT + 1));
    expect(actions.at(-1)).toMatchObject({ type: "failed", error: { code: "network_error" } });
    expect(server.seen.some((request) => request.path === "/api/books")).toBe(false);
  });
});
