"""The ``SEAM_*`` environment a fake gives the code under test, set and put back in one place.

``Seam()`` with no arguments reads its key and endpoint from the environment.
Inside a fake, ``SEAM_API_KEY`` holds the fake's key and every variable that
could send the SDK elsewhere is cleared; afterwards all of them are as before.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

# Variables the seam SDK reads that would point `Seam()` away from a fake whose
# key is in SEAM_API_KEY.
SEAM_ENV_CLEARED = ("SEAM_PERSONAL_ACCESS_TOKEN", "SEAM_WORKSPACE_ID", "SEAM_ENDPOINT", "SEAM_API_URL")


@contextmanager
def seam_env(api_key: str) -> Iterator[None]:
    """``SEAM_API_KEY`` set to ``api_key`` and the other SDK variables cleared, for the block."""
    names = ("SEAM_API_KEY", *SEAM_ENV_CLEARED)
    saved = {name: os.environ.get(name) for name in names}
    os.environ["SEAM_API_KEY"] = api_key
    for name in SEAM_ENV_CLEARED:
        os.environ.pop(name, None)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
