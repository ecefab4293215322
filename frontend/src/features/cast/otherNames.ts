/**
 * The names to show after "Also called:": a member's aliases are every surface form the book
 * used, its shown name among them (so a card read «Глид — Также: Глид»); that one, and forms
 * differing from it only in case, are left out.
 */
export function otherNames(name: string, aliases: readonly string[]): string[] {
  const seen = new Set([comparable(name)]);
  const others: string[] = [];
  for (const alias of aliases) {
    const key = comparable(alias);
    if (seen.has(key)) continue;
    seen.add(key);
    others.push(alias);
  }
  return others;
}

function comparable(name: string): string {
  return name.normalize("NFC").replace(/\s+/g, " ").trim().toLocaleLowerCase();
}
