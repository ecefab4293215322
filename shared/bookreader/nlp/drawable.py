"""Whether an English noun names something a painter could show: the test the English
summaries apply to their nouns, and the prompts to the English of Russian ones. Only the
vocabularies are needed, so the image functions use it without the NLP models."""

from __future__ import annotations

from bookreader.nlp import lexicon_en

_THING_VOCABULARIES = ("PLACE", "BODY", "CLOTHING", "SKY_WEATHER", "ARTEFACT", "ANIMALS")
_EN_ABSTRACT_SUFFIXES = (
    "ness",
    "tion",
    "sion",
    "ity",
    "ism",
    "ment",
    "ance",
    "ence",
    "ship",
    "acy",
)
# Concrete nouns with an abstract-looking suffix that the visual vocabularies do not list.
_EN_CONCRETE_SUFFIXED = frozenset(
    " ".join(
        (
            "entrance pavement garment ornament monument apartment battlement compartment",
            "embankment encampment parchment instrument fragment mansion station lantern",
            "building stocking painting covering dwelling crossing clearing",
            "vestment raiment regiment detachment settlement implement document ointment",
            "tenement plantation fortification vegetation inscription decoration procession",
            "congregation residence ambulance illumination partition",
        )
    ).split()
)
_EN_NOT_DRAWN = frozenset(
    " ".join(
        (
            "time way moment thing something nothing anything everything use sort kind part",
            "side end lot number instant minute hour day week year while sight view glance",
            "look silence sound noise voice word smell life death soul mind thought idea",
            "reason question matter fact point manner middle course order air distance",
            "direction attention effort step turn rest whole half top bottom edge other",
            "people difficulty trouble chance need hope concern reserve interest sense effect",
            "result nature length width height depth inch mile dint ado piece style care",
            "colour color hue tint one none latter former means mean sake purpose mercy",
            "rate speed haste hurry courage adventure plenty tone resource scrutiny keeping",
            "remainder interval pair dozen hundred thousand million humor humour sport fun",
            "danger subject warning birthday world dream reverie token delicacy neighborhood",
            "neighbourhood season self success command oath account second constraint force",
            "secret text beauty scene story might intricacy alarm sob sigh groan furlong fathom",
            "breadth labour labor pleasure justice help age act fashion escape will war news habit",
            "aspect glory horror custom talk strength voyage campaign salary wages profit",
            # read off the words English prompts of four books list as things
            "round front centre center object space right start notice deal calling",
            "search aye strain contrast breath sleep scream shriek laugh laughter spite fro",
            "fantasy example toilet",  # "the rest of his toilet": his dressing, no WC
            "sir madam",  # "If you please, sir": whom one speaks to, not a third figure
            # read off the English of four Russian books' prompts: a time, a direction, a
            # faculty or an adjective the dictionary gives as a noun («срок», «пост», «малый»)
            "term period fast old small east west north south weight faith plan outcome fuss",
            "supply run running walking stop jolt january february april june july august",
            "september october november december monday tuesday wednesday thursday friday",
            "saturday sunday easter christmas",
            # and of four English books'
            "name rush angle chapter woe peril play outs reach size bearing midst wit commerce",
            "mankind latitude longitude",
        )
    ).split()
)


def drawable_english(lemma: str) -> bool:
    """A vocabulary's thing, or a noun that is no abstract, inner, time or speech word and has
    no abstract suffix ("presence", "clarity") unless listed as concrete ("pavement")."""
    if any(lemma in getattr(lexicon_en, name) for name in _THING_VOCABULARIES):
        return True
    if lemma in _EN_NOT_DRAWN or len(lemma) < 2 or not lemma.isalpha():
        return False
    if any(lemma in getattr(lexicon_en, name) for name in ("ABSTRACT", "THOUGHT", "SPEECH")):
        return False
    if lemma in lexicon_en.INNER_STATE or lemma in lexicon_en.TIME_SEASON:
        return False
    if lemma in _EN_CONCRETE_SUFFIXED:
        return True
    gerund = lemma.endswith("ing") and len(lemma) >= 8  # "wriggling"; not "ring", "pudding"
    return not (gerund or lemma.endswith(_EN_ABSTRACT_SUFFIXES))
