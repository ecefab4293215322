"""How much of what the gold calls a description the visual vocabularies know, per language.

Over the gold spans of the extract gold's train and dev files (never test), every content noun
and adjective is looked up in the lexicons' visual classes (features.CATEGORIES plus ARTEFACT
and ANIMALS); prints the share that hits per language and the most frequent misses by lemma.
`python -m bench.vocab_coverage [--top 80]`."""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

from bookreader.nlp import lexicon_en, lexicon_ru, pipelines
from bookreader.nlp.features import CATEGORIES
from bookreader.nlp.morph_analyzer import morph
from bookreader.nlp.morphology import en_lemma, ru_parse

GOLD = Path(__file__).parent / "gold" / "extract"
FILES = ("train.jsonl", "dev.jsonl")
CLASSES = (*CATEGORIES, "ARTEFACT", "ANIMALS")
# Determiner-like adjectives name nothing a painter draws (pymorphy3 tags most Russian ones
# Apro/Anum; spaCy calls these English ones ADJ).
_EN_FUNCTION = frozenset(
    {"other", "same", "many", "more", "most", "few", "such", "own", "last", "first", "next"}
    | {"second", "whole", "several", "much", "less"}
)


def _spans() -> list[tuple[str, str]]:
    texts = []
    for name in FILES:
        for line in (GOLD / name).read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            for span in item["spans"]:
                texts.append((item["lang"], item["text"][span["start"] : span["end"]]))
    return texts


def _content_words(language: str, text: str) -> list[tuple[str, str]]:
    """(lemma, NOUN|ADJ) of the span's content nouns and adjectives."""
    if language == "ru":
        words = []
        for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text.lower()):
            lemma, pos = ru_parse(word.replace("ё", "е"))
            tag = morph().parse(word)[0].tag
            if "Apro" in tag or "Anum" in tag:
                continue
            if pos in ("NOUN", "ADJ") and len(lemma) > 2:
                words.append((lemma, pos))
        return words
    parser = pipelines.english_parser()
    words = []
    for token in parser(text):
        if (
            token.pos_ in ("NOUN", "ADJ")
            and len(token.text) > 2
            and token.lower_ not in _EN_FUNCTION
        ):
            lower = token.text.lower()
            lemma = en_lemma(lower)
            words.append((lemma if lemma != lower else token.lemma_.lower(), token.pos_))
    return words


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=60)
    args = parser.parse_args()
    lexicons = {"ru": lexicon_ru, "en": lexicon_en}
    for language in ("ru", "en"):
        lexicon = lexicons[language]
        known = set().union(*(getattr(lexicon, c) for c in CLASSES))
        total = {"NOUN": 0, "ADJ": 0}
        hit = {"NOUN": 0, "ADJ": 0}
        misses: Counter[str] = Counter()
        for lang, text in _spans():
            if lang != language:
                continue
            for lemma, pos in _content_words(language, text):
                total[pos] += 1
                if lemma in known:
                    hit[pos] += 1
                else:
                    misses[f"{lemma}/{pos[0]}"] += 1
        all_hit, all_total = sum(hit.values()), sum(total.values()) or 1
        print(
            f"{language}: {all_hit}/{all_total} = {all_hit / all_total:.3f} of content words hit"
            f" (nouns {hit['NOUN'] / max(total['NOUN'], 1):.3f},"
            f" adjectives {hit['ADJ'] / max(total['ADJ'], 1):.3f})"
        )
        print(
            "  most frequent misses: "
            + ", ".join(f"{w} {n}" for w, n in misses.most_common(args.top))
        )


if __name__ == "__main__":
    main()
