"""A shim for old imports: the module moved to tests.support.import_closure (remove later)."""

from tests.support.import_closure import *  # noqa: F403
