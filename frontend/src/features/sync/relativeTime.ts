/** "5 minutes ago", "yesterday", in the interface's language. */
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["second", 60],
  ["minute", 60],
  ["hour", 24],
  ["day", 7],
  ["week", 4.35],
  ["month", 12],
  ["year", Number.POSITIVE_INFINITY],
];

export function relativeTime(when: Date, now: Date, language: string): string {
  const format = new Intl.RelativeTimeFormat(language, { numeric: "auto" });
  let amount = (when.getTime() - now.getTime()) / 1000;
  // A clock a little ahead of this one still reads as "now", never "in 3 seconds".
  if (Math.abs(amount) < 45) return format.format(0, "second");
  for (const [unit, size] of STEPS) {
    if (Math.abs(amount) < size) return format.format(Math.round(amount), unit);
    amount /= size;
  }
  return format.format(Math.round(amount), "year");
}
