/** Lighthouse 12 on a signed-in page: it drives the benchmark's own Chromium through the
 * DevTools port, in the browser's default context, where the refresh cookie already is. */
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { clearCache } from "./browser.mjs";

const CATEGORIES = ["performance", "accessibility", "best-practices"];
const METRICS = [
  "first-contentful-paint",
  "largest-contentful-paint",
  "total-blocking-time",
  "cumulative-layout-shift",
  "speed-index",
];

/** The audits that cost the most points in a category: weight × what is missing. */
function failing(lhr, category, top) {
  return lhr.categories[category].auditRefs
    .map((ref) => ({ ref, audit: lhr.audits[ref.id] }))
    .filter(({ audit }) => audit && audit.score !== null && audit.score < 1)
    .filter(({ audit }) => !["notApplicable", "manual", "informative"].includes(audit.scoreDisplayMode))
    .map(({ ref, audit }) => ({
      id: ref.id,
      title: audit.title,
      score: audit.score,
      weight: ref.weight,
      display: audit.displayValue ?? "",
      items: (audit.details?.items ?? [])
        .map((item) => summarise(item))
        .filter((text) => text)
        .slice(0, 3),
    }))
    .sort((a, b) => b.weight * (1 - b.score) - a.weight * (1 - a.score) || a.score - b.score)
    .slice(0, top);
}

/** Performance diagnostics and insights that failed (they carry no weight in the score but
 * name the cause: forced reflow, unused JavaScript, main-thread work, …). */
function diagnostics(lhr, top) {
  return lhr.categories.performance.auditRefs
    .filter((ref) => ref.weight === 0)
    .map((ref) => lhr.audits[ref.id])
    .filter((audit) => audit && audit.score !== null && audit.score < 0.9)
    .filter((audit) => !["notApplicable", "manual", "informative"].includes(audit.scoreDisplayMode))
    .sort((a, b) => a.score - b.score)
    .slice(0, top)
    .map((audit) => ({ id: audit.id, title: audit.title, score: audit.score, display: audit.displayValue ?? "" }));
}

function summarise(item) {
  const node = item.node ?? item.source?.node;
  if (node) return `${node.selector ?? ""} ${node.explanation ?? node.snippet ?? ""}`.trim().slice(0, 240);
  if (item.url) return String(item.url).replace(/^https?:\/\/[^/]+/, "");
  if (item.label) return String(item.label).slice(0, 240);
  return null;
}

export async function audit(context, port, url, formFactor) {
  await clearCache(context);
  const flags = {
    port,
    output: "json",
    logLevel: "error",
    onlyCategories: CATEGORIES,
    // Keep the session cookie (a reset would sign the reader out); the cache is emptied above.
    disableStorageReset: true,
  };
  const result = await lighthouse(url, flags, formFactor === "desktop" ? desktopConfig : undefined);
  const lhr = result.lhr;
  if (lhr.runtimeError) throw new Error(`Lighthouse: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  if (new URL(lhr.finalDisplayedUrl).pathname === "/sign-in") {
    throw new Error("Lighthouse saw the sign-in page: the session did not carry over");
  }
  return {
    form_factor: formFactor,
    requested_url: lhr.requestedUrl,
    final_url: lhr.finalDisplayedUrl,
    warnings: lhr.runWarnings,
    scores: Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c].score ?? 0) * 100)])),
    metrics: Object.fromEntries(METRICS.map((m) => [m, lhr.audits[m]?.displayValue ?? null])),
    failing: Object.fromEntries(CATEGORIES.map((c) => [c, failing(lhr, c, 5)])),
    diagnostics: diagnostics(lhr, 5),
  };
}
