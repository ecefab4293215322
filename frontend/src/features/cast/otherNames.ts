/**
 * The names to show after "Also called:": the member's other names, each once as the book says
 * it (`names`: «Костя», not «Левину», «Левиным»). A cast built before members had them has only
 * the aliases, every surface form the book used, its shown name among them (so a card read «Глид
 * — Также: Глид»); that one, and forms differing from it only in letter case, are left out.
 */
export function otherNames(
  name: string,
  aliases: readonly string[],
  names: readonly string[] = [],
): string[] {
  const seen = new Set([comparable(name)]);
  const others: string[] = [];
  for (const alias of names.length > 0 ? names : aliases) {
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
