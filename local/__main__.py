"""The runtime CLI: `up` runs the product; `dlq list` and `dlq replay ID` handle dead letters;
`admin EMAIL`; `backup` and `restore ARCHIVE` (see bookreader.ops); `check-providers`
(bookreader.images.check_providers, with the generate function's configuration)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from local.settings import RuntimeSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("up", help="start the local runtime in the foreground")
    commands.add_parser(
        "up-edge", help="the same behind this machine's nginx (TLS, rate limits), as self-hosted"
    )
    dlq = commands.add_parser("dlq", help="list or replay dead-lettered events")
    dlq_commands = dlq.add_subparsers(dest="action", required=True)
    dlq_commands.add_parser("list")
    replay = dlq_commands.add_parser("replay")
    replay.add_argument("id")
    admin = commands.add_parser("admin", help="make a registered user an administrator")
    admin.add_argument("email")
    backup = commands.add_parser("backup", help="write one archive of the whole deployment")
    backup.add_argument("--dir", type=Path, default=Path("backups"), help="where archives go")
    backup.add_argument("--keep", type=int, default=None, help="keep only the newest N archives")
    restore = commands.add_parser("restore", help="restore an archive into an empty deployment")
    restore.add_argument("archive", type=Path)
    restore.add_argument("--force", action="store_true", help="replace a non-empty deployment")
    check = commands.add_parser(
        "check-providers", help="call each configured image provider once and report"
    )
    check.add_argument("--providers", default="", help="comma-separated provider names")
    check.add_argument("--timeout", default="60", help="seconds per provider")
    args = parser.parse_args(argv)
    settings = RuntimeSettings()

    if args.command == "check-providers":
        return _check_providers(
            settings, ["--providers", args.providers, "--timeout", args.timeout]
        )

    if args.command in ("up", "up-edge"):
        from local.runtime import run_forever

        code = run_forever(settings, edge=args.command == "up-edge")
        # Everything the runtime started is stopped by now; a thread still blocked somewhere
        # (e.g. a retry waiting for a worker that is gone) must not keep the process alive.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    if args.command == "admin":
        return _promote_admin(settings, args.email)
    if args.command in ("backup", "restore"):
        from bookreader.log import configure_logging
        from local import operations

        configure_logging(settings.log_level)
        if args.command == "backup":
            return operations.run_backup(settings, args.dir, args.keep)
        return operations.run_restore(settings, args.archive, args.force)
    return _dlq(settings, args)


def _check_providers(settings: RuntimeSettings, argv: list[str]) -> int:
    """Run the check with the environment the generate function gets from the template, the
    parameters file and the overrides, as `make local-up` would start it."""
    import subprocess

    from bookreader.errors import BookReaderError
    from local.runtime import parse_parameter_overrides, read_env_overrides
    from local.template import load_topology, load_yaml

    try:
        declared = load_yaml(settings.template).get("Parameters") or {}
        parameters = {
            # Only the drawing's configuration matters here; the services need no address.
            **{name: "" for name, spec in declared.items() if "Default" not in spec},
            "DataDir": str(settings.data_dir),
            **json.loads(settings.parameters_file.read_text()).get("Parameters", {}),
            **parse_parameter_overrides(settings.parameter_overrides, set(declared)),
        }
        topology = load_topology(
            settings.template, {k: v for k, v in parameters.items() if k in declared}
        )
        environment = {
            **topology.functions["GenerateFunction"].environment,
            **read_env_overrides(settings.env_vars_file, topology).get("GenerateFunction", {}),
        }
    except (BookReaderError, OSError, ValueError, KeyError) as error:
        print(f"error: the provider configuration cannot be read: {error}", file=sys.stderr)
        return 2
    command = [sys.executable, "-m", "bookreader.images.check_providers", *argv]
    return subprocess.run(command, env={**os.environ, **environment}, check=False).returncode


def _promote_admin(settings: RuntimeSettings, email: str) -> int:
    """`make admin EMAIL=…`: the first administrator, without default credentials anywhere."""
    from bookreader import db
    from bookreader.auth.users import promote_to_admin
    from bookreader.db.migrate import apply_migrations
    from bookreader.errors import BookReaderError
    from local.services import EmbeddedPostgres

    embedded = None
    database_url = settings.database_url
    if not database_url:
        embedded = EmbeddedPostgres(settings.data_dir)
        database_url = embedded.start()
    pool = db.Pool(database_url, size=1)
    try:
        with pool.connection() as conn:
            apply_migrations(conn)
        user = promote_to_admin(email, pool=pool)
    except Exception as error:  # the database unreachable or missing: say so, no traceback
        if not isinstance(error, BookReaderError):
            print(f"error: cannot reach the database: {error}", file=sys.stderr)
            return 1
        if error.code == "user_not_found":
            print(f"error: no account with the email {email}; register it first", file=sys.stderr)
        else:
            print(f"error: {error.message}", file=sys.stderr)
        return 1
    finally:
        pool.close()
        if embedded is not None:
            embedded.stop()
    print(f"{user.email} is now an administrator (they get the role with their next sign-in)")
    return 0


def _dlq(settings: RuntimeSettings, args: argparse.Namespace) -> int:
    from local.eventbus import list_dead_letters, replay_dead_letter
    from local.services import EmbeddedRedis

    embedded = None
    redis_url = settings.redis_url
    if not redis_url:
        embedded = EmbeddedRedis(settings.data_dir)
        redis_url = embedded.start()
    from bookreader import redis_conn
    from bookreader.config import Settings, configure_settings

    configure_settings(Settings(REDIS_URL=redis_url, REDIS_PREFIX=settings.redis_prefix))

    client = redis_conn.redis_client()
    try:
        if args.action == "list":
            letters = list_dead_letters(client)
            for letter in letters:
                print(json.dumps(letter, ensure_ascii=False))
            print(f"{len(letters)} dead letter(s)", file=sys.stderr)
            return 0
        try:
            new_id = replay_dead_letter(client, args.id)
        except KeyError:
            print(f"no dead letter with id {args.id}", file=sys.stderr)
            return 1
        print(f"replayed {args.id} as {new_id}")
        return 0
    finally:
        if embedded is not None:
            embedded.stop()


if __name__ == "__main__":
    sys.exit(main())
