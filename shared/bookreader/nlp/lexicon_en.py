"""English visual vocabularies (base forms; `morphology.en_forms` adds regular inflections).

Curated from the annotation guidelines and general knowledge of English prose; nothing here
comes from the gold set."""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


PLACE = _words("""
house cottage hut cabin room chamber hall parlour parlor kitchen cellar attic garret
corridor passage staircase stair stairs landing street lane alley road highway path track
square town village city castle palace tower church chapel cathedral spire steeple wall
window door doorway porch gate fence hedge garden orchard park lawn field meadow pasture
forest wood woods grove thicket hill mountain peak valley glen ravine gorge cliff rock crag
river stream brook creek lake pond pool sea ocean shore beach coast bay harbour harbor
island bridge quay wharf dock pier deck cabin mast hold ship inn tavern shop street yard
courtyard barn stable shed mill farm farmhouse cottage roof ceiling floor corner hearth
fireplace chimney mantelpiece table chair sofa couch bed wardrobe cupboard shelf mirror
carpet rug curtain tapestry portrait picture lamp candlestick chandelier desk bookcase
window-sill balcony terrace veranda column pillar fountain plain desert moor heath
marsh swamp bog prairie steppe horizon landscape slope summit ridge cave cavern grotto
ruin ruins cemetery churchyard graveyard market station platform railway avenue drive
lodge mansion villa manor estate grounds wing gallery hallway lobby office study library
drawing-room dining-room bedroom nursery tree trees oak elm beech pine fir birch willow
poplar chestnut bush bushes shrub shrubbery grass reeds rushes sand pebble boulder
windowsill sill window-pane shutter casement lattice threshold doorstep banister
bannister railing balustrade stove oven grate mantel mantelshelf alcove niche rafter
gable eaves skylight wainscot panelling paneling wallpaper bench stool armchair settee
ottoman sideboard dresser bureau cabinet commode bedstead cot cradle hammock washstand bookshelf
pantry scullery larder loft hayloft trough flowerbed flower-bed
flower blossom lily tulip daisy poppy geranium carnation lilac jasmine heather
ivy fern moss lichen weeds nettle thistle dandelion clover buttercup primrose hyacinth
honeysuckle hawthorn bramble briar thorn vine creeper mushroom toadstool sunflower lavender
rosebush maple larch cedar cypress yew alder aspen hazel holly laurel linden sycamore spruce
juniper rowan acacia magnolia sedge bulrush cornfield wheat rye barley oats hay haystack sheaf
stubble vineyard
""")

BODY = _words("""
face eye eyes nose mouth lip lips cheek cheeks forehead brow brows eyebrow eyelash chin
beard moustache mustache whisker whiskers hair curl curls ringlet head neck shoulder
shoulders chest breast back arm arms hand hands fist finger fingers leg legs knee knees
figure frame stature skin complexion wrinkle wrinkles tooth teeth ear ears temple jaw
features countenance paw paws tail snout muzzle fur mane beak feather feathers wing wings
horn horns hoof hooves pupil eyelid scar freckle freckles
antler claw talon fang tusk plumage
""")

CLOTHING = _words("""
dress gown frock coat overcoat greatcoat waistcoat jacket cloak cape shawl scarf hat cap
bonnet hood helmet boot boots shoe shoes slipper slippers stocking stockings glove gloves
belt sash tie cravat collar sleeve sleeves vest robe uniform epaulette button buttons ring
earring necklace beads spectacles glasses monocle cane stick umbrella apron petticoat skirt
trousers breeches shirt blouse veil ribbon bow frock-coat top-hat tunic kilt jersey
sweater pea-jacket tarpaulin handkerchief wig crown
clothes oilskin sou'wester bracelet pendant amulet tiara diadem
""")

# Worn only by women in the books' times: never on a man's figure (a Holmes "in a dress").
WOMENS_CLOTHING = _words("""
dress gown frock bonnet petticoat skirt blouse veil
""")
# Worn only by men in the books' times: never on a woman's figure.
MENS_CLOTHING = _words("""
waistcoat frock-coat tailcoat cravat epaulette breeches
""")
# What is worn on the head: a figure wears one of them at a time.
HEADWEAR = _words("""
hat cap bonnet hood helmet top-hat wig crown tiara diadem sou'wester headscarf turban
""")
# What is worn on the body, and what over it: a figure wears one of each at a time.
BODY_GARMENTS = _words("""
dress gown frock robe uniform frock-coat
""")
OVERCOATS = _words("""
overcoat greatcoat cloak cape pea-jacket
""")
# What a figure wears on the face: worn in every scene, like the face itself (Пьер's spectacles).
EYEWEAR = _words("""
spectacles glasses eyeglasses monocle pince-nez
""")
# Parts and trimmings of a garment, and rings and earrings: not what a figure is known by.
CLOTHING_PARTS = _words("""
collar sleeve sleeves button buttons ribbon bow ring earring
""")

