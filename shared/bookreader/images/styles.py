"""Style presets (how an illustration is painted) and the default style for a book's genre.

Data, not logic: each preset is its prompt suffix, its negative additions and its default size;
genre keywords (FB2 genre codes, EPUB subjects) map to a preset in order, first match wins."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bookreader.errors import BookReaderError


@dataclass(frozen=True)
class StylePreset:
    name: str
    lead: str  # opens the prompt: "Watercolour illustration"
    suffix: str  # closes the prompt: technique words
    negative: tuple[str, ...]  # added to the common negative prompt
    default_size: tuple[int, int]  # width, height when the description type does not decide
    # Drawn without colour (engraving, ink): the prompt names no colour and no palette.
    monochrome: bool = False


STYLES: dict[str, StylePreset] = {
    preset.name: preset
    for preset in (
        StylePreset(
            "watercolour",
            "Watercolour book illustration",
            "soft watercolour washes, paper texture, delicate lines",
            ("harsh digital rendering", "3d render"),
            (768, 1024),
        ),
        StylePreset(
            "ink sketch",
            "Ink sketch book illustration",
            "pen and ink, cross-hatching, monochrome, expressive linework",
            ("colour", "photograph", "3d render"),
            (768, 1024),
            monochrome=True,
        ),
        StylePreset(
            "oil painting",
            "Oil painting",
            "classical oil on canvas, rich brushwork, museum quality",
            ("cartoon", "anime", "flat vector"),
            (1024, 768),
        ),
        StylePreset(
            "engraving",
            "Antique engraving",
            "steel engraving, fine line hatching, black and white, 19th-century book plate",
            ("colour", "photograph", "3d render"),
            (768, 1024),
            monochrome=True,
        ),
        StylePreset(
            "anime",
            "Anime illustration",
            "anime style, clean cel shading, expressive eyes, vibrant colours",
            ("photograph", "realistic skin texture", "3d render"),
            (768, 1024),
        ),
        StylePreset(
            "photo-real",
            "Cinematic photo-realistic scene",
            "photorealistic, natural lighting, 35mm film, sharp focus",
            ("cartoon", "anime", "painting", "illustration"),
            (1024, 768),
        ),
    )
}
DEFAULT_STYLE = "watercolour"

# (keyword in a lower-cased genre code or subject, preset); first match over the book's genres.
GENRE_STYLES: tuple[tuple[str, str], ...] = (
    ("manga", "anime"),
    ("anime", "anime"),
    ("comics", "anime"),
    ("fairy", "watercolour"),
    ("child", "watercolour"),
    ("juvenile", "watercolour"),
    ("tale", "watercolour"),
    ("poetry", "watercolour"),
    ("poem", "watercolour"),
    ("horror", "ink sketch"),
    ("det", "ink sketch"),  # FB2 det_*, detective; EPUB "Detective and mystery stories"
    ("mystery", "ink sketch"),
    ("thriller", "ink sketch"),
    ("sf_fantasy", "oil painting"),
    ("fantasy", "oil painting"),
    ("sf", "photo-real"),  # FB2 sf, sf_cyberpunk, sf_space…
    ("science fiction", "photo-real"),
    ("history", "engraving"),
    ("historical", "engraving"),
    ("adv", "engraving"),  # FB2 adventure, adv_history, adv_maritime
    ("sea stories", "engraving"),
    ("classic", "oil painting"),
    ("prose", "oil painting"),
    ("fiction", "oil painting"),
)


def resolve_style(style: str | None, genres: list[str]) -> StylePreset:
    """An explicit style wins; otherwise the genre's default; unknown names are a 422."""
    if style is not None:
        preset = STYLES.get(style.strip().lower())
        if preset is None:
            raise BookReaderError(
                "style_unknown",
                f"Unknown style {style!r}; choose one of: {', '.join(STYLES)}.",
                422,
                {"style": style, "allowed": list(STYLES)},
            )
        return preset
    return STYLES[default_style(genres)]


def default_style(genres: list[str]) -> str:
    """The preset for the first genre keyword that starts a word (or the code) of a genre:
    "det" matches `det_classic` and "Detective stories", never "student"."""
    for keyword, name in GENRE_STYLES:
        for genre in genres:
            lowered = genre.lower()
            words = re.split(r"[^a-z0-9]+", lowered)
            if lowered.startswith(keyword) or any(word.startswith(keyword) for word in words):
                return name
    return DEFAULT_STYLE
