"""From scored sentences to description spans: one type per span, adjacent sentences of the
same picture merged (up to four sentences within MAX_CHARS, more when they are short), trailing
whitespace left out."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from bookreader.nlp.features import SentenceFeatures

# A portrait often runs over four short sentences ("He was forty. His beard was black. …"); the
# character budget, not the count, keeps spans near the guidelines' "about three sentences".
MAX_SENTENCES = 4
MAX_CHARS = 700
# A run of short sentences («Лошади бежали дружно. Ветер завыл; сделалась метель.») is one
# picture beyond four sentences while it stays within half the character budget.
SHORT_RUN_SENTENCES = 7
SHORT_RUN_CHARS = MAX_CHARS // 2


def fits(sentences: int, chars: int) -> bool:
    """Whether a span of this many sentences and characters is within the limits."""
    if chars > MAX_CHARS:
        return False
    return sentences <= MAX_SENTENCES or (
        sentences <= SHORT_RUN_SENTENCES and chars <= SHORT_RUN_CHARS
    )


@dataclass
class ScoredSentence:
    paragraph: int
    features: SentenceFeatures
    kind: str
    strength: float  # evidence for a picture of `kind` (before calibration)
    votes: dict[str, float] | None = None  # the parse's type votes, when the sentence was parsed
    # offsets of the words the Russian parse tags as verbs («Ветер стих»: not "poetry")
    verbs: frozenset[int] = frozenset()
    # the learned step's verdict: P(a painter could draw it), P(type | pictureable)
    pictureable: float = 0.0
    type_probability: float = 0.0


def parsed_verbs(sentences: Iterable[ScoredSentence]) -> frozenset[int]:
    """The offsets of the words the Russian parse read as verbs in these sentences."""
    return frozenset().union(*(sentence.verbs for sentence in sentences))


@dataclass
class Span:
    start: int
    end: int
    kind: str
    sentences: list[ScoredSentence]

    @property
    def strength(self) -> float:
        best = max(s.strength for s in self.sentences)
        return best + 0.15 * (len(self.sentences) - 1)

    @property
    def split(self) -> float:
        """How close the strongest competing type comes to the span's own type (0 = no rival,
        1 = a tie): split evidence makes the type less certain."""
        totals: dict[str, float] = {}
        for sentence in self.sentences:
            for kind, value in sentence.features.scores.items():
                totals[kind] = totals.get(kind, 0.0) + value
        own = totals.get(self.kind, 0.0)
        rival = max((v for k, v in totals.items() if k != self.kind), default=0.0)
        return min(rival / own, 1.0) if own > 0 else 1.0

    @property
    def purity(self) -> float:
        """Share of the span's visual evidence that supports its own type."""
        own = sum(s.features.scores.get(self.kind, 0.0) for s in self.sentences)
        total = sum(s.features.visual for s in self.sentences)
        return own / total if total else 0.0


def bridge_gaps(
    scored: list[ScoredSentence], is_candidate: Callable[[ScoredSentence], bool]
) -> list[ScoredSentence]:
    """Candidates in text order, plus a single weaker sentence lying between two candidates of
    the same type in one paragraph (it belongs to the same picture)."""
    kept = []
    for position, sentence in enumerate(scored):
        if is_candidate(sentence):
            kept.append(sentence)
            continue
        if 0 < position < len(scored) - 1:
            before, after = scored[position - 1], scored[position + 1]
            if (
                is_candidate(before)
                and is_candidate(after)
                and before.kind == after.kind
                and before.paragraph == sentence.paragraph == after.paragraph
                and sentence.features.quoted < 0.5
            ):
                sentence.kind = before.kind
                kept.append(sentence)
    return kept


def merge_sentences(scored: list[ScoredSentence], text: str) -> list[Span]:
    """Group candidate sentences; `scored` is in text order and holds only candidates."""
    spans: list[Span] = []
    previous: ScoredSentence | None = None
    for sentence in scored:
        current = spans[-1] if spans else None
        adjacent = (
            previous is not None
            and previous.paragraph == sentence.paragraph
            and not text[previous.features.end : sentence.features.start].strip()
        )
        if (
            current is not None
            and adjacent
            and current.kind == sentence.kind
            and fits(len(current.sentences) + 1, sentence.features.end - current.start)
        ):
            current.sentences.append(sentence)
            current.end = sentence.features.end
        else:
            spans.append(
                Span(sentence.features.start, sentence.features.end, sentence.kind, [sentence])
            )
        previous = sentence
    for span in spans:
        while span.end > span.start and text[span.end - 1].isspace():
            span.end -= 1
        while span.start < span.end and text[span.start].isspace():
            span.start += 1
    return spans
