"""Where ids, tokens and times come from: random, or reproducible from a seed; the clock
read at call time, so freezegun and time-machine control it."""

from __future__ import annotations

import os
import random
import secrets
from datetime import datetime, timezone


def now_iso() -> str:
    """The current time as Seam writes it: UTC, milliseconds, ``Z``.

    Read through ``datetime.now`` at call time so freezegun and time-machine
    control it.
    """
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Ids:
    """Source of ids and tokens. With a seed, every value is reproducible."""

    def __init__(self, seed: int | None = None) -> None:
        self._random = random.Random(seed) if seed is not None else None

    def uuid(self) -> str:
        """A version 4 UUID, written as ``str(uuid.UUID(..., version=4))`` writes it.

        Formatted by hand: building a ``uuid.UUID`` costs three times as much, and
        every request draws at least one id.
        """
        bits = os.urandom(16).hex() if self._random is None else f"{self._random.getrandbits(128):032x}"
        variant = "89ab"[int(bits[16], 16) & 3]
        return f"{bits[:8]}-{bits[8:12]}-4{bits[13:16]}-{variant}{bits[17:20]}-{bits[20:]}"

    def token(self, prefix: str) -> str:
        if self._random is None:
            return prefix + secrets.token_urlsafe(24)
        return prefix + "".join(self._random.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=32))


# The prefixes of the other kinds of token Seam issues, which an API key must not
# look like: personal access tokens, client session tokens, publishable keys.
OTHER_TOKEN_PREFIXES = ("seam_at", "seam_cst", "seam_pk")


def check_api_key_format(key: str) -> None:
    if not key.startswith("seam_") or key.startswith(OTHER_TOKEN_PREFIXES):
        raise ValueError(f"an API key starts with seam_ (and not seam_at, seam_cst or seam_pk), got {key!r}")


ADMIN_TOKEN_PREFIX = "seam_fake_admin_"


def check_admin_token(token: str, api_key: str | None = None) -> None:
    """An admin token is printable, without spaces, long enough to guess at no better than
    chance, and no API key."""
    if len(token) < 16 or not token.isprintable() or any(c.isspace() for c in token):
        raise ValueError("an admin token is at least 16 printable characters with no spaces")
    if token == api_key:
        raise ValueError("the admin token must differ from the API key")
