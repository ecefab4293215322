"""The OPDS catalogue of a reader's library (feeds e-reader apps browse): `catalog` builds each
feed from the library, `atom` writes it as OPDS 1.2, `opds2` as OPDS 2.0 JSON, `acquisition`
says how a book is downloaded, `search` finds books for the search feed, `opensearch`
describes it."""
