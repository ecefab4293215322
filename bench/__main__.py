"""`python -m bench` (`make bench`): run the benchmarks and update bench/RESULTS.md.

One command on any machine: PostgreSQL/Redis come from DATABASE_URL/REDIS_URL when set, and are
embedded otherwise. Everything the run starts or creates is stopped and removed at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from bench import (
    anchoring,
    evaluation,
    events,
    extract,
    fidelity,
    foundation,
    gateway,
    generate,
    parse,
    pictures,
    webapp,
)
from bench.results import RESULTS, environment_lines, machine, write_section
from bench.services import POOL_SIZE, bench_services, fixture_runtime, production_runtime

WORK_ROOT = Path(__file__).with_name(".work")  # git-ignored


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--output", type=Path, default=RESULTS, help="the results file")
    parser.add_argument("--quick", action="store_true", help="a few requests only (smoke test)")
    parser.add_argument(
        "--suite",
        choices=[
            "all",
            "foundation",
            "parse",
            "extract",
            "eval",
            "generate",
            "fidelity",
            "web",
            "pictures",
            "anchoring",
        ],
        default="all",
        help="which benchmarks",
    )
    args = parser.parse_args(argv)
    scale = 10 if args.quick else 1
    if args.suite in ("all", "parse"):
        run_corpus_suite("parse", parse, args.output, repeats=1 if args.quick else 3)
    if args.suite in ("all", "extract"):
        run_corpus_suite("extract", extract, args.output, repeats=1 if args.quick else 2)
    if args.suite in ("all", "eval") and evaluation.GOLD.exists():
        environment = environment_lines(machine(), "none (offline)")
        body = evaluation.render(evaluation.run_all(), environment)
        write_section("eval", body, args.output)
    if args.suite in ("all", "generate"):
        run_generate_suite(args.output, quick=args.quick)
    if args.suite in ("all", "fidelity"):
        run_fidelity_suite(args.output)
    if args.suite in ("all", "web"):
        run_web_suite(args.output, quick=args.quick)
    if args.suite in ("all", "pictures"):
        run_pictures_suite(args.output, quick=args.quick)
    if args.suite in ("all", "anchoring"):
        results = anchoring.run()
        body = anchoring.render(results, environment_lines(machine(), "none (in-process)"))
        write_section("anchoring", body, args.output)
        print(json.dumps(results, indent=1), file=sys.stderr)
    if args.suite in (
        "parse",
        "extract",
        "eval",
        "generate",
        "fidelity",
        "web",
        "pictures",
        "anchoring",
    ):
        return 0

    with (
        _work_dir() as work,
        bench_services(work) as services,
        fixture_runtime(services, work) as runtime,
    ):
        print(f"services: {services.mode}; runtime at {runtime.url}", file=sys.stderr)
        print("gateway overhead …", file=sys.stderr)
        gateway_results = gateway.run(
            runtime.api_url,
            warmup=300 // scale,
            sequential=1000 // scale,
            per_client=60 // scale,
            in_process_calls=5000 // scale,
        )
        print("event latency …", file=sys.stderr)
        event_results = events.run(
            runtime, work / "records" / "recorder.jsonl", uploads=100 // scale
        )
        gateway_results["worker_handler"] = gateway.worker_durations(runtime.log())
        mode = services.mode

    body = foundation.render(
        gateway_results,
        event_results,
        environment_lines(machine(), mode),
        POOL_SIZE,
    )
    write_section("foundation", body, args.output)
    raw = {"gateway": gateway_results, "events": event_results}
    print(json.dumps(raw, indent=1, default=float))
    for goal in foundation.goals(gateway_results, event_results):
        state = "met" if goal["met"] else "NOT MET"
        print(f"{goal['goal']}: {goal['value']:.2f} ms — {state}", file=sys.stderr)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def run_generate_suite(output: Path, quick: bool) -> None:
    """Issue 6: pipeline overhead per image and throughput, through the product."""
    print("generate …", file=sys.stderr)
    sizes = {"sequential": 10, "burst_size": 16} if quick else {}
    with _work_dir() as work:
        results = generate.run(work, **sizes)
    body = generate.render(results, environment_lines(machine(), results["mode"]))
    write_section("generate", body, output)
    print(json.dumps(results, indent=1, default=float))


def run_fidelity_suite(output: Path) -> None:
    """Issue 11: the parser's text against pandoc's, in-process, on the shared corpus."""
    if not parse.CORPUS.is_dir() or shutil.which("pandoc") is None:
        print(
            "fidelity benchmark skipped: needs the shared corpus beside the repository and"
            " pandoc (apt-get install pandoc)",
            file=sys.stderr,
        )
        return
    print("fidelity …", file=sys.stderr)
    results = fidelity.run()
    body = fidelity.render(results, environment_lines(machine(), "none (in-process parser)"))
    write_section("fidelity", body, output)


def run_web_suite(output: Path, quick: bool) -> None:
    """Issue 10: the web app in Chromium (bundle, chapter paint, page turns, Lighthouse)."""
    if not webapp.ANNA.exists():
        print(
            "web benchmark skipped: the shared corpus is not beside the repository", file=sys.stderr
        )
        return
    webapp.build_spa()
    webapp.install_node_side()
    with _work_dir() as work, production_runtime(work) as (runtime, services):
        print("web …", file=sys.stderr)
        results = webapp.measure(runtime, work, quick=quick)
    body = webapp.render(results, environment_lines(machine(), services.mode))
    write_section("web", body, output)
    print(json.dumps(results, indent=1, default=float))


def run_pictures_suite(output: Path, quick: bool) -> None:
    """Issue 12: marks and figures applied, and Illustrate → picture, in Chromium."""
    if not webapp.ANNA.exists():
        print(
            "pictures benchmark skipped: the shared corpus is not beside the repository",
            file=sys.stderr,
        )
        return
    with _work_dir() as work:
        print("pictures …", file=sys.stderr)
        results = pictures.run(work, quick=quick)
    body = pictures.render(results, environment_lines(machine(), results["mode"]))
    write_section("pictures", body, output)
    print(json.dumps(results, indent=1, default=float))


def run_corpus_suite(name: str, suite: ModuleType, output: Path, repeats: int) -> None:
    """Issue 4's parse or issue 5's extract benchmark: on the shared corpus, through the
    product's own template; skipped when the corpus is not beside the repository."""
    if not parse.CORPUS.is_dir():
        print(
            f"{name} benchmark skipped: the shared corpus is not beside the repository",
            file=sys.stderr,
        )
        return
    with _work_dir() as work, production_runtime(work) as (runtime, services):
        print(f"{name} …", file=sys.stderr)
        results = suite.run(runtime, repeats=repeats)
    body = suite.render(results, environment_lines(machine(), services.mode))
    write_section(name, body, output)
    print(json.dumps(results, indent=1, default=float))


@contextlib.contextmanager
def _work_dir() -> Iterator[Path]:
    """A scratch folder under bench/.work for one run, removed afterwards."""
    work = WORK_ROOT / f"run-{uuid.uuid4().hex[:8]}"
    work.mkdir(parents=True)
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)
        with contextlib.suppress(OSError):
            WORK_ROOT.rmdir()  # only if no other run is using it


if __name__ == "__main__":
    sys.exit(main())
