"""A shim for old imports: the module moved to tests.support.fake_image_servers (remove later)."""

from tests.support.fake_image_servers import *  # noqa: F403
