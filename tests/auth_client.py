"""A shim for old imports: the module moved to tests.support.auth_client (remove later)."""

from tests.support.auth_client import *  # noqa: F403
