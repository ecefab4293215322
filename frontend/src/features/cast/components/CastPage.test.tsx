import { QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import { I18nextProvider } from "react-i18next";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reader } from "@/test/fixtures";
import { sendError, sendJson, startServer, type TestServer } from "@/test/httpServer";

let server: TestServer;
let CastPage: typeof import("./CastPage").default;
let createQueryClient: typeof import("@/app/queryClient").createQueryClient;
let i18n: typeof import("@/lib/i18n").i18n;

const member = (kind: "character" | "place", name: string) => ({
  kind,
  name,
  aliases: [],
  first_chapter: 0,
  first_offset: 0,
  mentions: 3,
  appearance: {},
});

beforeAll(async () => {
  server = await startServer((request, response) => {
    if (request.path === "/api/books/kashtanka") {
      return sendJson(response, 200, {
        id: "kashtanka",
        title: "Каштанка",
        authors: ["Антон Чехов"],
        chapters: [{ index: 0, title: "Дурное поведение", level: 0, linear: true }],
        toc: [],
      });
    }
    if (request.path === "/api/books/kashtanka/cast") {
      return sendJson(response, 200, {
        items: [
          {
            ...member("character", "Каштанка"),
            aliases: ["Каштанка", "Каштанки", "Каштанкой"],
            names: [],
            appearance: { colour: ["рыжий"], animal: ["собака"] },
          },
          {
            ...member("character", "Федор Тимофеич"),
            aliases: ["Федор Тимофеич", "Федора Тимофеича", "Кот"],
            names: ["Кот"],
          },
          member("place", "Москва"),
        ],
        hidden: 0,
        reached_chapter: 0,
      });
    }
    if (request.path === "/api/books/kashtanka/illustrations") {
      return sendJson(response, 200, { items: [], total: 0, page: 1, page_size: 50 });
    }
    return sendError(response, 404, "book_not_found");
  });
  (
    globalThis as unknown as { jsdom: { reconfigure: (o: { url: string }) => void } }
  ).jsdom.reconfigure({ url: `${server.origin}/` });
  ({ default: CastPage } = await import("./CastPage"));
  ({ createQueryClient } = await import("@/app/queryClient"));
  ({ i18n } = await import("@/lib/i18n"));
  (await import("@/lib/api")).signedIn({ access_token: "t", user: reader });
});
afterAll(() => server.close());

async function renderCast(language: string): Promise<HTMLElement> {
  await i18n.changeLanguage(language);
  render(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={createQueryClient()}>
        <MemoryRouter initialEntries={["/books/kashtanka/cast"]}>
          <Routes>
            <Route path="/books/:bookId/cast" element={<CastPage />} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </I18nextProvider>,
  );
  return screen.findByRole("region", { name: language === "ru" ? "Места" : "Places" });
}

describe("the cast page", () => {
  it("adds the member's other names, never the cases of its own", async () => {
    await renderCast("ru");
    const card = (name: string) =>
      screen.getByRole("heading", { level: 3, name }).closest("li") as HTMLElement;
    expect(within(card("Каштанка")).queryByText("Также:")).toBeNull();
    expect(within(card("Каштанка")).queryByText(/Каштанки/)).toBeNull();
    expect(card("Федор Тимофеич").querySelector(".cast-aliases")?.textContent).toBe("Также: Кот");
  });

  it.each([
    ["ru", "Персонажи", "Действующие лица", "Места"],
    ["en", "Cast", "Characters", "Places"],
  ])("(%s) names its sections apart from the page title", async (language, page, who, where) => {
    await renderCast(language);
    const headings = screen.getAllByRole("heading").map((h) => h.textContent);
    expect(headings.filter((text) => text === page)).toHaveLength(1); // said once, not twice
    expect(screen.getByRole("heading", { level: 1, name: page })).toBeInTheDocument();
    const people = screen.getByRole("region", { name: who });
    expect(within(people).getByRole("heading", { level: 3, name: "Каштанка" })).toBeVisible();
    const places = screen.getByRole("region", { name: where });
    expect(within(places).getByRole("heading", { level: 3, name: "Москва" })).toBeVisible();
  });

  it.each([
    ["ru", "Кто это", "Цвета"],
    ["en", "Animal", "Colours"],
  ])("(%s) says first what an animal of the cast is", async (language, animal, colours) => {
    await renderCast(language);
    const card = screen.getByRole("heading", { level: 3, name: "Каштанка" }).closest("li");
    const said = (role: string) =>
      within(card as HTMLElement)
        .getAllByRole(role)
        .map((item) => item.textContent);
    expect(said("term")).toEqual([animal, colours]);
    expect(said("definition")).toEqual(["собака", "рыжий"]);
  });
});
