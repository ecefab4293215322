import { picturesIn } from "./saveBook";

const USER = "7d1c7c52-7d33-4a39-9d54-4f0bde0f0a01";
const BOOK = "0b6f7a52-0c8e-4c55-9f1e-2f7d9a9a0001";

describe("picturesIn", () => {
  it("finds the stored pictures a chapter shows, with their presigned query", () => {
    const stored = `/_local/objects/books-bucket/books/${USER}/${BOOK}/images/fig-1.png`;
    const html = [
      `<p data-p="0">Text</p><img alt="" src="${stored}?expires=99&amp;sig=abc">`,
      `<img src="data:image/png;base64,AAAA">`,
      `<img class="x" src="https://elsewhere.example/picture.png">`,
    ].join("");
    const found = picturesIn(html, "http://127.0.0.1:8000/books/x/read");
    expect(found.map((url) => url.href)).toEqual([
      `http://127.0.0.1:8000${stored}?expires=99&sig=abc`,
    ]);
  });
});
