/**
 * The names to show after "Also called:": the member's other names, each once as the book says
 * it (`names`: «Костя», not «Левину», «Левиным»), without the shown name and forms differing from
 * it only in letter case or spacing. Never the aliases, every surface form the book used: a
 * member with no other name showed its own cases («Вареньке, Вареньку, Варенькой»).
 */
export function otherNames(name: string, names: readonly string[]): string[] {
  const seen = new Set([comparable(name)]);
  const others: string[] = [];
  for (const other of names) {
    const key = comparable(other);
    if (seen.has(key)) continue;
    seen.add(key);
    others.push(other);
  }
  return others;
}

function comparable(name: string): string {
  return name.normalize("NFC").replace(/\s+/g, " ").trim().toLocaleLowerCase();
}
