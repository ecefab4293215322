"""Which stored objects the database refers to: the one list the backup and the sweeper share.

Every object the product writes is named by a row: the uploaded file (books.object_key), the
pictures inside a book (book_images), the cover thumbnail (books.has_cover_thumb, at the
key bookreader.library.keys.cover_thumb_key gives), a reader's illustrations (images), the
shared illustration cache (image_cache) and built exports (exports). A new kind of object must
be added here, or the sweeper will take it for an orphan.
"""

from __future__ import annotations

from bookreader import db
from bookreader.library.lifecycle import BookState

REFERENCED_KEYS_SQL = """
SELECT object_key FROM books
UNION SELECT 'books/' || user_id::text || '/' || id::text || '/cover-thumb.webp'
      FROM books WHERE has_cover_thumb
UNION SELECT object_key FROM book_images
UNION SELECT object_key FROM images WHERE object_key IS NOT NULL
UNION SELECT thumbnail_key FROM images WHERE thumbnail_key IS NOT NULL
UNION SELECT object_key FROM image_cache
UNION SELECT thumbnail_key FROM image_cache
UNION SELECT object_key FROM exports WHERE object_key IS NOT NULL
"""


# Uploads whose file never arrived (or was removed when they expired) name a key with no object.
_NEVER_ARRIVED_SQL = (
    f"SELECT object_key FROM books WHERE state = '{BookState.UPLOADING}'"
    " OR error_code = 'upload_expired'"
)


def referenced_keys(conn: db.Connection) -> set[str]:
    """Every object key a row refers to, as the connection's transaction sees them."""
    return {row[0] for row in conn.run(REFERENCED_KEYS_SQL)}


def expected_keys(conn: db.Connection) -> set[str]:
    """The referenced keys whose objects should exist (not those of uploads never finished)."""
    return referenced_keys(conn) - {row[0] for row in conn.run(_NEVER_ARRIVED_SQL)}
