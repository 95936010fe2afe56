"""The installed pytest plugin: the ``fake_seam`` fixture in a project with no conftest at all.

Each test writes a test module into a fresh ``pytester`` directory and runs
pytest on it in a subprocess, so the plugin is found the way a user's project
finds it: through its ``pytest11`` entry point.

The last test is the in-suite counterpart: this suite's own ``seam`` fixture, a bare
``Seam()``, reaches the plugin's ``fake_seam``.
"""

from __future__ import annotations

import textwrap

import pytest
from seam import Seam

from seam_fake import FakeSeam

# Values a developer's shell might hold; the fixture must not let any of them reach Seam().
OUTER_ENV = {
    "SEAM_API_KEY": "seam_outer_key_from_the_shell",
    "SEAM_PERSONAL_ACCESS_TOKEN": "seam_at_outer_token",
    "SEAM_WORKSPACE_ID": "00000000-0000-4000-8000-000000000000",
    "SEAM_ENDPOINT": "http://127.0.0.1:9",
    "SEAM_API_URL": "http://127.0.0.1:9",
}
CLEARED = ("SEAM_PERSONAL_ACCESS_TOKEN", "SEAM_WORKSPACE_ID", "SEAM_ENDPOINT", "SEAM_API_URL")


@pytest.fixture
def outer_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    for name, value in OUTER_ENV.items():
        monkeypatch.setenv(name, value)
    return OUTER_ENV


def write_tests(pytester: pytest.Pytester, source: str) -> None:
    pytester.makepyfile(test_user_project=textwrap.dedent(source))
    assert not (pytester.path / "conftest.py").exists()


# One user project exercising the fixture, run once (a pytest subprocess costs about a second); the outer
# test then checks each inner test's own outcome.
USER_PROJECT = """
import os

import httpx
import pytest
import requests
import requests.adapters
from seam import Seam

CLEARED = {cleared!r}
OUTER_ENV = {outer_env!r}


def methods():
    return (
        httpx.HTTPTransport.handle_request,
        httpx.AsyncHTTPTransport.handle_async_request,
        requests.adapters.HTTPAdapter.send,
    )


# Captured at import time, before any fixture ran.
ORIGINALS = methods()
seen = []


def test_environment_points_seam_at_the_fake(fake_seam):
    assert os.environ["SEAM_API_KEY"] == fake_seam.api_key
    assert fake_seam.api_key != OUTER_ENV["SEAM_API_KEY"]
    for name in CLEARED:
        assert name not in os.environ, name


def test_seam_with_no_arguments_reaches_the_fake(fake_seam):
    seam = Seam()
    created = seam.user_identities.create(user_identity_key="plugin_user")
    assert created.workspace_id == fake_seam.workspace_id
    fetched = seam.user_identities.get(user_identity_key="plugin_user")
    assert fetched.user_identity_id == created.user_identity_id


def test_outer_environment_is_back_after_the_fixture():
    for name, value in OUTER_ENV.items():
        assert os.environ[name] == value, name


def create_and_list(fake):
    Seam().user_identities.create(user_identity_key="same_key_every_test")
    # The fake itself, not id(fake): once a test's fake is collected its id can be reused.
    seen.append((fake, fake.workspace_id, fake.api_key))
    workspace = fake.snapshot()["workspaces"][fake.workspace_id]
    return [i["user_identity_key"] for i in workspace["user_identities"].values()]


def test_fresh_fake_first(fake_seam):
    assert create_and_list(fake_seam) == ["same_key_every_test"]


def test_fresh_fake_second(fake_seam):
    # The same key again: a fake carried over from the first test would refuse it, or list it twice.
    assert create_and_list(fake_seam) == ["same_key_every_test"]


def test_fresh_fake_the_fakes_were_different(fake_seam):
    first, second = seen
    assert first[0] is not second[0] and fake_seam not in (first[0], second[0])
    assert len({{first[1], second[1], fake_seam.workspace_id}}) == 3
    assert len({{first[2], second[2], fake_seam.api_key}}) == 3
    # The key of an earlier test's fake is unknown to this one.
    response = requests.post(
        fake_seam.endpoint + "/user_identities/create",
        json={{}},
        headers={{"Authorization": "Bearer " + second[2]}},
    )
    assert response.status_code == 401


def test_patch_active_during_the_test(fake_seam):
    assert all(a is not b for a, b in zip(methods(), ORIGINALS))


def test_patch_gone_after_the_test(monkeypatch):
    assert all(a is b for a, b in zip(methods(), ORIGINALS))
    # The default endpoint now goes to the real transport (replaced here so no network is used).
    calls = []

    def network(self, request, **kwargs):
        calls.append(request.url)
        raise requests.ConnectionError("the real network")

    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", network)
    with pytest.raises(requests.ConnectionError):
        requests.post("https://connect.getseam.com/user_identities/create", json={{}})
    assert calls == ["https://connect.getseam.com/user_identities/create"]


def test_zz_fails_while_patched(fake_seam):
    assert httpx.HTTPTransport.handle_request is not ORIGINALS[0]
    raise RuntimeError("the code under test blew up")


def test_zzz_patch_gone_after_a_failing_test():
    assert all(a is b for a, b in zip(methods(), ORIGINALS))
"""
INNER_PASSING = (
    "test_environment_points_seam_at_the_fake",
    "test_seam_with_no_arguments_reaches_the_fake",
    "test_outer_environment_is_back_after_the_fixture",
    "test_fresh_fake_first",
    "test_fresh_fake_second",
    "test_fresh_fake_the_fakes_were_different",
    "test_patch_active_during_the_test",
    "test_patch_gone_after_the_test",
    "test_zzz_patch_gone_after_a_failing_test",
)


