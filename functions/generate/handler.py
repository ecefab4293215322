"""Generate: draws one requested image, invoked asynchronously with {"image_id": …}."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from bookreader.config import get_settings
from bookreader.images.pipeline import generate_image
from bookreader.images.providers import ImageProvider, build_chain
from bookreader.images.settings import provider_config
from bookreader.log import configure_function_logging
from bookreader.metrics import declare_image_providers

configure_function_logging()
# Each configured provider's latency series exists before its first picture (dashboards, alerts).
declare_image_providers(get_settings().image_providers)


@lru_cache(maxsize=1)
def provider_chain() -> ImageProvider:
    """Built once per warm worker: HTTP sessions are reused across images."""
    return build_chain(provider_config(get_settings()))


def handle(event: dict[str, Any], context: Any) -> dict[str, str]:
    # A busy provider raises (503 provider_busy): the event is retried with backoff.
    record = generate_image(str(event["image_id"]), provider_chain())
    return {"image_id": record.id, "state": record.state}
