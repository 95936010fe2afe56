"""Run against the installed wheel only: the fixture must come from the entry point."""

import importlib.util

from seam import Seam


def test_plugin_is_the_entry_point_inside_the_package() -> None:
    from importlib.metadata import entry_points

    (plugin,) = [e for e in entry_points(group="pytest11") if e.name == "seam_fake"]
    assert plugin.value == "seam_fake.pytest_plugin"
    assert importlib.util.find_spec("seam_fake.pytest_plugin") is not None
    # No generic top-level module leaks out of the wheel.
    assert importlib.util.find_spec("pytest_plugin") is None
    assert importlib.util.find_spec("pytest_seam_fake") is None


def test_fixture_from_the_installed_wheel(fake_seam) -> None:  # type: ignore[no-untyped-def]
    seam = Seam()
    created = seam.user_identities.create(user_identity_key="wheel", email_address="wheel@example.com")
    assert seam.user_identities.get(user_identity_key="wheel").user_identity_id == created.user_identity_id
