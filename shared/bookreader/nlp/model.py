"""What extraction produces. Positions are (chapter index, offsets into the chapter's plain
text); `text[start:end]` of the stored chapter is the passage, never rewritten text."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

DescriptionType = Literal["location", "character", "atmosphere", "object", "action"]
DESCRIPTION_TYPES: tuple[DescriptionType, ...] = (
    "location",
    "character",
    "atmosphere",
    "object",
    "action",
)
SUPPORTED_LANGUAGES = ("ru", "en")


class VisualSummary(BaseModel):
    """The picture in lemma form, for prompts: what is shown and how it looks."""

    subjects: list[str] = Field(default_factory=list)  # key noun phrases, lemmas ("серый шинель")
    # colour, material, size, light, clothing, weather, time, season, shape → lemmas
    attributes: dict[str, list[str]] = Field(default_factory=dict)
    characters: list[str] = Field(default_factory=list)  # cast names appearing in the passage


class Description(BaseModel):
    chapter: int
    start: int
    end: int
    type: DescriptionType
    # Calibrated: among descriptions with confidence ≥ 0.8, at least 80 % are correct.
    confidence: float = Field(ge=0, le=1)
    # How strong a picture the passage makes (0..1); the best few per chapter get illustrated.
    priority: float = Field(ge=0, le=1)
    summary: VisualSummary


class CastMember(BaseModel):
    kind: Literal["character", "place"]
    name: str  # the canonical form: nominative, fullest common form ("Иван Петрович")
    aliases: list[str] = Field(default_factory=list)  # surface forms seen («Ивана Петровича»)
    names: list[str] = Field(
        default_factory=list,
        description="The member's other names, each once as the book says it (a Russian one in"
        " the nominative), most said first: «Костя», «Константин Дмитрич», not «Левину»",
    )
    first_chapter: int
    first_offset: int
    mentions: int
    # Appearance gathered from the character descriptions that mention them (lemmas by kind);
    # "animal" says what an animal is, "age" that the book calls the character a child.
    appearance: dict[str, list[str]] = Field(default_factory=dict)
    # The chapters each garment and colour of `appearance` was seen on the character in:
    # clothes are a scene's, so a picture draws them near where the book says them
    # (`images.prompts`). The pictures' own: not in the API.
    worn_in: dict[str, list[int]] = Field(default_factory=dict, exclude=True)
    gender: Literal["masc", "femn"] | None = Field(
        None, description="A character's sex as the book writes it; null when it does not say"
    )
