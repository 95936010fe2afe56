"""Run against the installed wheel only: the fixture must come from the entry point."""

import importlib.util

from seam import Seam


def test_plugin_installs_under_its_own_name() -> None:
    assert importlib.util.find_spec("pytest_seam_fake") is not None
    assert importlib.util.find_spec("pytest_plugin") is None


def test_fixture_from_the_installed_wheel(fake_seam) -> None:  # type: ignore[no-untyped-def]
    seam = Seam()
    created = seam.user_identities.create(user_identity_key="wheel", email_address="wheel@example.com")
    assert seam.user_identities.get(user_identity_key="wheel").user_identity_id == created.user_identity_id