BUILD = _words("""
tall short thin lean gaunt fat stout plump portly slender slim stooping stooped broad
broad-shouldered hunchbacked grey-haired gray-haired bald ruddy pale swarthy red-haired
fair-haired dark-haired curly wrinkled bearded clean-shaven hairy burly sturdy wiry
muscular haggard freckled bony lanky squat corpulent
""")

SKY_WEATHER = _words("""
sky heavens sun sunlight sunshine moon moonlight star stars cloud clouds rain drizzle
shower snow snowflake snowflakes blizzard storm tempest gale wind breeze thunder lightning
fog mist haze frost dew ice gloom dusk twilight darkness dark light ray rays beam beams
glow gleam glimmer shimmer sparkle radiance dawn daybreak sunrise sunset sundown noon
midday morning evening night midnight autumn winter spring summer weather heat shade
shadow shadows rainbow smoke steam vapour vapor drift drifts snowdrift puddle hail sleet
blue azure horizon glare flame flames fire firelight candlelight lamplight
""")

LIGHT_VERBS = _words("""
shine shone glitter glisten gleam glow sparkle shimmer glimmer flicker flash blaze
illuminate light lit brighten darken dim redden gild silver twinkle dazzle loom
""")

TIME_SEASON = _words("""
morning evening night noon midday midnight dawn daybreak sunrise sunset dusk twilight
autumn winter spring summer
""")

ACTION_VERBS = _words("""
run ran running rush dash sprint gallop trot race leap leapt jump spring sprang sprung
bound hop skip dart plunge dive dove fling flung throw threw thrown hurl toss seize
grab snatch grip clutch grasp strike struck hit smite smote beat slap punch kick stab
thrust slash cut hack chop swing swung wave brandish fall fell fallen tumble topple
collapse stumble trip slip slide slid climb clamber scramble crawl creep crept
drag haul pull push shove heave lift raise hoist drop lower carry bear bore fly flew flown
soar swoop flutter flap float drift swim swam sail row paddle ride rode ridden drive
drove driven chase pursue flee fled escape charge attack fight fought wrestle grapple
struggle shoot shot fire fired aim spin whirl twirl turn wheel dance danced march stride
strode stamp stomp tramp limp stagger totter reel sway rock shake shook shiver tremble
nod bow bend bent stoop kneel knelt crouch squat sit sat rise rose risen stand stood
jerk wrench tear tore torn rip burst smash shatter break broke broken crash splash
spatter spill pour poured scatter hurry hurried hasten scamper scurry scuttle
gesticulate embrace hug kiss clasp wrap fold seat perch hover dangle bounce wriggle
writhe squirm flounder grope fumble rummage tug tugged hammer pound knock rap tap
pat stroke rub wipe brush sweep swept swing
lick licked nibble gnaw grasped seized grabbed snatched clutched gripped climbed crawled
crept shift shifted shuffle waved nodded bowed jumped leaped leapt threw thrown pulled
pushed dragged knelt kneeled shoved hauled heaved tossed flung wag wagged wiggle squeeze
squeezed wrung wring twist twisted skurry skurried scurried scampered darted dashed
rushed galloped trotted trot hopped skipped stooped crouched sprang plunged dived
flutter fluttered flapped tumbled stumbled staggered tottered clambered scrambled
lunge pounce yank pluck jostle trudge plod wade vault lurch glide clap clapped shove
""")

POSTURE_VERBS = _words("""
stand stood sit sat lie lay lain hang hung rise rose tower stretch spread extend loom
""")

COLOUR = _words("""
white black red blue green yellow grey gray brown purple violet pink orange crimson
scarlet golden gold silver silvery azure emerald ruby amber ivory ebony dark pale bright
ruddy rosy tawny sable russet copper coppery bronze leaden snowy milky inky jet
""")

MATERIAL = _words("""
wooden stone glass iron brass copper bronze steel velvet silk silken woollen woolen
leather fur straw clay china porcelain crystal marble tin canvas cotton linen satin
lace oaken pine paper brick mahogany tweed
""")

SIZE_SHAPE = _words("""
large big huge great enormous vast immense gigantic little small tiny minute tall low
long short broad wide narrow thick thin round square crooked straight sharp flat deep
massive colossal slender high steep
""")

