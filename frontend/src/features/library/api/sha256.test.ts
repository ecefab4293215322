// @vitest-environment node
import { createHash } from "node:crypto";
import { expect, it } from "vitest";
import { sha256Hex } from "./uploads";

it("hashes the file as the server does, so a book already there is not sent again", async () => {
  const bytes = new TextEncoder().encode("<FictionBook>Анна Каренина</FictionBook>");
  expect(await sha256Hex(new Blob([bytes]))).toBe(createHash("sha256").update(bytes).digest("hex"));
});
