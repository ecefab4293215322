"""What an export is built from, read through the library's and the images' own functions:
the stored book (chapters one at a time, notes, its pictures from the store) and the reader's
ready illustrations with their passages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from bookreader.books.model import BookMetadata, TocEntry
from bookreader.config import get_settings
from bookreader.errors import BookReaderError
from bookreader.exports.epub import EpubSource, Illustration
from bookreader.images import records as image_records
from bookreader.images.records import PlacedImage
from bookreader.library import books
from bookreader.library.records import BookRecord, ChapterRecord
from bookreader.storage import get_store


def chosen_pictures(
    user_id: str, book_id: str, illustrations: str, style: str | None
) -> list[PlacedImage]:
    """The reader's ready pictures to put in the book: of each passage the newest (in `style`
    when one is asked for), in reading order."""
    if illustrations == "none":
        return []
    newest: dict[str, PlacedImage] = {}
    for image in image_records.list_images(user_id, book_id):
        if image.state != "ready" or not image.object_key:
            continue
        if style is not None and image.style != style:
            continue
        known = newest.get(image.description_id)
        if known is None or (image.generation, image.updated_at) > (
            known.generation,
            known.updated_at,
        ):
            newest[image.description_id] = image
    return sorted(newest.values(), key=lambda image: (image.chapter, image.start_offset))


def library_source(book: BookRecord, picture_ids: list[str]) -> EpubSource:
    """The stored book as an `EpubSource`; of `picture_ids`, those still ready go in."""
    store, bucket = get_store(), get_settings().books_bucket
    wanted = set(picture_ids)
    placed = [
        image
        for image in image_records.list_images(book.user_id, book.id)
        if image.id in wanted and image.state == "ready" and image.object_key
    ]

    def load_object(key: str) -> Callable[[], bytes | None]:
        def load() -> bytes | None:
            try:
                return store.get(bucket, key)
            except BookReaderError as error:
                if error.status == 404:
                    return None  # gone meanwhile: left out, not a failed export
                raise

        return load

    def load_image(image_id: str) -> bytes | None:
        try:
            image = books.get_image(book.id, image_id)
        except BookReaderError as error:
            if error.status == 404:
                return None
            raise
        return load_object(image.object_key)()

    def load_chapter(index: int) -> ChapterRecord:
        return books.get_chapter(book.id, index)

    metadata = BookMetadata.model_validate(
        {**book.metadata, "title": book.title or book.metadata.get("title") or book.filename}
    )
    return EpubSource(
        identifier=f"urn:uuid:{book.id}",
        metadata=metadata,
        direction=book.direction,
        toc=[TocEntry.model_validate(entry) for entry in book.toc],
        chapter_count=book.chapter_count or 0,
        load_chapter=load_chapter,
        footnotes=books.footnotes(book.id),
        load_image=load_image,
        cover_image_id=book.cover_image_id,
        illustrations=[
            Illustration(
                id=image.id,
                chapter=image.chapter,
                start=image.start_offset,
                end=image.end_offset,
                passage=image.passage,
                load=load_object(image.object_key or ""),
            )
            for image in placed
        ],
        modified=book.parsed_at or datetime.now(UTC),
    )