# Age and condition (the Russian list's class) is left empty: "old", "worn", "shabby" qualify
# people as often as things ("old man", "poor fellow") and lowered leave-one-book-out typing.
CONDITION: frozenset[str] = frozenset()

LIGHT_ADJ = _words("""
bright dim dark gloomy shining glittering gleaming sunny moonlit starlit misty foggy
cloudy clear radiant brilliant dusky murky shadowy luminous
""")

WEATHER_ADJ = _words("frosty snowy rainy windy stormy cold hot chilly sultry damp wet icy")

THOUGHT = _words("""
think thought know knew known believe suppose wonder wondered reason idea mind feel felt
perhaps doubt consider considered imagine imagined hope hoped fear feared wish wished
want wanted remember remembered forget forgot understand understood realise realize
guess guessed decide decided conclude concluded seem seemed
""")

ABSTRACT = _words("""
truth life love matter reason cause opinion question answer fate fortune virtue vice
happiness honour honor duty law power state society science art history time case
circumstance character nature morality money business affair interest respect fact
theory principle argument evidence nothing something anything
""")

SPEECH = _words("""
say said says tell told ask asked answer answered reply replied cry cried shout shouted
whisper whispered exclaim exclaimed remark remarked continue continued observe observed
murmur murmured mutter muttered
""")

NEGATORS = _words("no not never nor neither nothing none without n't nobody nowhere")

# Archaic second person (thou, thee, ye, and the verb forms that agree with thou: didst, hast)
# is the same address to a listener: an apostrophe, not a picture.
PRONOUNS_DIALOGUE = _words("""
i you we me my your our us yours ours thou thee thy thine thyself ye
didst dost hast hadst wilt shalt canst wouldst couldst shouldst
""")

# Generic movement: weak alone (went, entered), but it makes a sentence's nouns props of an action.
MOTION = _words("""
go went gone come came walk enter left leave move moved open opened shut close closed
take took taken put set lay laid hold held hand handed reach reached pick picked step
stepped approach approached follow followed lead led
""")

# One notable thing an illustrator could draw on its own: weapons, vessels, tools, documents, food.
ARTEFACT = _words("""
sword sabre saber dagger knife pistol gun musket rifle spear lance harpoon axe hatchet bow
arrow shield club whip key lock box casket chest coffer trunk basket bag purse wallet bottle
flask jug mug cup goblet glass bowl dish plate pot kettle cauldron pan spoon fork tray
vase urn lantern candle torch clock watch compass telescope book letter note envelope map
scroll parchment document paper coin coins medal ring brooch locket jewel pearl diamond
crown sceptre statue figurine doll toy ball carriage cart wagon coach sledge sleigh boat
canoe cannon anchor rope line barrel cask keg bell pipe hookah fan cake loaf bread pie
instrument violin fiddle guitar harp drum trumpet horn flute
cloth tablecloth napkin towel blanket quilt coverlet counterpane pillow cushion thread yarn
needle spindle spinning-wheel embroidery banner flag sail net bundle parcel package
anvil tongs pincers chisel spade shovel rake hoe pitchfork scythe sickle plough plow awl
scissors shears trowel crowbar ladder bucket pail broom wheelbarrow whetstone grindstone
bellows fishing-rod oar rudder tiller helm hull keel raft barge skiff dinghy yacht schooner
brig frigate galley gondola dory whaleboat longboat lifeboat sloop steamer steamboat ferry
jar pitcher ewer decanter carafe tankard beaker vial phial basin tub saucer teapot teacup
coffeepot samovar crock churn vat hourglass inkstand inkpot inkwell quill pen pencil notebook
ledger album photograph ornament trinket parasol snuffbox tinderbox comb hairbrush razor
satchel knapsack haversack valise portmanteau suitcase carpetbag hatbox pouch sack
apple pear plum cherry grape lemon melon peach berry strawberry nut
walnut egg cheese ham sausage pudding porridge soup biscuit bun pancake tart pastry
honey jam wine beer ale tea coffee milk sugar
cutlass rapier scimitar halberd mace crossbow revolver carbine blunderbuss bayonet
cannonball cudgel truncheon cab hansom chaise barouche landau phaeton buggy locomotive
omnibus tram bicycle newspaper pamphlet card ticket telegram manuscript
piano pianoforte organ cello bagpipe accordion concertina tambourine lute mandolin
clarinet oboe bugle cymbal gong kite puppet gem gemstone sapphire opal
""")

# Verbs whose subject is the weather or the light itself ("it snowed", "it grew dark").
IMPERSONAL_WEATHER = _words("rain snow hail thunder drizzle pour dawn glimmer")

