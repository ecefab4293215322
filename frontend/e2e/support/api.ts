/** The API as the signed-in person's own client: for the steps a test sets up, not the ones it checks. */
import { expect, type APIRequestContext } from "@playwright/test";
import type { Credentials } from "./account";

export type Api = {
  get: <T = unknown>(path: string) => Promise<T>;
  send: <T = unknown>(method: "POST" | "PUT" | "PATCH", path: string, body?: unknown) => Promise<T>;
};

/** Signs in through the API (the page's context, so the same device address) and calls it. */
export async function apiAs(request: APIRequestContext, credentials: Credentials): Promise<Api> {
  const login = await request.post("/api/auth/login", { data: credentials });
  expect(login.status(), await login.text()).toBe(200);
  const { access_token: token } = (await login.json()) as { access_token: string };
  const headers = { Authorization: `Bearer ${token}` };
  return {
    async get(path) {
      const response = await request.get(`/api${path}`, { headers });
      expect(response.ok(), `GET ${path}: ${await response.text()}`).toBe(true);
      return response.json();
    },
    async send(method, path, body) {
      const response = await request.fetch(`/api${path}`, { method, headers, data: body });
      expect(response.ok(), `${method} ${path}: ${await response.text()}`).toBe(true);
      return response.json();
    },
  };
}

type Book = { id: string; title: string; state: string };

/** Waits until the user's book titled `title` has its passages found (state `ready`). */
export async function readyBook(api: Api, title: string, timeout = 240_000): Promise<Book> {
  let found: Book | undefined;
  await expect
    .poll(
      async () => {
        const page = await api.get<{ items: Book[] }>("/books");
        found = page.items.find((book) => book.title === title);
        return found?.state;
      },
      { message: `“${title}” is ready`, timeout, intervals: [1000] },
    )
    .toBe("ready");
  return found!;
}

export type Description = { id: string; chapter: number; start: number; end: number; text: string };

export async function descriptions(api: Api, bookId: string): Promise<Description[]> {
  const page = await api.get<{ items: Description[] }>(`/books/${bookId}/descriptions?limit=500`);
  return page.items;
}

type Image = { id: string; state: string };

/** Asks for a picture of the passage (the local default provider draws it) and waits for it. */
export async function illustrate(api: Api, descriptionId: string): Promise<Image> {
  const queued = await api.send<Image>("POST", `/descriptions/${descriptionId}/illustrations`, {
    style: "watercolour",
  });
  let image = queued;
  await expect
    .poll(
      async () => {
        image = await api.get<Image>(`/illustrations/${queued.id}`);
        return image.state;
      },
      { message: "the picture is drawn", timeout: 60_000 },
    )
    .toBe("ready");
  return image;
}

/** The paragraph (index in the chapter's `data-p` blocks) that holds `offset`. */
export async function paragraphAt(
  api: Api,
  bookId: string,
  chapter: number,
  offset: number,
): Promise<{ index: number; text: string }> {
  const view = await api.get<{ text: string; paragraphs: [number, number][] }>(
    `/books/${bookId}/chapters/${chapter}`,
  );
  const index = view.paragraphs.findIndex(([start, end]) => start <= offset && offset < end);
  expect(index).toBeGreaterThanOrEqual(0);
  const [start, end] = view.paragraphs[index]!;
  return { index, text: view.text.slice(start, end) };
}
