import { otherNames } from "./otherNames";

describe("the names a cast card adds after the member's own", () => {
  it("leaves out the shown name itself", () => {
    expect(otherNames("Глид", ["Глид"])).toEqual([]);
    expect(otherNames("Евгений Онегин", ["Евгений Онегин", "Онегин"])).toEqual(["Онегин"]);
  });

  it("counts a difference in case or spacing as the same name, once", () => {
    expect(otherNames("Alice", ["ALICE", "Alice ", "the Rabbit", "the  Rabbit"])).toEqual([
      "the Rabbit",
    ]);
  });

  it("keeps the book's other forms in their order", () => {
    expect(otherNames("Каштанка", ["Тётка", "Каштанка", "Каштанки"])).toEqual([
      "Тётка",
      "Каштанки",
    ]);
  });

  it("shows the member's names, each once, never its inflected forms", () => {
    expect(otherNames("Левин", ["Костя", "Константин Дмитрич"])).toEqual([
      "Костя",
      "Константин Дмитрич",
    ]);
    // Варенька has no other name: her cases («Вареньке», «Вареньку») are not names
    expect(otherNames("Варенька", [])).toEqual([]);
  });
});
