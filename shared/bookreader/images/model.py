"""What the images package passes around: the prompt for a provider and the book it serves."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

# Who wrote the prompt: the offline builder, or the language-model assist (images.assist).
PromptSource = Literal["offline", "assist"]


class ImagePrompt(BaseModel):
    """Everything a provider needs to draw one illustration; deterministic for its inputs."""

    prompt: str
    negative_prompt: str = ""
    width: int = 768
    height: int = 1024
    seed: int = 0
    style: str = "watercolour"
    kind: str = ""  # description type: location, character, atmosphere, object, action
    # Lemma attributes in English by kind (colour, light, time, …), as put into the prompt.
    attributes: dict[str, list[str]] = Field(default_factory=dict)
    # Recorded with the picture; not part of the picture's identity (pipeline.cache_key).
    source: PromptSource = "offline"


class BookContext(BaseModel):
    """What the prompt builder knows about the book: period, genre and a stable identity."""

    title: str = ""
    authors: list[str] = Field(default_factory=list)
    year: int | None = None  # publication or writing year when known
    era: str = ""  # explicit period hint ("1812", "Victorian England"); wins over guesses
    genres: list[str] = Field(default_factory=list)  # FB2 genre codes, EPUB subjects
    language: str = ""  # "ru" | "en"
    sha256: str = ""  # of the book file; seeds derive from it
