/** A Chromium trace through CDP, and the main-thread work it shows between two moments. */

const CATEGORIES = [
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "disabled-by-default-devtools.timeline.frame",
  "disabled-by-default-devtools.timeline.stack",
  "toplevel",
  "v8.execute",
  "blink.user_timing",
];

// DevTools' grouping: what its Performance panel calls Scripting, and Rendering's style+layout.
const SCRIPTING = new Set([
  "EventDispatch",
  "FunctionCall",
  "TimerFire",
  "FireAnimationFrame",
  "FireIdleCallback",
  "RunMicrotasks",
  "EvaluateScript",
  "v8.compile",
  "v8.compileModule",
  "v8.evaluateModule",
  "v8.run",
  "V8.Execute",
  "MinorGC",
  "MajorGC",
  "XHRReadyStateChange",
  "XHRLoad",
]);
const STYLE_LAYOUT = new Set(["Layout", "UpdateLayoutTree", "RecalculateStyles", "ScheduleStyleRecalculation"]);
const PAINTING = new Set(["PrePaint", "Paint", "Layerize", "UpdateLayerTree", "Commit", "PaintImage"]);

export async function startTrace(cdp) {
  await cdp.send("Tracing.start", {
    transferMode: "ReturnAsStream",
    traceConfig: { includedCategories: CATEGORIES, recordMode: "recordAsMuchAsPossible" },
  });
}

export async function stopTrace(cdp) {
  const complete = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
  await cdp.send("Tracing.end");
  const { stream } = await complete;
  const chunks = [];
  for (;;) {
    const { data, eof, base64Encoded } = await cdp.send("IO.read", { handle: stream });
    chunks.push(base64Encoded ? Buffer.from(data, "base64").toString("utf8") : data);
    if (eof) break;
  }
  await cdp.send("IO.close", { handle: stream });
  const parsed = JSON.parse(chunks.join(""));
  return Array.isArray(parsed) ? parsed : parsed.traceEvents;
}

/** The renderer main thread that handled the most `type` events (keydown, click, …). */
function mainThreadOf(events, type) {
  const counts = new Map();
  for (const e of events) {
    if (e.name === "EventDispatch" && e.args?.data?.type === type) {
      const key = `${e.pid}:${e.tid}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  if (!best) throw new Error(`the trace has no ${type} events: the page turns were not seen`);
  return best[0];
}

/** Length of the union of intervals (µs) clipped to [start, end). */
function unionLength(intervals, start, end) {
  const clipped = intervals
    .map(([a, b]) => [Math.max(a, start), Math.min(b, end)])
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let total = 0;
  let [curA, curB] = [null, null];
  for (const [a, b] of clipped) {
    if (curB === null || a > curB) {
      if (curB !== null) total += curB - curA;
      [curA, curB] = [a, b];
    } else {
      curB = Math.max(curB, b);
    }
  }
  if (curB !== null) total += curB - curA;
  return total;
}

/** The `count` longest scripting and style/layout events in [start, end), described. */
function longest(onThread, start, end, count) {
  return onThread
    .filter((e) => (SCRIPTING.has(e.name) || STYLE_LAYOUT.has(e.name)) && e.ts >= start && e.ts < end)
    .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
    .slice(0, count)
    .map((e) => ({ what: describe(e), ms: (e.dur ?? 0) / 1000 }));
}

/** Per input event of `type`: main-thread scripting, style+layout, both (overlaps counted once),
 * painting, and the longest task, in ms, until the next such event (or `tailMs` after it). */
/** What a trace event was: its name and, where the trace says, the script or the element. */
function describe(event) {
  const data = event.args?.data ?? event.args?.beginData ?? {};
  if (data.functionName || data.url) {
    const file = String(data.url ?? "").split("/").pop();
    return `${event.name} ${data.functionName || "(anonymous)"} ${file}:${data.lineNumber ?? "?"}`;
  }
  if (data.type) return `${event.name} ${data.type}`;
  if (event.name === "Layout" && event.args?.beginData) {
    const { dirtyObjects, totalObjects } = event.args.beginData;
    const forced = event.args.beginData.stackTrace ? ", forced by script" : "";
    return `Layout ${dirtyObjects ?? "?"} of ${totalObjects ?? "?"} objects${forced}`;
  }
  if (event.name === "UpdateLayoutTree") return `UpdateLayoutTree ${data.elementCount ?? "?"} elements`;
  return event.name;
}

export function workPerInput(events, type, tailMs, { top = 0 } = {}) {
  const thread = mainThreadOf(events, type);
  const onThread = events.filter((e) => `${e.pid}:${e.tid}` === thread && e.ph === "X");
  const inputs = onThread
    .filter((e) => e.name === "EventDispatch" && e.args?.data?.type === type)
    .map((e) => e.ts)
    .sort((a, b) => a - b);
  const spans = (names) =>
    onThread.filter((e) => names.has(e.name)).map((e) => [e.ts, e.ts + (e.dur ?? 0)]);
  const scripting = spans(SCRIPTING);
  const layout = spans(STYLE_LAYOUT);
  const painting = spans(PAINTING);
  const tasks = onThread.filter((e) => e.name === "RunTask" || e.name === "ThreadControllerImpl::RunTask");
  return inputs.map((start, i) => {
    const end = inputs[i + 1] ?? start + tailMs * 1000;
    const inWindow = tasks.filter((t) => t.ts + (t.dur ?? 0) > start && t.ts < end);
    return {
      scripting_ms: unionLength(scripting, start, end) / 1000,
      style_layout_ms: unionLength(layout, start, end) / 1000,
      scripting_layout_ms: unionLength([...scripting, ...layout], start, end) / 1000,
      painting_ms: unionLength(painting, start, end) / 1000,
      longest_task_ms: Math.max(0, ...inWindow.map((t) => (t.dur ?? 0) / 1000)),
      painted: painting.some(([a]) => a >= start && a < end),
      ...(top > 0 ? { top: longest(onThread, start, end, top) } : {}),
    };
  });
}
