"""Extract: invoked asynchronously after parse (or by an admin) with {"book_id": …}. Once the
book is ready, a reader who opened it before its passages existed gets the pictures for where
they are (the library itself knows nothing of pictures)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from bookreader.images.auto import illustrate_after_extraction
from bookreader.library.extraction import extract_book
from bookreader.library.lifecycle import BookState
from bookreader.log import configure_function_logging

configure_function_logging()

logger = logging.getLogger("bookreader.extract")
# Two tiny passages that go through every model the extractor and the cast use.
_WARM_UP = {
    "ru": "Над тёмной рекой поднималась луна. Высокий старик в сером кафтане шёл по дороге.",
    "en": "The old grey house stood on the hill. A tall man in a long black coat walked on.",
}
_models_ready = threading.Event()


def _load_models() -> None:
    """Like a Lambda init phase: load the models while the worker waits for its first book,
    so the first chapter is not charged the model loading."""
    try:
        from bookreader.nlp.cast import build_cast
        from bookreader.nlp.extractor import extract_chapter

        for language, text in _WARM_UP.items():
            extract_chapter(0, text, [(0, len(text))], language)
            build_cast([(0, text)], language)
    except Exception:  # a failed warm-up only means the first book loads the models itself
        logger.exception("model warm-up failed")
    finally:
        _models_ready.set()


threading.Thread(target=_load_models, name="warm-up", daemon=True).start()


def handle(event: dict[str, Any], context: Any) -> dict[str, str]:
    _models_ready.wait(timeout=120)
    book_id = str(event["book_id"])
    if extract_book(book_id, after_parse=bool(event.get("after_parse"))) == BookState.READY:
        illustrate_after_extraction(book_id)
    return {"book_id": book_id}
