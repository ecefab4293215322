"""Well-known living artists whose names an answer may not carry: their style is their living.

A short list we keep by hand (visual artists and illustrators alive as of 2026, often named in
image prompts); an answer naming any of them is refused and the offline prompt is used.
"""

from __future__ import annotations

import re
import unicodedata

LIVING_ARTISTS: tuple[str, ...] = (
    "Greg Rutkowski",
    "Beeple",
    "Mike Winkelmann",
    "Loish",
    "Lois van Baarle",
    "Ross Tran",
    "Artgerm",
    "Stanley Lau",
    "WLOP",
    "Sakimichan",
    "Ilya Kuvshinov",
    "James Jean",
    "Yoshitaka Amano",
    "Hayao Miyazaki",
    "Makoto Shinkai",
    "Takashi Murakami",
    "Yayoi Kusama",
    "David Hockney",
    "Gerhard Richter",
    "Jeff Koons",
    "Damien Hirst",
    "Banksy",
    "Anish Kapoor",
    "Kara Walker",
    "Cindy Sherman",
    "Ai Weiwei",
    "Shepard Fairey",
    "Alex Ross",
    "Jim Lee",
    "Mike Mignola",
    "Simon Stalenhag",
    "Brian Froud",
    "Alan Lee",
    "John Howe",
    "Ted Nasmith",
    "Boris Vallejo",
    "Julie Bell",
    "Shaun Tan",
    "Chris Van Allsburg",
    "Tony DiTerlizzi",
    "Mark Ryden",
    "Craig Mullins",
    "Jakub Rozalski",
    "Karla Ortiz",
)


def _folded(text: str) -> str:
    """Lower case without accents, so "Stålenhag" and "Stalenhag" are one name."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


_PATTERN = re.compile(
    r"\b(?:" + "|".join(re.escape(_folded(name)) for name in LIVING_ARTISTS) + r")\b"
)


def living_artists_named(text: str) -> list[str]:
    """The listed living artists `text` names (whole words, any case, accents ignored)."""
    return sorted(set(_PATTERN.findall(_folded(text))))