# Nouns of looking: with them a verb of throwing or taking is a light verb ("cast a glance",
# "took a look"): the deed is a look, not a movement.
# After these a word is a noun: "a row of lamps", "in his turn".
NOUN_DETERMINERS = _words("a an the his her its their my your our this these those every each")
GAZE = _words("glance look glimpse gaze stare peep")
GAZE_DETERMINERS = _words("a an the one another his her their my your its")

# Movement verbs that only change a posture or a position (sit down, get up, turn, bow, drive
# off), as opposed to verbs of manner (stagger, gallop, fling): without any visible detail in
# the sentence they report a movement rather than paint it.
PLAIN_MOVES = _words("""
sit sat seat rise rose risen stand stood kneel knelt kneeled lie lay lain hurry hurried hasten
turn bow bowed nod nodded ride rode ridden drive drove driven escape
""")

# Verbs that only move a thing from hand to place — take, put, lift, open, shut, put on, take
# off — without a manner of their own: "he took his hat", "she opened the door" report a deed;
# the thing they move is a picture only when the sentence says how it looks. Only words other
# vocabularies already list: a new base here would change English lemmas (morphology._en_forms).
PLAIN_HANDLING = _words("""
take took taken put lift raise lower drop open close shut pick hand hold held carry
""")

# Inner states and bodily sensations: felt, not seen (a dizzy spell, a dry mouth, fear). A
# sentence made of them gives a painter nothing to draw.
INNER_STATE = _words("""
feel felt feeling fear afraid terror dread anxiety anxious shame ashamed joy joyful glad
delight grief sorrow sad sadness despair hope longing love hate hatred anger angry rage fury
jealousy jealous pity regret remorse guilt pride proud anguish misery miserable happy unhappy
lonely loneliness weary weariness tired fatigue dizzy giddy faint sick nausea pain ache
aching hurt thirst thirsty hunger hungry sleepy numb shiver tremble trembling
excitement excited nervous nervously uneasy uneasiness calm relief relieved surprise
surprised astonished astonishment amazement bewildered confused confusion embarrassed
embarrassment annoyed annoyance irritation impatience impatient curiosity curious mood
heart soul conscience emotion passion sensation comfort discomfort suffer suffering
""")

# Verbs of extent: a road, a wall or a range that "runs", "winds", "rises" is a place laid
# out, not a deed (location, not action).
EXTENT_VERBS = _words("""
run ran wind wound stretch stretched extend extended rise rose tower towered lie lay slope
sloped descend lead led border bordered overlook overlooked overhang overhung skirt encircle
surround surrounded line lined dot dotted crown crowned flank flanked span spanned
""")

# Animals: described for their look they are pictures of a creature (character when it acts as
# one, like the White Rabbit), never of a thing.
ANIMALS = _words("""
horse mare stallion pony dog hound cat kitten rabbit mouse rat bird owl crow raven eagle hawk
dove pigeon sparrow goose duck hen cock chicken swan whale fish shark seal bear wolf fox deer
stag cow bull ox calf sheep lamb goat pig lion tiger snake serpent lizard frog toad turtle
caterpillar dodo gryphon lobster puppy
donkey mule camel elephant monkey ape buffalo bison moose elk reindeer antelope gazelle hare
squirrel hedgehog badger otter beaver weasel ferret heifer colt foal filly steed
spaniel terrier mastiff greyhound poodle bulldog collie cur tomcat parrot peacock pheasant
partridge quail grouse turkey lark nightingale thrush blackbird robin wren finch canary
magpie jackdaw rook starling heron stork gull seagull albatross pelican cormorant penguin
ostrich vulture falcon buzzard woodpecker cuckoo wasp butterfly moth beetle spider ant
mosquito worm snail crab oyster trout salmon herring cod carp eel dolphin porpoise walrus
octopus squid leviathan dragon unicorn griffin llama leopard panther jaguar hyena jackal
rhinoceros hippopotamus crocodile alligator viper adder cobra rattlesnake scorpion locust
grasshopper creature beast
""")

