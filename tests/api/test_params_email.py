"""The fast path for plain email addresses never disagrees with email-validator.

`seam_fake.api.params.plainly_valid_email` accepts addresses of a common shape
without calling the library; every address it accepts, the library must accept
too, or the fake would let through what Seam refuses.
"""

from __future__ import annotations

from helpers import email_validator_accepts
from hypothesis import example, given
from hypothesis import strategies as st

from seam_fake.api.params import _PLAIN_EMAIL, plainly_valid_email


@given(st.from_regex(_PLAIN_EMAIL, fullmatch=True))
@example("jane@example.com")
@example("a" * 64 + "@example.com")
@example("a" * 65 + "@example.com")
@example("jane@" + "a" * 63 + ".com")
@example("jane@" + ".".join(["a" * 61] * 4) + ".com")
@example("jane@example.test")
@example("jane@example.localhost")
@example("jane@LOCALHOST.onion")
@example("jane@my.arpa")
def test_every_address_the_fast_path_accepts_the_email_validator_accepts(text: str) -> None:
    if plainly_valid_email(text):
        assert email_validator_accepts(text), text


@given(st.emails())
def test_the_fast_path_covers_most_plain_addresses_only_when_the_library_agrees(text: str) -> None:
    if plainly_valid_email(text):
        assert email_validator_accepts(text), text


def test_the_fast_path_takes_the_common_shapes() -> None:
    # The shapes tests send most: without these the fast path would save nothing.
    for text in ("jane@example.com", "Jane.Doe+tag@mail.Example.co.uk", "user_1-2@sub-domain.io", "x@y.test"):
        assert plainly_valid_email(text), text
    for text in ("jane@localhost", "jane@example.local", "jané@example.com", "jane@example.123", "a@b"):
        assert not plainly_valid_email(text), text
