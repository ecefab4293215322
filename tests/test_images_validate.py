"""What counts as an acceptable provider image, and how it is stored (WebP plus a thumbnail)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bookreader.errors import BookReaderError
from bookreader.images.encode import encode_webp
from bookreader.images.validate import ImageLimits, validate_image
from tests.support.fake_image_servers import bomb_png


def encoded(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


RGB = Image.new("RGB", (120, 90), (30, 120, 200))


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp"), ("GIF", "image/gif")],
)
def test_allowed_formats_are_accepted_with_their_size(fmt: str, media_type: str) -> None:
    info = validate_image(encoded(RGB, fmt), provider="p")
    assert (info.media_type, info.width, info.height) == (media_type, 120, 90)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty response"),
        (b"  <!DOCTYPE html><title>502</title>", "HTML"),
        (b'{"error": {"message": "quota exceeded"}}', "quota exceeded"),
        (b'{"detail": "Not authenticated"}', "Not authenticated"),
        (b"\x00\x01garbage" * 50, "not an allowed image type"),
        (encoded(RGB, "BMP"), "not an allowed image type"),
        (encoded(RGB, "PNG")[:70], "corrupt image/png"),
    ],
    ids=["empty", "html", "json-error", "json-detail", "garbage", "bmp", "truncated"],
)
def test_non_images_are_bad_responses_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(BookReaderError) as caught:
        validate_image(data, provider="pollinations")
    assert caught.value.code == "provider_bad_response"
    assert caught.value.status == 502
    assert caught.value.details["provider"] == "pollinations"
    assert reason in caught.value.details["reason"]


def test_too_many_bytes_is_too_large() -> None:
    with pytest.raises(BookReaderError) as caught:
        validate_image(encoded(RGB, "PNG"), ImageLimits(max_bytes=100))
    assert caught.value.code == "provider_image_too_large"


def test_a_side_over_the_limit_is_too_large() -> None:
    wide = encoded(Image.new("RGB", (3000, 10)), "PNG")
    with pytest.raises(BookReaderError) as caught:
        validate_image(wide, ImageLimits(max_side=2048))
    assert caught.value.code == "provider_image_too_large"
    assert "3000x10" in caught.value.details["reason"]


@pytest.mark.parametrize("side", [10_000, 30_000], ids=["over-our-limit", "over-pillows-limit"])
def test_a_decompression_bomb_is_refused_before_decoding(side: int) -> None:
    with pytest.raises(BookReaderError) as caught:
        validate_image(bomb_png(side, side))
    assert caught.value.code == "provider_image_too_large"


def test_encoding_gives_webp_and_a_256_pixel_thumbnail() -> None:
    source = encoded(Image.new("RGB", (768, 1024), (200, 100, 50)), "PNG")
    result = encode_webp(source)

    assert (result.width, result.height) == (768, 1024)
    assert (result.thumbnail_width, result.thumbnail_height) == (192, 256)
    assert result.media_type == "image/webp"
    assert validate_image(result.webp).media_type == "image/webp"
    assert validate_image(result.thumbnail).media_type == "image/webp"
    assert result.byte_size == len(result.webp)
    assert result.thumbnail_byte_size == len(result.thumbnail)
    assert encode_webp(source).webp == result.webp  # same input, same stored bytes


def test_a_small_image_is_not_enlarged_for_its_thumbnail() -> None:
    result = encode_webp(encoded(RGB, "JPEG"))
    assert (result.thumbnail_width, result.thumbnail_height) == (120, 90)


def test_transparency_survives_encoding() -> None:
    clear = Image.new("RGBA", (64, 64), (255, 0, 0, 0))
    result = encode_webp(encoded(clear, "PNG"))
    with Image.open(io.BytesIO(result.webp)) as image:
        assert image.mode == "RGBA"
        assert image.getpixel((10, 10))[3] == 0  # type: ignore[index]


def test_an_animated_gif_is_stored_as_its_first_frame() -> None:
    frames = [Image.new("RGB", (40, 30), colour) for colour in [(255, 0, 0), (0, 0, 255)]]
    gif = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    result = encode_webp(gif)
    with Image.open(io.BytesIO(result.webp)) as image:
        assert getattr(image, "n_frames", 1) == 1
        red, _, blue = image.convert("RGB").getpixel((5, 5))  # type: ignore[misc]
        assert red > 200 and blue < 50
