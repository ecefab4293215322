"""The Russian → English lexicon for prompts: what the dictionary inversion reads (senses the
parser used to lose), the derivations that reach words the dictionaries lack, and the coverage
measure split into curation and held-out books."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bookreader.images import lexicon_coverage
from bookreader.images.build_lexicon import lemma_of, senses, translations
from bookreader.images.glossary import (
    glossary_limited_to,
    lexicon,
    translate_phrase,
    translate_word,
    without_glossary,
)
from tests.support.fb2 import fb2


def test_a_reflexive_verb_in_brackets_is_read_and_its_participle_is_not_mooning() -> None:
    read = [t.russian for t in translations(" двигать(ся); передвигать(ся); to move a piece")]
    assert read == ["двигать", "двигаться", "передвигать", "передвигаться"]
    # «греть(ся) на солнце» is a phrase, not the word греться
    assert [t.russian for t in translations(" греть(ся) на солнце")] == []
    assert lexicon()["двигающийся"] == "moving"
    assert translate_phrase("двигающийся тени", "ru") == "moving shadows"


def test_an_example_translated_by_one_word_gives_that_word_the_example() -> None:
    said = translations(" _attr. меховой; fur coat (меховая) шуба; to make the fur fly", "fur")
    assert [(t.russian, t.english) for t in said] == [("меховой", ""), ("шуба", "fur coat")]
    # a verb's example or a phrase without the headword names nothing
    assert translations(" to black boots чистить", "boot") == []
    assert translations(" riding horse сапог", "boot") == []
    assert lexicon()["шуба"] == "fur coat"
    assert translate_phrase("шубы", "ru") == "fur coats"


def test_ordinals_and_hues_written_only_with_a_tone_are_in_the_lexicon() -> None:
    assert lexicon()["третий"] == "third"
    assert lexicon()["пятый"] == "fifth"
    assert "лиловый" in lexicon()  # the dictionary says only «бледно-лиловый», «тёмно-лиловый»


def test_a_colour_named_only_as_a_colour_is_an_adjective() -> None:
    # "dove-colour _n. сизый цвет": the adjective сизый, not a noun
    said = translations(" сизый цвет", "dove-colour")
    assert [(t.russian, t.attributive) for t in said] == [("сизый", True)]
    assert lexicon()["сизый"] == "dove-colour"


def test_no_slur_from_the_dictionary_reaches_the_lexicon() -> None:
    table = lexicon()
    assert table["енот"] == "racoon" and table["негр"] == "black"
    assert table["вязанка"] == "bundle" and table["тормозящий"] == "braking"
    slurs = {"coon", "negro", "nigger", "faggot", "squaw", "chink", "dago", "retarded"}
    assert not slurs & {word for english in table.values() for word in english.split()}


def test_a_headword_is_not_read_as_a_case_of_a_name() -> None:
    # «улей» (beehive) is also the instrumental of the name Уля: the hive is the sense
    assert lemma_of("улей", "NOUN") == "улей"
    assert lexicon()["улей"] == "hive"


def test_a_verbs_trade_sense_lends_no_participle_after_an_everyday_word() -> None:
    # "swift 1. _a. быстрый … 4. _v. _мор. обтягивать": the label holds for the whole block
    body = ["   1. _a.", "      1) скорый, быстрый", "   4. _v. _мор.", "      2) обтягивать"]
    verb = [sense for sense in senses(body) if sense.pos == "v" and translations(sense.text)]
    assert [(sense.labels, sense.later) for sense in verb] == [("_мор.", True)]
    assert "обтянутый" not in lexicon()  # not "swifted"
    assert "гаснущий" not in lexicon()  # not "blowing"
    # an everyday sense wins over a trade's: обугливать is charred, not carbonized
    assert lexicon()["обугленный"] == "charred"
    assert lexicon()["выслушанный"] == "heard"


def test_perfectives_in_the_usual_pairs_lend_their_participles() -> None:
    assert lexicon()["стертый"] == "erased"  # стирать → стереть
    assert lexicon()["обнятый"] == "embraced"  # обнимать → обнять
    assert lexicon()["поднятый"] == "raised"


@pytest.mark.parametrize(
    ("russian", "english"),
    [
        ("скамейка", "bench"),  # -ейка: скамья
        ("ястребиный", "hawk"),  # -иный of an animal: ястреб
        ("лебединый", "swan"),
        ("купецкий", "merchant"),  # -цкий: купец
        ("полчаса", "half-hour"),  # пол- before a genitive
        ("пол-лицо", "half-face"),  # not "sex face"
        ("девятилетний", "nine-year-old"),
        ("одноэтажный", "one-storey"),
        ("каблучок", "heel-piece"),  # -ок with ч for к: каблук
        ("шажок", "step"),  # ж for г: шаг
        ("личико", "face"),  # ч for ц: лицо
        ("старичок", "old"),  # старик
        ("ручонка", "hand"),  # рука
        ("рябоватый", "pock-marked"),  # рябой
        ("узенький", "narrow"),  # a two-letter stem: узкий
        ("незастегнутый", "unclasped"),
        ("серо-зеленый", "grey green"),
        ("черноволосый", "black-haired"),
        ("белоногий", "white-legged"),
        ("полутемный", "half-dark"),
        ("полуулыбка", "half-smile"),
        ("диванчик", "sofa"),
        ("зала", "hall"),  # the older feminine of зал
        ("гостиный", "salon"),  # «гостиная»: the analyser's lemma is the masculine adjective
        ("кавалерийский", "cavalry"),  # a relational adjective of a noun in -ия
        ("суконный", "cloth"),  # the noun's fleeting vowel: сукно
        ("ковровый", "carpet"),  # ковер
    ],
)
def test_words_the_dictionaries_lack_are_read_through_words_they_know(
    russian: str, english: str
) -> None:
    assert russian not in lexicon()
    with without_glossary():  # what the generated vocabulary says (a curated sense may win)
        assert translate_word(russian, "ru") == english


def test_derivations_that_would_guess_are_left_out() -> None:
    assert translate_word("неизъяснимый", "ru") is None  # no known word after не-
    assert translate_word("невидный", "ru") is None  # видный is not a participle: no un-
    with without_glossary():
        assert translate_word("нераспечатанный", "ru") is None  # not "ununsealed"
        # two nouns fit the middle of the compound (грудь, груда): no guess
        assert translate_word("белогрудый", "ru") is None
        assert translate_word("рядчик", "ru") is None  # an agent noun (-чик after д), not a ряд
    assert translate_word("кракозябровый", "ru") is None


def test_a_trait_keeps_its_number() -> None:
    assert translate_phrase("лиловый глаза", "ru") == "lilac eyes"
    assert translate_phrase("лиловый глаз", "ru") == "lilac eye"


def test_without_the_glossary_only_generated_english_is_used() -> None:
    assert translate_word("маяк", "ru") == "lighthouse"  # curated
    with without_glossary():
        assert translate_word("маяк", "ru") == "beacon"  # the inversion's own choice
    assert translate_word("маяк", "ru") == "lighthouse"


def test_the_glossary_limited_to_some_lemmas_keeps_only_their_curated_senses() -> None:
    with glossary_limited_to({"дом", "сабля"}):
        assert translate_word("маяк", "ru") == "beacon"  # not a curated word of those books
    with glossary_limited_to({"маяк"}):
        assert translate_word("маяк", "ru") == "lighthouse"
    assert translate_word("маяк", "ru") == "lighthouse"


def test_a_name_at_the_start_of_a_sentence_is_not_counted_as_a_word() -> None:
    text = (
        "Вчера к ним приехал Облонский с Каштанкой. Утром и Облонский ушел с Каштанкой. "
        "Облонский сел у окна, где стоял Самовар. Каштанка лежала на ковре. "
        "Старый дом стоял у реки. Дом был пуст."
    )
    names = lexicon_coverage.book_names([text])
    # capitalised inside a sentence, never in lower case: names, whatever their analyser lemma
    assert {"облонский", "каштанка"} <= names  # the lemma of «Каштанкой»; «Каштанка» is каштанк
    assert "дом" not in names  # «Дом» opens a sentence, «дом» is written in lower case too
    assert "самовар" not in names  # capitalised once: no evidence of a name
    counted = lexicon_coverage.counted_lemmas(text, names)
    assert "облонский" not in counted and "каштанк" not in counted
    assert counted.count("дом") == 2 and "ковер" in counted
    # without the book's evidence, the sentence-initial names were counted as words
    assert "облонский" in lexicon_coverage.counted_lemmas(text)


PASSAGE = (
    "<section><title><p>Глава первая</p></title>"
    "<p>Старый дом стоял на высоком берегу широкой реки. Его белые стены и зелёная крыша были "
    "видны издалека, а перед крыльцом росли высокие берёзы и старые липы. У ворот стояла "
    "тяжёлая кибитка, и серая лошадь щипала траву у забора.</p></section>"
)


def test_coverage_is_reported_for_curation_and_held_out_books_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("ru-curated.fb2", "ru-held.fb2"):
        (tmp_path / name).write_bytes(fb2(f"<body>{PASSAGE}</body>"))
    monkeypatch.setattr(lexicon_coverage, "HELD_OUT", frozenset({"ru-held.fb2"}))
    assert lexicon_coverage.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    result = json.loads(out.strip().splitlines()[-1])
    assert result["held_out_books"] == ["ru-held.fb2"]
    held, curation = result["held_out"], result["curation"]
    assert held["occurrences"] == curation["occurrences"] > 10
    assert 0 < held["generated_coverage"] <= held["coverage"] <= 1
    assert result["coverage"] == held["coverage"]  # the same text on both sides
    # the glossary's entries for words the curation books hold: here all of them
    assert held["curation_glossary_coverage"] == held["coverage"]
    assert result["names_left_out"] == 0
    # what is left uncovered is listed for the curation books only (one tunes on those)
    held_row = next(line for line in out.splitlines() if line.startswith("| ru-held.fb2"))
    assert "not listed" in held_row
