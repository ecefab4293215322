"""Noun classes the type model reads (vectors.py): things a painter draws for their look
(furniture, vehicles, weapons, vessels, food, jewellery, letters and papers, tools, ornaments)
and nouns naming a person without a name ("the old man", «старуха»). Matched on lemmas
(Russian) or lower-cased forms with a plural ending stripped (English), so the English lists
hold base forms only. They complement the lexicons' ARTEFACT and ANIMALS lists."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


THING = {
    "en": _words("""
table chair stool bench sofa couch settee bed bedstead hammock cradle desk cupboard wardrobe
shelf bookcase sideboard dresser chest drawer mirror looking-glass carpet rug curtain
cushion pillow blanket quilt tablecloth cloth screen lamp chandelier candlestick fireboard
mantelpiece stove grate fender throne
carriage cart wagon coach cab hansom brougham gig sledge sleigh barrow wheelbarrow boat
canoe ship skiff raft cart-wheel wheel saddle bridle harness rein stirrup
sword sabre saber dagger knife pistol revolver gun musket rifle spear lance harpoon axe
hatchet bow arrow shield club whip cannon helmet armour armor plume
jar bottle flask jug mug cup goblet glass bowl dish plate pot kettle cauldron pan spoon
fork tray basket box casket chest coffer trunk bag purse wallet barrel cask keg bucket
pail tub urn vase teapot decanter
bread loaf cake pie tart biscuit cheese ham meat soup tea coffee wine fruit apple orange
grape fig date dates
ring brooch locket jewel pearl diamond sapphire ruby emerald necklace bracelet earring
crown sceptre medal coin gem tassel ribbon fan
letter note envelope paper papers document parchment scroll book volume map picture
portrait painting photograph card ticket newspaper
key lock clock watch compass telescope instrument tool hammer saw nail rope chain line
anchor bell pipe lantern candle torch statue figure figurine doll toy ball violin fiddle
guitar harp drum trumpet horn flute gallows
"""),
    "ru": _words("""
стол стул табурет табуретка скамья скамейка лавка диван софа кушетка кресло кровать постель
колыбель люлька гамак шкаф комод полка этажерка сундук ящик зеркало ковер занавес занавеска
штора подушка одеяло скатерть ширма лампа люстра подсвечник канделябр печь печка камин
трон киот икона
карета телега повозка бричка коляска дрожки кибитка тарантас сани санки возок воз арба
лодка челн ладья судно корабль плот колесо седло узда сбруя вожжи стремя упряжь
сабля шашка меч кинжал нож пистолет ружье мушкет пика копье топор лук стрела щит плеть
кнут нагайка пушка шлем латы кольчуга панцирь султан
кувшин бутылка фляга кружка чашка стакан рюмка бокал кубок чаша миска тарелка блюдо
горшок котел чайник самовар ложка вилка поднос корзина мешок кошелек бочка бочонок ведро
кадка ваза урна графин лохань шкатулка ларец
хлеб каравай пирог калач булка сыр ветчина мясо суп щи чай кофе вино водка икра селедка
плод яблоко груша виноград закуска
перстень кольцо брошь медальон драгоценность жемчуг алмаз бриллиант сапфир рубин изумруд
ожерелье браслет серьга корона скипетр медаль монета лента кисть бахрома веер
письмо записка конверт бумага документ свиток пергамент книга карта картина портрет
карточка билет газета
ключ замок часы компас инструмент молот молоток пила гвоздь веревка цепь якорь колокол
колокольчик трубка фонарь свеча факел статуя кукла игрушка мяч скрипка гитара арфа
барабан труба виселица прибор
"""),
}
PERSON = {
    "en": _words("""
man men woman women boy girl child children lad lass gentleman gentlemen lady ladies
fellow youth maid maiden old stranger savage sailor soldier officer captain king queen
prince princess knight lord duke duchess emperor servant footman coachman driver cook
peasant priest doctor mother father son daughter wife husband brother sister uncle aunt
baby dwarf giant fairy witch crowd people figure
"""),
    "ru": _words("""
человек люди мужчина женщина мальчик девочка ребенок дети парень девушка юноша господин
барин барыня дама старик старуха старушка незнакомец солдат офицер капитан казак король
королева князь княгиня княжна граф графиня царь слуга лакей кучер ямщик повар мужик баба
крестьянин священник поп доктор мать отец сын дочь жена муж брат сестра дядя тетка
младенец карлик великан толпа народ фигура хозяин хозяйка
"""),
}


def member(lemma: str, vocabulary: frozenset[str], language: str) -> bool:
    """The lemma or, in English, its form without a plural ending is listed."""
    if lemma in vocabulary:
        return True
    if language != "en" or not lemma.endswith("s"):
        return False
    return lemma[:-1] in vocabulary or (lemma.endswith("es") and lemma[:-2] in vocabulary)
