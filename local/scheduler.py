"""Schedule events (`Type: Schedule`, EventBridge rules on AWS): the runtime queues an
EventBridge "Scheduled Event" on the function's stream every interval, so it is delivered with
the same retries and dead letters as any asynchronous invocation.

Several runtimes on one Redis (replicas) fire each tick once: the first to claim the tick's key
queues the event.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import redis

from bookreader import bus, redis_conn
from bookreader.log import log_event
from local.template import PSEUDO_PARAMETERS, FunctionSpec, ScheduleTrigger

logger = logging.getLogger("local.scheduler")


def scheduled_event(function: str, trigger: ScheduleTrigger, now: datetime) -> dict[str, Any]:
    """The event EventBridge sends for a schedule rule (or the rule's fixed `Input`)."""
    if trigger.input is not None:
        return json.loads(trigger.input)
    region, account = PSEUDO_PARAMETERS["AWS::Region"], PSEUDO_PARAMETERS["AWS::AccountId"]
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": account,
        "time": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [f"arn:aws:events:{region}:{account}:rule/{function}{trigger.name}"],
        "detail": {},
    }


class Scheduler:
    def __init__(
        self,
        client: redis.Redis,
        functions: dict[str, FunctionSpec],
        interval_override_s: float | None = None,
    ) -> None:
        self.client = client
        self.interval_override_s = interval_override_s  # tests and demos: every N seconds
        self.entries = [
            (name, trigger)
            for name, spec in functions.items()
            for trigger in spec.schedules
            if trigger.enabled
        ]
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def interval(self, trigger: ScheduleTrigger) -> float:
        return self.interval_override_s or trigger.interval_s

    def start(self) -> None:
        if not self.entries:
            return
        self._thread = threading.Thread(target=self._run, daemon=True, name="scheduler")
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=3)

    def _run(self) -> None:
        # Like a new rule on AWS: the first event one interval after the start.
        due = {id(trigger): time.time() + self.interval(trigger) for _, trigger in self.entries}
        while not self._stop.is_set():
            now = time.time()
            for name, trigger in self.entries:
                if now >= due[id(trigger)]:
                    due[id(trigger)] = now + self.interval(trigger)
                    try:
                        self.fire(name, trigger, now)
                    except (redis.ConnectionError, redis.TimeoutError) as error:
                        log_event(
                            logger,
                            "schedule missed",
                            logging.WARNING,
                            function=name,
                            error=str(error),
                        )
            self._stop.wait(max(0.05, min(due.values()) - time.time()))

    def fire(self, function: str, trigger: ScheduleTrigger, now: float) -> bool:
        """Queue this tick's event unless another runtime already has; whether we did."""
        interval = self.interval(trigger)
        tick = int(now // interval)
        claim = redis_conn.key("schedule", function, trigger.name, str(tick))
        if not self.client.set(claim, "1", nx=True, px=max(1000, int(interval * 2000))):
            return False
        event = scheduled_event(function, trigger, datetime.fromtimestamp(now, UTC))
        bus.enqueue(function, event, source="schedule", client=self.client)
        return True
