"""What the assist must answer, as a JSON schema for the server and a model we validate with."""

from __future__ import annotations

import json
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bookreader.errors import BookReaderError
from bookreader.images.assist.living_artists import living_artists_named

# Bounds on the scene the assist writes (the style's words are added around it).
MIN_PROMPT_CHARS = 30
MAX_PROMPT_CHARS = 900
DescriptionKind = Literal["location", "character", "atmosphere", "object", "action"]


class AssistAnswer(BaseModel):
    """One validated answer: the scene in English, what is depicted, the passage's type, and
    whether a painter could draw it at all."""

    model_config = ConfigDict(extra="ignore")

    subject: str = Field(min_length=2, max_length=200)
    prompt: str = Field(min_length=MIN_PROMPT_CHARS, max_length=MAX_PROMPT_CHARS)
    type: DescriptionKind
    pictureable: bool


# Strict mode (OpenAI structured outputs) needs every property required and no others.
ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "subject": {"type": "string", "description": "what is depicted, a short noun phrase"},
        "prompt": {
            "type": "string",
            "description": "the scene for an image model, in English, subject first",
        },
        "type": {
            "type": "string",
            "enum": ["location", "character", "atmosphere", "object", "action"],
        },
        "pictureable": {"type": "boolean", "description": "could a painter draw this passage"},
    },
    "required": ["subject", "prompt", "type", "pictureable"],
    "additionalProperties": False,
}


def answer_rejected(reason: str) -> BookReaderError:
    return BookReaderError(
        "assist_answer_invalid",
        f"The assist's answer was refused: {reason}",
        502,
        {"reason": reason},
    )


def parse_answer(content: str) -> AssistAnswer:
    """The validated answer from a message's content; `assist_answer_invalid` otherwise."""
    text = content.strip()
    # Some servers wrap JSON mode's answer in a Markdown fence; the JSON inside is what counts.
    fenced = re.fullmatch(r"```(?:json)?\s*(.*?)\s*```", text, re.DOTALL)
    if fenced:
        text = fenced.group(1)
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise answer_rejected("not JSON") from exc
    try:
        answer = AssistAnswer.model_validate(raw)
    except ValidationError as exc:
        fields = sorted({".".join(map(str, e["loc"])) or "answer" for e in exc.errors()})
        raise answer_rejected(f"schema: {', '.join(fields)}") from exc
    named = living_artists_named(f"{answer.subject} {answer.prompt}")
    if named:
        raise answer_rejected(f"names a living artist: {', '.join(named)}")
    if re.search(r"[\u0400-\u04ff]", answer.prompt):
        raise answer_rejected("the prompt is not in English")
    return answer
