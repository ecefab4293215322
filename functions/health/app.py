"""Health: liveness, and readiness that really checks PostgreSQL, Redis and the object store."""

from __future__ import annotations

from chalice import Response

from bookreader import db, redis_conn
from bookreader.api.schemas import Live, Ready
from bookreader.config import get_settings
from bookreader.http import BookReaderApp, json_response
from bookreader.storage import get_store

app = BookReaderApp("health")


@app.route("/health", methods=["GET"], public=True)
def live() -> Response:
    return json_response(Live())


@app.route("/health/ready", methods=["GET"], public=True)
def ready() -> Response:
    checks = {"postgres": _check_postgres, "redis": _check_redis, "object_store": _check_store}
    results = {}
    for name, check in checks.items():
        try:
            check()
            results[name] = "ok"
        except Exception as error:
            results[name] = f"down: {type(error).__name__}"
    down = sorted(name for name, state in results.items() if state != "ok")
    if down:
        return json_response(
            {
                "error": {
                    "code": "not_ready",
                    "message": f"not ready: {', '.join(down)} unavailable",
                    "details": {"checks": results, "down": down},
                }
            },
            503,
        )
    return json_response(Ready(checks=results))


def _check_postgres() -> None:
    # A connection of its own, no waiting: the probe answers now, and is never handed a pooled
    # connection that died with a restart.
    with db.connect(get_settings().database_url or "") as conn:
        conn.run("SELECT 1")


def _check_redis() -> None:
    redis_conn.redis_client().ping()


def _check_store() -> None:
    get_store().check(get_settings().books_bucket)
