"""When two emails are the same address, and when a search finds a text: one rule for all.

An email is compared by the address email-validator normalises it to (Unicode NFC, the
domain in lower case and in Unicode rather than its IDNA ``xn--`` form, ``。`` and the
other full stops read as dots), then in lower case. Uniqueness, linking an identity to
the ACS users of a system, the ``user_identity_email_address`` filter and ``search`` all
use it, so an address is the same or different everywhere at once. The stored and
returned value stays what the client sent.

Lower case, not Unicode casefolding: Seam's API is TypeScript on PostgreSQL, where the
case-insensitive comparisons at hand (``toLowerCase()``, ``lower()``) apply the Unicode
lowercase mapping and fold nothing more. So ``straße`` and ``strasse``, ``ﬁo`` and
``fio``, a fullwidth ``J`` and ``j`` stay different addresses (as email-validator keeps them),
while the Kelvin sign ``K`` lowercases to ``k`` as in JavaScript. docs/fidelity.md says
which of this Seam documents (that emails are case-insensitive) and which is the fake's.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import email_validator

# The common ASCII shape whose normal form is itself: no quoting to remove, no IDNA
# label to decode. Most addresses a test sends; they skip the library.
_PLAIN = re.compile(r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@(?:[A-Za-z0-9-]+\.)*[A-Za-z0-9-]+")


def fold_email(email: str) -> str:
    """The form under which two emails are the same address."""
    if _PLAIN.fullmatch(email) and "xn--" not in email.lower():
        return email.lower()
    return _normalised(email)


@lru_cache(maxsize=4096)
def _normalised(email: str) -> str:
    try:
        found = email_validator.validate_email(email, check_deliverability=False, test_environment=True)
    except email_validator.EmailNotValidError:
        # Not an address email-validator reads (a search needle, an old snapshot's value):
        # compared as text.
        return fold_text(email)
    return found.normalized.lower()


def fold_text(text: str) -> str:
    """The form under which ``search`` compares texts: NFC, lower case."""
    return unicodedata.normalize("NFC", text).lower()


class Needle:
    """What a ``search`` parameter looks for: a substring of any field, compared as
    ``fold_text`` does, and of the email compared as ``fold_email`` does, so a whole
    address finds exactly the records uniqueness would call the same."""

    def __init__(self, search: str) -> None:
        self.text = fold_text(search)
        self.email = fold_email(search)

    def found_in(self, texts: tuple[str | None, ...], email: str | None = None) -> bool:
        if email is not None and self.email in fold_email(email):
            return True
        return any(self.text in fold_text(text) for text in texts if text is not None)
