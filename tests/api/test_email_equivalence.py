"""When two emails are one address: the same answer for uniqueness, linking, the
``user_identity_email_address`` filter and ``search``, over Unicode variants.

The rule (seam_fake/model/folding.py, docs/fidelity.md): the address email-validator
normalises to, in lower case. A table fixes the verdict for each kind of variant, and
a property test draws variants (NFC and NFD, IDNA, the ideographic full stop, fullwidth
letters, ß and ss, ligatures, the Kelvin sign, letter case) and checks that all four
uses agree on every pair, through the real SDK, with the stored value as sent.
"""

from __future__ import annotations

import unicodedata

import email_validator
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from seam import Seam, SeamHttpApiError

from seam_fake import FakeSeam, fold_email

# (a, b, one address?) - the decision, written out.
TABLE = [
    pytest.param("josé@example.com", "jose\u0301@example.com", True, id="nfc-nfd-local"),
    pytest.param("jean@café.example", "jean@cafe\u0301.example", True, id="nfc-nfd-domain"),
    pytest.param("jean@bücher.example", "jean@xn--bcher-kva.example", True, id="idna"),
    pytest.param("jean@example\u3002com", "jean@example.com", True, id="ideographic-full-stop"),
    pytest.param("Jean@Example.COM", "jean@example.com", True, id="letter-case"),
    pytest.param("JOSÉ@example.com", "josé@example.com", True, id="letter-case-accented"),
    pytest.param("\u212aate@example.com", "kate@example.com", True, id="kelvin-sign"),
    pytest.param("straße@example.de", "strasse@example.de", False, id="eszett"),
    pytest.param("\ufb01o@example.com", "fio@example.com", False, id="ligature"),
    pytest.param("\uff2aean@example.com", "jean@example.com", False, id="fullwidth"),
    pytest.param("jean@example.com", "jean.doe@example.com", False, id="other-address"),
]


@pytest.mark.parametrize(("a", "b", "same"), TABLE)
def test_the_table(a: str, b: str, same: bool) -> None:
    assert (fold_email(a) == fold_email(b)) is same
    verdicts = four_uses(a, b)
    assert verdicts == {use: same for use in verdicts}, verdicts


def four_uses(a: str, b: str) -> dict[str, bool]:
    """Whether each use calls ``b`` the address ``a`` is, on a fresh fake."""
    verdicts = {}
    fake = FakeSeam()
    with fake.patch():
        seam = Seam(api_key=fake.api_key)
        system = fake.add_acs_system("Harbour")["acs_system_id"]
        # A person in the access system with ``a``, and an identity with ``a`` on another system.
        in_acs = fake.add_acs_user(system, "In The ACS", email_address=a)
        other = fake.add_acs_system("Annex")["acs_system_id"]
        created = seam.user_identities.create(email_address=a, acs_system_ids=[other])
        # The stored and returned value is what the client sent.
        assert created.email_address == a and in_acs["email_address"] == a
        try:
            seam.user_identities.create(email_address=b, user_identity_key="second")
        except SeamHttpApiError as error:
            assert error.code == "email_address_already_in_use", error
            verdicts["uniqueness"] = True
        else:
            verdicts["uniqueness"] = False
        filtered = seam.acs.users.list(user_identity_email_address=b)
        verdicts["filter"] = [u.user_identity_id for u in filtered] == [created.user_identity_id]
        found = seam.user_identities.list(search=b)
        verdicts["search"] = created.user_identity_id in [i.user_identity_id for i in found]
    # Linking, on a fake of its own: an identity created with ``b`` on the system finds the
    # ACS user that has ``a``, or gets a new one.
    fake = FakeSeam()
    with fake.patch():
        seam = Seam(api_key=fake.api_key)
        system = fake.add_acs_system("Harbour")["acs_system_id"]
        in_acs = fake.add_acs_user(system, "In The ACS", email_address=a)
        linked = seam.user_identities.create(email_address=b, acs_system_ids=[system])
        verdicts["linking"] = linked.acs_user_ids == [in_acs["acs_user_id"]]
    return verdicts


LOCALS = ("jose", "josé", "strasse", "straße", "fiona", "kate", "jean", "chloé")
DOMAINS = ("example.com", "bücher.example", "café.example")
FULLWIDTH = {chr(c): chr(c + 0xFEE0) for c in range(ord("A"), ord("z") + 1) if chr(c).isalpha()}


def _idna(domain: str) -> str:
    return ".".join(label.encode("idna").decode() for label in domain.split("."))


VARIANTS = {
    "as-is": lambda local, domain: (local, domain),
    "nfd": lambda local, domain: (unicodedata.normalize("NFD", local), unicodedata.normalize("NFD", domain)),
    "swapcase": lambda local, domain: (local.swapcase(), domain.upper()),
    "idna": lambda local, domain: (local, _idna(domain)),
    "ideographic-stop": lambda local, domain: (local, domain.replace(".", "\u3002")),
    "fullwidth": lambda local, domain: (FULLWIDTH.get(local[0], local[0]) + local[1:], domain),
    "eszett": lambda local, domain: (
        local.replace("ss", "ß") if "ss" in local else local.replace("ß", "ss"),
        domain,
    ),
    "ligature": lambda local, domain: (local.replace("fi", "\ufb01"), domain),
    "kelvin": lambda local, domain: (local.replace("k", "\u212a"), domain),
}


@st.composite
def variant_pairs(draw: st.DrawFn) -> tuple[str, str]:
    local, domain = draw(st.sampled_from(LOCALS)), draw(st.sampled_from(DOMAINS))
    emails = []
    for _ in range(2):
        changed_local, changed_domain = local, domain
        for name in draw(st.lists(st.sampled_from(sorted(VARIANTS)), max_size=3, unique=True)):
            changed_local, changed_domain = VARIANTS[name](changed_local, changed_domain)
        emails.append(f"{changed_local}@{changed_domain}")
    return emails[0], emails[1]


def accepted(email: str) -> bool:
    try:
        email_validator.validate_email(email, check_deliverability=False, test_environment=True)
    except email_validator.EmailNotValidError:
        return False
    return True


@given(pair=variant_pairs())
def test_the_four_uses_agree_on_every_variant(pair: tuple[str, str]) -> None:
    a, b = pair
    assume(accepted(a) and accepted(b))
    verdicts = four_uses(a, b)
    same = fold_email(a) == fold_email(b)
    assert verdicts == {use: same for use in verdicts}, (a, b, verdicts)
