"""The assisted prompt for one picture, or the offline one whenever the assist cannot help."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, Field

from bookreader.errors import BookReaderError
from bookreader.images.assist import budget, cache
from bookreader.images.assist.answer import AssistAnswer
from bookreader.images.assist.client import AssistConfig, ChatClient
from bookreader.images.model import BookContext, ImagePrompt
from bookreader.images.styles import resolve_style
from bookreader.log import log_event
from bookreader.nlp.model import CastMember

log = logging.getLogger(__name__)

# Part of every cache key: a change to the instructions or the schema asks anew.
INSTRUCTIONS_VERSION = "1"
_PASSAGE_LIMIT = 4000  # characters of the passage sent; a description is far shorter
_CHARACTER_LIMIT = 6

SYSTEM = """You write prompts for an image model that illustrates passages of novels.
You get a passage (often Russian), the characters it mentions with what the book says about
their looks, the book (title, authors, year) and the picture's style. Answer with one JSON
object with exactly these fields:
- "subject": what the picture shows, a short English noun phrase (the passage's main thing);
- "prompt": the scene in English, 30 to 900 characters: the subject first with its key
  details, then the setting, then light, weather and period details. Describe only what the
  passage says or clearly implies; name no real artist; no text or captions in the picture;
- "type": one of location, character, atmosphere, object, action. A road that runs or a house
  that stands is a location, not an action; an animal or a thing is not a character;
- "pictureable": false when a painter could not draw the passage (thoughts, dialogue, abstract
  talk), else true.
When the style is monochrome, name no colours."""


class CastEntry(BaseModel):
    name: str
    aliases: list[str] = Field(default_factory=list)
    appearance: dict[str, list[str]] = Field(default_factory=dict)


class AssistRequest(BaseModel):
    """Everything the model is told about one picture (and so the cache key's content)."""

    passage: str
    language: str
    kind: str  # the extractor's type, for the model to confirm or correct
    style: str
    characters: list[CastEntry] = Field(default_factory=list)
    book: BookContext = Field(default_factory=BookContext)

    @classmethod
    def build(
        cls,
        passage: str,
        *,
        language: str,
        kind: str,
        style: str,
        cast: Sequence[CastMember],
        book: BookContext,
    ) -> AssistRequest:
        return cls(
            passage=passage[:_PASSAGE_LIMIT],
            language=language,
            kind=kind,
            style=style,
            characters=[
                CastEntry(name=m.name, aliases=m.aliases[:8], appearance=m.appearance)
                for m in characters_in_passage(passage, cast)[:_CHARACTER_LIMIT]
            ],
            # The file's hash identifies the book, not its period: it stays out of the key.
            book=book.model_copy(update={"sha256": "", "genres": book.genres[:5]}),
        )


@dataclass(frozen=True)
class AssistOutcome:
    prompt: ImagePrompt  # the assisted prompt, or the offline one it fell back to
    answer: AssistAnswer | None  # None: the offline prompt is used
    fallback: str | None = None  # why: "off", "budget", "rate", an error code…

    @property
    def pictureable(self) -> bool:
        return self.answer is None or self.answer.pictureable


def assist_prompt(
    offline: ImagePrompt,
    request: AssistRequest,
    *,
    user_id: str,
    config: AssistConfig,
    chat: ChatClient | None = None,
) -> AssistOutcome:
    """The assist's prompt for the picture, or `offline` with the reason it was not used."""
    if not config.enabled:
        return AssistOutcome(offline, None, "off")
    try:
        return _assist(offline, request, user_id, config, chat)
    except BookReaderError as error:
        return _fallback(offline, error.code, error.message)
    except Exception:  # a picture must never be lost to the assist, whatever broke
        log.exception("prompt assist failed unexpectedly")
        return _fallback(offline, "assist_failed")


def _assist(
    offline: ImagePrompt,
    request: AssistRequest,
    user_id: str,
    config: AssistConfig,
    chat: ChatClient | None,
) -> AssistOutcome:
    key = cache.content_key(INSTRUCTIONS_VERSION, config.model, request.model_dump_json())
    answer = cache.cached_answer(key)
    if answer is None:
        refused = budget.take_call(user_id, config.daily_budget, config.rate_per_minute)
        if refused is not None:
            return _fallback(offline, refused)
        answer = (chat or ChatClient(config)).ask(SYSTEM, _user_message(request))
        cache.remember_answer(key, answer)
    return AssistOutcome(_assisted(offline, answer), answer)


def characters_in_passage(passage: str, cast: Sequence[CastMember]) -> list[CastMember]:
    """The cast's characters the passage names, by any alias, the most mentioned first.

    A stem (the form less its last two letters) is enough, so Russian cases match too."""
    lowered = passage.lower()
    found = []
    for member in cast:
        if member.kind != "character":
            continue
        forms = [f.lower() for f in (member.name, *member.aliases) if len(f.strip()) > 2]
        stems = [f[: max(3, len(f) - 2)] for f in forms]
        if any(stem in lowered for stem in stems):
            found.append(member)
    return sorted(found, key=lambda m: (-m.mentions, m.first_chapter, m.name))


def _assisted(offline: ImagePrompt, answer: AssistAnswer) -> ImagePrompt:
    """The assist's scene inside the style's own opening and technique words; its reading of
    the passage's type (a lighthouse that "rose" is a location) is the picture's kind."""
    preset = resolve_style(offline.style, [])
    scene = answer.prompt.strip().rstrip(".")
    prompt = f"{preset.lead}: {scene}. {preset.suffix}"
    return offline.model_copy(update={"prompt": prompt, "kind": answer.type, "source": "assist"})


def _fallback(offline: ImagePrompt, reason: str, detail: str = "") -> AssistOutcome:
    log_event(log, "prompt assist not used", reason=reason, detail=detail[:200])
    return AssistOutcome(offline, None, reason)


def _user_message(request: AssistRequest) -> str:
    preset = resolve_style(request.style, [])
    book = request.book
    return json.dumps(
        {
            "passage": request.passage,
            "passage_language": request.language,
            "extractor_type": request.kind,
            "book": {
                "title": book.title,
                "authors": book.authors,
                "year": book.year,
                "period": book.era,
            },
            "characters": [c.model_dump() for c in request.characters],
            "style": {"name": preset.name, "monochrome": preset.monochrome},
        },
        ensure_ascii=False,
    )