def test_fixture_in_a_project_without_a_conftest(
    pytester: pytest.Pytester, outer_env: dict[str, str]
) -> None:
    write_tests(pytester, USER_PROJECT.format(cleared=CLEARED, outer_env=outer_env))
    result = pytester.runpytest_subprocess("-v", "-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=len(INNER_PASSING), failed=1)
    result.stdout.fnmatch_lines_random(
        [f"*::{name} PASSED*" for name in INNER_PASSING]
        + ["*::test_zz_fails_while_patched FAILED*", "*RuntimeError: the code under test blew up*"]
    )


def test_the_fixture_works_under_xdist(pytester: pytest.Pytester, outer_env: dict[str, str]) -> None:
    count = 6
    write_tests(
        pytester,
        f"""
        import os
        import pytest
        from seam import Seam

        @pytest.mark.parametrize("n", range({count}))
        def test_each_worker_gets_its_own_fake(fake_seam, n):
            assert os.environ["SEAM_API_KEY"] == fake_seam.api_key
            assert "SEAM_ENDPOINT" not in os.environ
            seam = Seam()
            created = seam.user_identities.create(user_identity_key="shared_key", full_name=f"User {{n}}")
            assert seam.user_identities.get(user_identity_key="shared_key").full_name == f"User {{n}}"
            workspace = fake_seam.snapshot()["workspaces"][fake_seam.workspace_id]
            assert list(workspace["user_identities"]) == [created.user_identity_id]
        """,
    )
    result = pytester.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider", "-p", "no:randomly")
    result.assert_outcomes(passed=count)
    result.stdout.fnmatch_lines(["*2 workers*"])


def test_create_then_get_through_seam_with_no_credentials(seam: Seam, fake_seam: FakeSeam) -> None:
    created = seam.user_identities.create(user_identity_key="jean_doe", full_name="Jean Doe")
    fetched = seam.user_identities.get(user_identity_id=created.user_identity_id)
    assert fetched.user_identity_key == "jean_doe"
    assert fetched.workspace_id == fake_seam.workspace_id
