"""Migrations and idempotency keys against a real PostgreSQL (embedded or the machine's)."""

from pathlib import Path

import pytest

from bookreader import db
from bookreader.db.migrate import apply_migrations, load_migrations
from bookreader.errors import BookReaderError
from bookreader.jobs import claim_once


def _tables(conn: db.Connection) -> set[str]:
    rows = conn.run("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return {row[0] for row in rows}


def test_migrations_apply_in_order_once_and_are_recorded(database_url: str) -> None:
    expected = [[m.version, m.name] for m in load_migrations()]
    with db.connect(database_url) as conn:
        assert apply_migrations(conn) == [version for version, _ in expected]
        assert apply_migrations(conn) == []
        recorded = conn.run("SELECT version, name FROM schema_migrations ORDER BY version")
        assert recorded == expected
        assert recorded[0] == [1, "foundation"]
        assert "idempotency_keys" in _tables(conn)


def test_failed_migration_leaves_database_as_it_was(database_url: str, tmp_path: Path) -> None:
    (tmp_path / "0001_good.sql").write_text("CREATE TABLE good (id int);")
    (tmp_path / "0002_bad.sql").write_text(
        "CREATE TABLE half (id int); SELECT * FROM no_such_table;"
    )
    (tmp_path / "0003_later.sql").write_text("CREATE TABLE later (id int);")
    with db.connect(database_url) as conn:
        with pytest.raises(BookReaderError) as error:
            apply_migrations(conn, tmp_path)
        assert error.value.code == "migration_failed"
        assert "0002_bad" in error.value.message
        assert _tables(conn) == {"good", "schema_migrations"}
        assert conn.run("SELECT version FROM schema_migrations") == [[1]]


def test_badly_named_migration_is_refused(database_url: str, tmp_path: Path) -> None:
    (tmp_path / "1_oops.sql").write_text("SELECT 1;")
    with db.connect(database_url) as conn, pytest.raises(BookReaderError):
        apply_migrations(conn, tmp_path)


def test_idempotency_key_is_claimed_once_and_rolls_back_with_the_work(database_url: str) -> None:
    with db.connect(database_url) as conn:
        apply_migrations(conn)
    pool = db.Pool(database_url, size=2)
    with pool.transaction() as tx:
        assert claim_once(tx, "s3:b/k@1", "parse")
    with pool.transaction() as tx:
        assert not claim_once(tx, "s3:b/k@1", "parse")
    with pytest.raises(RuntimeError), pool.transaction() as tx:
        assert claim_once(tx, "s3:b/k@2", "parse")
        raise RuntimeError("the work failed")
    with pool.transaction() as tx:
        assert claim_once(tx, "s3:b/k@2", "parse"), "a failed attempt must not keep its key"
    pool.close()


def test_database_url_with_socket_directory_and_tcp(services) -> None:
    with db.connect(services.database_url) as conn:
        assert conn.run("SELECT 1") == [[1]]
    with pytest.raises(BookReaderError):
        db.connect("mysql://nope")
