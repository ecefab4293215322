"""S3 event records: every producer's key encoding is decoded exactly once."""

import pytest

from bookreader.events import encode_key, object_created_record, parse_s3_event

KEY = "uploads/Война и мир+том 1 (2).epub"


def _record(key: str, event_name: str = "ObjectCreated:Put", source: str = "aws:s3") -> dict:
    return {
        "eventName": event_name,
        "eventSource": source,
        "eventTime": "2026-11-28T00:00:00.000Z",
        "s3": {
            "bucket": {"name": "b"},
            "object": {"key": key, "size": 3, "eTag": "abc", "sequencer": "1"},
        },
    }


def test_aws_encoding_keeps_slash_and_encodes_space_and_plus() -> None:
    assert encode_key("uploads/a b+c (2).epub") == "uploads/a+b%2Bc+%282%29.epub"
    assert encode_key("uploads/мир") == "uploads/%D0%BC%D0%B8%D1%80"


@pytest.mark.parametrize(
    ("producer", "encoded", "event_name"),
    [
        ("aws", encode_key(KEY), "ObjectCreated:Put"),
        ("moto", encode_key(KEY).replace("/", "%2F"), "ObjectCreated:Put"),
        ("minio", encode_key(KEY).replace("/", "%2F"), "s3:ObjectCreated:Put"),
        (
            "localstack",
            encode_key(KEY).replace("+", "%20").replace("%2B", "%2B"),
            "ObjectCreated:Put",
        ),
    ],
)
def test_every_producer_decodes_to_the_same_key(
    producer: str, encoded: str, event_name: str
) -> None:
    (created,) = parse_s3_event({"Records": [_record(encoded, event_name)]})
    assert created.key == KEY
    assert created.event_name == "ObjectCreated:Put"


def test_decoding_happens_once_so_percent_sequences_in_names_survive() -> None:
    name = "uploads/100%25 done.epub"  # a key that itself contains "%25"
    (created,) = parse_s3_event({"Records": [_record(encode_key(name))]})
    assert created.key == name


def test_test_event_and_removals_are_skipped() -> None:
    assert parse_s3_event({"Event": "s3:TestEvent", "Service": "Amazon S3"}) == []
    assert parse_s3_event({"Records": [_record("a.epub", "ObjectRemoved:Delete")]}) == []


def test_built_record_round_trips() -> None:
    record = object_created_record("books", KEY, 12, "etag1", "00AB")
    (created,) = parse_s3_event({"Records": [record]})
    assert (created.bucket, created.key, created.size, created.etag) == ("books", KEY, 12, "etag1")
    assert record["s3"]["bucket"]["arn"] == "arn:aws:s3:::books"
    assert created.idempotency_key == f"s3:books/{KEY}@etag1"
