"""Local development: debug on, console e-mail, the embedded stack unless env says otherwise.

Chosen explicitly (``make demo``/``make serve``, ``Procfile.dev``, the benchmarks); the entry points
default to production. Without ``SECRET_KEY`` a random key is made once per checkout and kept in
``VAR_DIR/secret_key`` (git-ignored, mode 0600), so no known key ever signs anything.
"""

import os
import tempfile
from pathlib import Path

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403
from .base import DATABASES, VAR_DIR, env
from .hot_paths import with_session_options


def checkout_secret_key(path: Path) -> str:
    """The key kept at ``path``, made on first use (race-free: concurrent processes agree on one key)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=".secret_key-")  # mode 0600
        try:
            with os.fdopen(descriptor, "w") as file:
                file.write(get_random_secret_key() + "\n")
            os.link(draft, path)  # fails if another process got there first; its key wins
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    return path.read_text().strip()


DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="") or checkout_secret_key(VAR_DIR / "secret_key")

with_session_options(DATABASES["default"])  # PostgreSQL's JIT off (cms/settings/hot_paths.py)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The embedded stack's web server, worker and beat write to one file: each transaction takes the write lock
    # when it begins and waits up to 20 s for it, instead of failing with "database is locked" on an upgrade.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})
