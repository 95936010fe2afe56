"""The shortcut for E.164 phone numbers gives the parser's verdict, always.

`seam_fake.api.params.e164_possible` skips `phonenumbers.parse` where splitting off
the country code is all the parser would do; it must call possible exactly the
numbers the parser calls possible, or the fake would refuse or accept numbers
Seam's rule treats otherwise.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from seam_fake import strategies as sf
from seam_fake.api.params import _E164, e164_possible, parsed_e164_possible


@given(st.one_of(st.from_regex(_E164, fullmatch=True), sf.phone_numbers()))
@example("+15555550100")
@example("+11555550100")  # US national prefix 1: the parser decides
@example("+390612345678")  # Italian leading zero
@example("+78005553535")  # Russia: national prefix 8
@example("+4407400123456")  # UK with its trunk 0
@example("+80012345678")  # a non-geographic country code
@example("+2800000000")  # an unassigned country code
@example("+11")  # too short a national number
@example("+999999999999999")
def test_the_shortcut_agrees_with_the_parser(text: str) -> None:
    assert e164_possible(text) == parsed_e164_possible(text), text


def test_the_shortcut_takes_the_common_numbers() -> None:
    # Without a fast answer for these, the shortcut would save nothing.
    for text in ("+15555550100", "+447400123456", "+4915123456789", "+819012345678", "+5511961234567"):
        assert e164_possible(text), text
