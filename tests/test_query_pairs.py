"""Query strings are read exactly as the standard library reads them."""

from __future__ import annotations

from urllib.parse import parse_qsl

from hypothesis import example, given
from hypothesis import strategies as st

from seam_fake.api.http import query_pairs

QUERY_TEXT = st.text(st.sampled_from("ab=&%+;2F_.~ é\u2603"), max_size=30)


@given(QUERY_TEXT)
@example("user_identity_id=0b8f&_strict=true")
@example("a&b=&=c&&d==e")
@example("key=a%20b&key=c+d")
def test_query_pairs_agree_with_parse_qsl(query: str) -> None:
    assert query_pairs(query) == parse_qsl(query, keep_blank_values=True)
