"""The OPDS 1.2 catalogue of a reader's library (Atom feeds e-reader apps browse): `atom`
writes the feeds, `catalog` builds each feed from the library, `acquisition` says how a book
is downloaded, `search` finds books for the search feed, `opensearch` describes it."""