# Words said only of animals (a paw, a tail, barking), each with the kinds of animal it points
# to: a character they are often said of is an animal (`animals.animal_kinds`). The kinds are
# the keys of `ANIMAL_KINDS`, shared by both languages.
ANIMAL_CUES = {
    **dict.fromkeys(("paw", "paws"), ("dog", "cat", "beast")),
    **dict.fromkeys(
        ("tail", "tails", "muzzle", "snout"), ("dog", "cat", "horse", "cattle", "pig", "beast")
    ),
    **dict.fromkeys(("beak", "wings", "feathers", "cackled", "clucked", "pecked"), ("bird",)),
    **dict.fromkeys(("mane", "neigh", "neighed", "whinnied"), ("horse",)),
    **dict.fromkeys(("hoof", "hoofs", "hooves"), ("horse", "cattle", "pig")),
    **dict.fromkeys(("grunted", "squealed"), ("pig",)),
    **dict.fromkeys(("mooed", "lowed", "horns"), ("cattle",)),
    **dict.fromkeys(("barked", "barking", "whined", "wagged", "wagging", "yelped"), ("dog",)),
    **dict.fromkeys(("mewed", "purred", "purring", "mew", "purr"), ("cat",)),
    **dict.fromkeys(("sniffed", "sniffing"), ("dog", "cat", "horse", "beast")),
}
ANIMAL_KINDS = {
    "dog": _words("dog hound puppy spaniel terrier mastiff greyhound poodle bulldog collie cur"),
    "cat": _words("cat kitten tomcat"),
    "horse": _words("horse mare stallion pony colt foal filly steed"),
    "cattle": _words("cow bull ox calf heifer"),
    "pig": _words("pig hog boar sow piglet"),
    "bird": _words("""
        bird goose duck hen cock chicken swan owl crow raven eagle hawk dove pigeon sparrow parrot
        peacock turkey rook starling lark nightingale gull dodo gryphon lory eaglet swallow
    """),
    "beast": _words("""
        beast creature animal wolf bear fox hare rabbit mouse rat squirrel hedgehog badger lion
        tiger monkey ape elephant deer stag camel donkey goat sheep lamb lizard turtle caterpillar
        dormouse
    """),
}

# People named by what they are, not by name ("the old man", "a rider", "the coachman"): age and
# sex, kinship, trades, ranks and titles, roles. Curated from general knowledge; words that are
# more often verbs or adjectives ("cook", "guard", "general", "count", "page", "chief") are left
# out, since English tokens carry no part of speech. Plurals in -men are added below.
PERSON = _words("""
man woman girl boy child lad lass maiden gentleman lady person fellow infant baby kid
youngster widow widower bachelor spinster matron crone hag orphan twin
mother father son daughter brother sister uncle aunt nephew niece cousin grandfather
grandmother grandson granddaughter grandchild husband wife bride bridegroom groom fiancé
fiancée stepmother stepfather godfather godmother heir heiress
peasant farmer labourer laborer workman ploughman plowman reaper mower shepherd shepherdess
herdsman cowherd swineherd goatherd milkmaid woodcutter woodsman forester gamekeeper
huntsman hunter trapper fisherman fishwife miner collier blacksmith carpenter mason miller
baker butcher tailor seamstress dressmaker shoemaker cobbler weaver potter wheelwright
innkeeper landlord landlady barmaid waiter waitress shopkeeper merchant trader pedlar
peddler hawker clerk scribe lawyer attorney doctor physician surgeon nurse midwife
apothecary teacher schoolmaster schoolmistress governess tutor professor student scholar
coachman cabman driver postilion ostler stableboy footman butler valet steward housekeeper
servant maid maidservant chambermaid housemaid nursemaid porter doorman gatekeeper watchman
sentry sentinel gaoler jailer warder constable policeman detective sheriff magistrate
executioner hangman postman messenger courier lamplighter boatman ferryman oarsman bargeman
sailor seaman mariner boatswain helmsman steersman skipper captain pilot harpooner whaler
soldier officer trooper dragoon hussar lancer cavalryman grenadier musketeer rifleman gunner
admiral colonel lieutenant sergeant corporal commander commandant ensign cornet adjutant
cossack warrior archer bowman swordsman knight squire rider horseman horsewoman jockey
priest monk nun friar abbot abbess bishop vicar parson curate pastor preacher deacon sexton
minister hermit pilgrim
king queen prince princess emperor empress tsar czar tsarina czarina sultan khan duke
duchess earl countess marquis baron baroness viscount nobleman noblewoman aristocrat
courtier lord governor mayor boyar serf slave prisoner convict
beggar vagabond wanderer traveller traveler stranger visitor guest hostess passenger
newcomer foreigner neighbour neighbor companion comrade friend enemy master mistress owner
tenant lodger
painter sculptor musician fiddler piper drummer singer dancer actor actress poet juggler
clown acrobat minstrel witch wizard sorcerer magician
robber thief bandit brigand highwayman pirate smuggler outlaw murderer assassin
""")
PERSON |= frozenset(word[:-3] + "men" for word in PERSON if word.endswith("man"))
PERSON |= {"children", "thieves"}

# Prepositions that put a person aside from what a sentence is about ("with the ladies").
PREPOSITIONS = _words("""
with to at of by for from upon on among beside behind towards toward into near like about
between without than
""")
