"""The "Foundation (issue 2)" section: gateway overhead and event latency, and the goals."""

from __future__ import annotations

from typing import Any

GOAL_OVERHEAD_P99_MS = 10.0  # gateway overhead p99 at 50 concurrent clients
GOAL_EVENT_P50_MS = 50.0  # presigned PUT completed → handler start, p50


def goals(gateway: dict[str, Any], events: dict[str, Any]) -> list[dict[str, Any]]:
    overhead = gateway["concurrent"]["overhead_p99"]
    event_p50 = events["after_put"]["p50"]
    return [
        {
            "goal": f"Gateway overhead p99 at 50 clients < {GOAL_OVERHEAD_P99_MS:g} ms",
            "value": overhead,
            "met": overhead < GOAL_OVERHEAD_P99_MS,
        },
        {
            "goal": f"Event latency p50 (PUT done → handler) < {GOAL_EVENT_P50_MS:g} ms",
            "value": event_p50,
            "met": event_p50 < GOAL_EVENT_P50_MS,
        },
    ]


def render(
    gateway: dict[str, Any], events: dict[str, Any], env_lines: list[str], pool_size: int
) -> str:
    base = gateway["in_process"]
    one, many = gateway["clients_1"], gateway["concurrent"]
    worker = gateway.get("worker_handler")
    lines = [
        "## Foundation (issue 2)",
        "",
        *env_lines,
        f"- Runtime: fixture template (tests/fixtures/runtime), LOCAL_POOL_SIZE={pool_size} "
        "workers per function; the load generator runs on the same machine",
        "",
        "### Gateway overhead — EchoFunction, `GET /items/static`",
        "",
        "| | requests | p50 ms | p99 ms | req/s | overhead p50 ms | overhead p99 ms "
        "| × in-process p50 | × in-process p99 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| in-process `handle(event, None)` | {base['n']} | {base['p50']:.3f} "
        f"| {base['p99']:.3f} | — | — | — | 1 | — |",
    ]
    for label, row in (("gateway, 1 client", one), (f"gateway, {many['clients']} clients", many)):
        lines.append(
            f"| {label} | {row['requests']} | {row['latency']['p50']:.2f} "
            f"| {row['latency']['p99']:.2f} | {row['rps']:.0f} | {row['overhead_p50']:.2f} "
            f"| {row['overhead_p99']:.2f} | {row['ratio_p50']:.0f} | {row['ratio_p99']:.0f} |"
        )
    lines += [
        "",
        "Latency is measured by the client (request sent → body read, keep-alive, one "
        "`requests.Session` per client thread) after a warm-up. Overhead = gateway latency − "
        "in-process handler p50; the ratio columns divide the gateway's p50/p99 by the "
        f"in-process p50. Errors (non-200): {one['errors']} with 1 client, "
        f"{many['errors']} with {many['clients']}.",
    ]
    if worker:
        lines.append(
            f"Handler time measured inside the workers (runtime log): p50 {worker['p50']:.3f} ms, "
            f"p99 {worker['p99']:.3f} ms over {worker['n']} invocations."
        )
    after, start, put = events["after_put"], events["from_put_start"], events["put"]
    lines += [
        "",
        f"### Event latency — presigned PUT → RecorderFunction ({events['uploads']} uploads, "
        "one after another)",
        "",
        "| | p50 ms | p99 ms | min ms | max ms |",
        "|---|---:|---:|---:|---:|",
        _row("PUT returned → handler `at`", after),
        _row("PUT started → handler `at`", start),
        _row("the PUT request itself", put),
        "",
        "Events handled before the client saw the PUT's response (negative latency): "
        f"{events['handled_before_put_returned']} of {events['uploads']}.",
        "",
        "### Goals",
        "",
        "| goal | measured | met |",
        "|---|---:|---|",
    ]
    for goal in goals(gateway, events):
        met = "met" if goal["met"] else "**not met**"
        lines.append(f"| {goal['goal']} | {goal['value']:.2f} ms | {met} |")
    return "\n".join(lines)


def _row(label: str, values: dict[str, float]) -> str:
    return (
        f"| {label} | {values['p50']:.2f} | {values['p99']:.2f} "
        f"| {values['min']:.2f} | {values['max']:.2f} |"
    )
