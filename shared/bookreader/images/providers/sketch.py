"""An offline, deterministic placeholder: a labelled sketch drawn with Pillow from the prompt.

Lets the whole flow run with no network and in tests. The picture's palette comes from the
time of day and colour words, its silhouette from the description's kind; the same prompt
always gives byte-identical PNG bytes.
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from bookreader.images.model import ImagePrompt
from bookreader.images.providers.base import GeneratedImage

LABEL = "sketch — placeholder"
RGB = tuple[int, int, int]

# time of day → (sky top, sky at the horizon, ground, sun or moon)
PALETTES: dict[str, tuple[RGB, RGB, RGB, RGB]] = {
    "night": ((8, 12, 40), (32, 52, 104), (6, 10, 28), (225, 228, 240)),
    "dawn": ((118, 136, 196), (248, 192, 172), (86, 98, 92), (255, 226, 180)),
    "day": ((76, 150, 232), (196, 228, 252), (96, 146, 74), (255, 236, 120)),
    "sunset": ((72, 38, 112), (246, 140, 52), (52, 30, 52), (255, 170, 60)),
    "overcast": ((150, 160, 176), (214, 216, 212), (104, 110, 100), (236, 236, 230)),
}
TIME_WORDS = {
    "night": "night", "midnight": "night", "moonlight": "night", "moonlit": "night",
    "dawn": "dawn", "sunrise": "dawn", "morning": "dawn",
    "noon": "day", "midday": "day", "day": "day", "daylight": "day", "afternoon": "day",
    "sunny": "day",
    "sunset": "sunset", "dusk": "sunset", "evening": "sunset", "twilight": "sunset",
}  # fmt: skip
COLOUR_WORDS: dict[str, RGB] = {
    "red": (196, 40, 40), "crimson": (160, 20, 50), "scarlet": (230, 36, 20),
    "orange": (236, 128, 32), "yellow": (236, 210, 50), "golden": (218, 170, 40),
    "gold": (218, 170, 40), "green": (52, 140, 64), "blue": (44, 88, 200),
    "azure": (60, 150, 230), "purple": (120, 50, 150), "violet": (140, 80, 200),
    "pink": (236, 140, 170), "brown": (120, 76, 40), "black": (20, 20, 24),
    "white": (240, 240, 236), "grey": (128, 128, 128), "gray": (128, 128, 128),
    "silver": (190, 194, 200),
}  # fmt: skip
KINDS = ("location", "character", "atmosphere", "object", "action")


class SketchProvider:
    name = "sketch"

    def generate(self, prompt: ImagePrompt, *, deadline: float) -> GeneratedImage:
        # Offline and quick, so it ignores the deadline: a chain's last resort always answers.
        data = render_sketch(prompt)
        width, height = _size(prompt)
        return GeneratedImage(data, "image/png", self.name, prompt.seed, width, height)


def render_sketch(prompt: ImagePrompt) -> bytes:
    """PNG bytes of the placeholder picture for the prompt."""
    words = _words(prompt)
    time_of_day = next((TIME_WORDS[w] for w in words if w in TIME_WORDS), "overcast")
    top, horizon, ground, light = PALETTES[time_of_day]
    colours = [COLOUR_WORDS[w] for w in words if w in COLOUR_WORDS]
    accent = colours[0] if colours else _mix(ground, (0, 0, 0), 0.5)
    kind = prompt.kind if prompt.kind in KINDS else "location"
    rng = random.Random(f"{prompt.seed}\n{prompt.prompt}")  # str seeds are stable across runs

    width, height = _size(prompt)
    image = Image.new("RGB", (width, height), top)
    draw = ImageDraw.Draw(image)
    horizon_y = height if kind == "atmosphere" else int(height * 0.62)
    for y in range(horizon_y):
        draw.line([(0, y), (width, y)], fill=_mix(top, horizon, y / max(1, horizon_y - 1)))
    _draw_light(draw, time_of_day, light, width, horizon_y, rng)
    if kind != "atmosphere":
        draw.rectangle([0, horizon_y, width, height], fill=ground)
    SILHOUETTES[kind](_Scene(draw, width, height, horizon_y, accent, ground, rng))
    _draw_label(draw, width, height, f"{kind} / {time_of_day} / {prompt.style}")

    info = PngInfo()
    info.add_itxt("Description", LABEL)
    info.add_itxt("Comment", prompt.prompt[:500])
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _words(prompt: ImagePrompt) -> list[str]:
    """Attribute words first (they are the extractor's own), then the prompt's."""
    texts = [v for values in prompt.attributes.values() for v in values] + [prompt.prompt]
    return re.findall(r"[a-z]+", " ".join(texts).lower())


def _size(prompt: ImagePrompt) -> tuple[int, int]:
    # Bounded so a bad prompt cannot ask the renderer for a gigapixel canvas.
    return max(64, min(prompt.width, 2048)), max(64, min(prompt.height, 2048))


def _mix(a: RGB, b: RGB, t: float) -> RGB:
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def _draw_light(
    draw: ImageDraw.ImageDraw,
    time_of_day: str,
    colour: RGB,
    w: int,
    horizon: int,
    rng: random.Random,
) -> None:
    """The sun or moon: low and large at sunset and dawn, high and small otherwise."""
    r = int(min(w, horizon) * (0.12 if time_of_day == "sunset" else 0.07))
    x = int(w * rng.uniform(0.2, 0.8))
    y = horizon - r // 2 if time_of_day in ("sunset", "dawn") else int(horizon * 0.25)
    draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)


@dataclass(frozen=True)
class _Scene:
    draw: ImageDraw.ImageDraw
    w: int
    h: int
    horizon: int
    accent: RGB
    ground: RGB
    rng: random.Random


def _hills(s: _Scene) -> None:
    for layer in range(3):
        shade = _mix(s.ground, s.accent, 0.25 * layer)
        base = s.horizon + layer * (s.h - s.horizon) // 6
        ridge = [(s.w * i // 8, base - int(s.rng.uniform(0.02, 0.16) * s.h)) for i in range(9)]
        s.draw.polygon([(0, s.h), *ridge, (s.w, s.h)], fill=shade)
    s.draw.line([(0, s.horizon), (s.w, s.horizon)], fill=_mix(s.ground, (0, 0, 0), 0.4), width=2)


def _figure(s: _Scene) -> None:
    cx, head, top, feet = s.w // 2, max(8, s.h // 16), s.horizon - s.h // 3, s.horizon + s.h // 10
    s.draw.ellipse([cx - head, top - 2 * head, cx + head, top], fill=s.accent)
    body = [(cx - head, top), (cx + head, top), (cx + 2 * head, feet), (cx - 2 * head, feet)]
    s.draw.polygon(body, fill=s.accent)


def _sky_only(s: _Scene) -> None:
    mist = _mix(s.accent, (255, 255, 255), 0.6)
    for _ in range(4):  # soft bands of cloud or mist over the gradient
        x, y = int(s.rng.uniform(0.2, 0.8) * s.w), int(s.rng.uniform(0.2, 0.8) * s.h)
        half, thick = int(s.rng.uniform(0.2, 0.45) * s.w), s.h // 40
        s.draw.ellipse([x - half, y - thick, x + half, y + thick], fill=mist)


def _centred_shape(s: _Scene) -> None:
    cx, cy, r = s.w // 2, s.horizon - s.h // 10, min(s.w, s.h) // 6
    shape = s.rng.randrange(3)
    if shape == 0:
        s.draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=s.accent)
    elif shape == 1:
        s.draw.rectangle([cx - r, cy - r, cx + r, cy + r], fill=s.accent)
    else:
        s.draw.polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], fill=s.accent)


def _motion(s: _Scene) -> None:
    step = max(12, s.w // 10)
    for i in range(-s.h // step, s.w // step + 1):
        x = i * step + int(s.rng.uniform(0, step / 2))
        low, high = (x, s.horizon + s.h // 8), (x + s.h // 4, s.horizon - s.h // 4)
        s.draw.line([low, high], fill=s.accent, width=max(2, s.w // 100))


SILHOUETTES: dict[str, Callable[[_Scene], None]] = {
    "location": _hills,
    "character": _figure,
    "atmosphere": _sky_only,
    "object": _centred_shape,
    "action": _motion,
}


def _draw_label(draw: ImageDraw.ImageDraw, w: int, h: int, caption: str) -> None:
    band = max(40, h // 10)
    draw.rectangle([0, h - band, w, h], fill=(20, 20, 20))
    big = ImageFont.load_default(size=max(12, band // 3))
    small = ImageFont.load_default(size=max(10, band // 5))
    x, y, size = band // 4, h - band + band // 8, max(12, band // 3)
    # Pillow's bundled font has no em dash glyph, so the dash of LABEL is drawn as a line.
    before, after = LABEL.split(" — ")
    draw.text((x, y), before, fill=(255, 255, 255), font=big)
    x += int(big.getlength(before + " "))
    draw.line(
        [(x, y + size * 2 // 3), (x + size, y + size * 2 // 3)], fill=(255, 255, 255), width=2
    )
    draw.text((x + int(size * 1.3), y), after, fill=(255, 255, 255), font=big)
    draw.text((band // 4, h - band // 3), caption, fill=(200, 200, 200), font=small)
