"""/user_identities/get: through the SDK (GET with a query), raw POST JSON and raw GET query."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import requests
from helpers import Raw, assert_error, create_identity, ok, unchanged
from openapi_schema import assert_valid_response
from seam import AsyncSeam, Seam, SeamHttpApiError, SeamHttpInvalidInputError

from seam_fake import FakeSeam

PATH = "/user_identities/get"
VIAS = ("post_json", "get_query")


def ok_identity(response: requests.Response, method: str) -> dict[str, Any]:
    """The identity of a 200 answer, checked against Seam's schema."""
    body = ok(response)
    assert_valid_response(PATH, body, method)
    identity: dict[str, Any] = body["user_identity"]
    return identity


def raw_get(raw: Raw, via: str, params: dict[str, Any]) -> requests.Response:
    if via == "post_json":
        return raw.post(PATH, json=params)
    return raw.get(PATH, params=params)


def method_of(via: str) -> str:
    return "post" if via == "post_json" else "get"


@pytest.fixture
def jane(raw: Raw) -> dict[str, Any]:
    return create_identity(
        raw,
        user_identity_key="jane_doe",
        email_address="jane@example.test",
        phone_number="+15555550100",
        full_name="Jane Doe",
    )


@pytest.fixture
def other_workspace(fake_seam: FakeSeam) -> dict[str, Any]:
    return fake_seam.add_workspace(name="Other Workspace")


# Found --------------------------------------------------------------------


def test_sdk_get_by_id(seam: Seam, jane: dict[str, Any]) -> None:
    fetched = seam.user_identities.get(user_identity_id=jane["user_identity_id"])
    assert fetched.user_identity_id == jane["user_identity_id"]
    assert fetched.user_identity_key == jane["user_identity_key"]
    assert fetched.email_address == jane["email_address"]
    assert fetched.phone_number == jane["phone_number"]
    assert fetched.full_name == jane["full_name"]
    assert fetched.display_name == jane["display_name"]
    assert fetched.created_at == jane["created_at"]
    assert fetched.workspace_id == jane["workspace_id"]


def test_sdk_get_by_key(seam: Seam, raw: Raw, jane: dict[str, Any]) -> None:
    create_identity(raw, user_identity_key="someone_else", full_name="Someone Else")
    fetched = seam.user_identities.get(user_identity_key=jane["user_identity_key"])
    assert fetched.user_identity_id == jane["user_identity_id"]
    assert fetched.user_identity_key == jane["user_identity_key"]


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("by", ["user_identity_id", "user_identity_key"])
def test_raw_get_returns_exactly_what_create_returned(
    raw: Raw, jane: dict[str, Any], via: str, by: str
) -> None:
    create_identity(raw, user_identity_key="decoy", email_address="decoy@example.test")
    fetched = ok_identity(raw_get(raw, via, {by: jane[by]}), method_of(via))
    assert fetched == jane


@pytest.mark.parametrize("via", VIAS)
def test_get_identity_with_only_nulls_matches_create(raw: Raw, via: str) -> None:
    created = create_identity(raw)
    fetched = ok_identity(
        raw_get(raw, via, {"user_identity_id": created["user_identity_id"]}), method_of(via)
    )
    assert fetched == created


@pytest.mark.parametrize("via", VIAS)
def test_uppercase_uuid_is_accepted(raw: Raw, jane: dict[str, Any], via: str) -> None:
    upper = jane["user_identity_id"].upper()
    assert upper != jane["user_identity_id"]
    fetched = ok_identity(raw_get(raw, via, {"user_identity_id": upper}), method_of(via))
    assert fetched == jane


def test_sdk_uppercase_uuid_is_accepted(seam: Seam, jane: dict[str, Any]) -> None:
    fetched = seam.user_identities.get(user_identity_id=jane["user_identity_id"].upper())
    assert fetched.user_identity_id == jane["user_identity_id"]


def test_key_lookup_is_exact(seam: Seam, fake_seam: FakeSeam, jane: dict[str, Any]) -> None:
    for near_miss in (jane["user_identity_key"].upper(), jane["user_identity_key"] + " "):
        with unchanged(fake_seam), pytest.raises(SeamHttpApiError) as caught:
            seam.user_identities.get(user_identity_key=near_miss)
        assert caught.value.status_code == 404
        assert caught.value.code == "user_identity_not_found"


def test_same_key_in_two_workspaces_returns_own(
    raw: Raw, fake_seam: FakeSeam, other_workspace: dict[str, Any], jane: dict[str, Any]
) -> None:
    theirs = Seam(api_key=other_workspace["api_key"]).user_identities.create(
        user_identity_key=jane["user_identity_key"], email_address=jane["email_address"]
    )
    assert theirs.user_identity_id != jane["user_identity_id"]
    mine = ok_identity(raw.get(PATH, params={"user_identity_key": jane["user_identity_key"]}), "get")
    assert mine == jane
    fetched = Seam(api_key=other_workspace["api_key"]).user_identities.get(
        user_identity_key=jane["user_identity_key"]
    )
    assert fetched.user_identity_id == theirs.user_identity_id
    assert fetched.workspace_id == other_workspace["workspace_id"]


def test_get_changes_nothing(raw: Raw, fake_seam: FakeSeam, jane: dict[str, Any]) -> None:
    with unchanged(fake_seam):
        ok_identity(raw.get(PATH, params={"user_identity_id": jane["user_identity_id"]}), "get")
        ok_identity(raw.post(PATH, json={"user_identity_key": jane["user_identity_key"]}), "post")


# Rejected -----------------------------------------------------------------


def test_sdk_both_id_and_key_is_invalid_input(seam: Seam, fake_seam: FakeSeam, jane: dict[str, Any]) -> None:
    with unchanged(fake_seam), pytest.raises(SeamHttpInvalidInputError) as caught:
        seam.user_identities.get(
            user_identity_id=jane["user_identity_id"], user_identity_key=jane["user_identity_key"]
        )
    assert caught.value.status_code == 400
    assert caught.value.code == "invalid_input"
    assert caught.value.get_validation_error_messages("user_identity_id")
    assert caught.value.get_validation_error_messages("user_identity_key")


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("same_identity", [True, False])
def test_raw_both_id_and_key_is_invalid_input(
    raw: Raw, fake_seam: FakeSeam, jane: dict[str, Any], via: str, same_identity: bool
) -> None:
    key = (
        jane["user_identity_key"]
        if same_identity
        else create_identity(raw, user_identity_key="other")["user_identity_key"]
    )
    with unchanged(fake_seam):
        response = raw_get(raw, via, {"user_identity_id": jane["user_identity_id"], "user_identity_key": key})
    error = assert_error(response, 400, "invalid_input")
    for name in ("user_identity_id", "user_identity_key"):
        assert error["validation_errors"][name]["_errors"], error
        assert name in error["message"]


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("POST", {"json": {}}),
        ("POST", {}),
        ("POST", {"data": b"   "}),
        ("POST", {"json": {"unrelated": "x"}}),
        ("GET", {}),
        ("GET", {"params": {"_strict": "true"}}),
        ("GET", {"params": {"unrelated": "x"}}),
    ],
)
def test_raw_neither_id_nor_key_is_invalid_input(
    raw: Raw, fake_seam: FakeSeam, jane: dict[str, Any], method: str, kwargs: dict[str, Any]
) -> None:
    with unchanged(fake_seam):
        response = raw.request(method, PATH, **kwargs)
    error = assert_error(response, 400, "invalid_input")
    for name in ("user_identity_id", "user_identity_key"):
        assert error["validation_errors"][name]["_errors"], error


def test_sdk_neither_is_refused_client_side(seam: Seam, fake_seam: FakeSeam) -> None:
    with unchanged(fake_seam), pytest.raises(ValueError):
        seam.user_identities.get()


@pytest.mark.parametrize(
    "bad_id",
    [
        "not-a-uuid",
        "",
        "123",
        "jane_doe",
        uuid.UUID(int=7).hex,
        "{" + str(uuid.UUID(int=7)) + "}",
        str(uuid.UUID(int=7)) + "0",
        str(uuid.UUID(int=7))[:-1] + "g",
    ],
)
def test_sdk_non_uuid_id_is_invalid_input(
    seam: Seam, fake_seam: FakeSeam, jane: dict[str, Any], bad_id: str
) -> None:
    with unchanged(fake_seam), pytest.raises(SeamHttpInvalidInputError) as caught:
        seam.user_identities.get(user_identity_id=bad_id)
    assert caught.value.status_code == 400
    assert caught.value.code == "invalid_input"
    assert caught.value.get_validation_error_messages("user_identity_id")


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("bad_id", ["not-a-uuid", "", "12345"])
def test_raw_non_uuid_id_is_invalid_input(
    raw: Raw, fake_seam: FakeSeam, jane: dict[str, Any], via: str, bad_id: str
) -> None:
    with unchanged(fake_seam):
        response = raw_get(raw, via, {"user_identity_id": bad_id})
    error = assert_error(response, 400, "invalid_input")
    assert error["validation_errors"]["user_identity_id"]["_errors"], error


@pytest.mark.parametrize(
    "body",
    [
        {"user_identity_id": 123},
        {"user_identity_id": True},
        {"user_identity_id": None},
        {"user_identity_id": ["x"]},
        {"user_identity_key": 5},
        {"user_identity_key": None},
        {"user_identity_key": {"a": 1}},
    ],
)
def test_raw_wrong_json_types_are_invalid_input(
    raw: Raw, fake_seam: FakeSeam, jane: dict[str, Any], body: dict[str, Any]
) -> None:
    with unchanged(fake_seam):
        response = raw.post(PATH, json=body)
    error = assert_error(response, 400, "invalid_input")
    (name,) = body
    assert error["validation_errors"][name]["_errors"], error


def test_raw_wrong_type_via_id_is_invalid_input_even_with_valid_key(
    raw: Raw, fake_seam: FakeSeam, jane: dict[str, Any]
) -> None:
    with unchanged(fake_seam):
        response = raw.post(
            PATH, json={"user_identity_id": 42, "user_identity_key": jane["user_identity_key"]}
        )
    error = assert_error(response, 400, "invalid_input")
    assert error["validation_errors"]["user_identity_id"]["_errors"], error


def test_sdk_unknown_id_is_not_found(seam: Seam, fake_seam: FakeSeam, jane: dict[str, Any]) -> None:
    unknown = str(uuid.uuid4())
    with unchanged(fake_seam), pytest.raises(SeamHttpApiError) as caught:
        seam.user_identities.get(user_identity_id=unknown)
    assert caught.value.status_code == 404
    assert caught.value.code == "user_identity_not_found"


def test_sdk_unknown_key_is_not_found(seam: Seam, fake_seam: FakeSeam, jane: dict[str, Any]) -> None:
    with unchanged(fake_seam), pytest.raises(SeamHttpApiError) as caught:
        seam.user_identities.get(user_identity_key=jane["user_identity_key"] + "_unknown")
    assert caught.value.status_code == 404
    assert caught.value.code == "user_identity_not_found"


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("by", ["user_identity_id", "user_identity_key"])
def test_raw_unknown_is_not_found(
    raw: Raw, fake_seam: FakeSeam, jane: dict[str, Any], via: str, by: str
) -> None:
    unknown = str(uuid.uuid4()) if by == "user_identity_id" else "nobody_has_this_key"
    with unchanged(fake_seam):
        response = raw_get(raw, via, {by: unknown})
    assert_error(response, 404, "user_identity_not_found")


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("by", ["user_identity_id", "user_identity_key"])
def test_identity_of_another_workspace_is_not_found_and_not_leaked(
    raw: Raw, fake_seam: FakeSeam, other_workspace: dict[str, Any], via: str, by: str
) -> None:
    theirs = Seam(api_key=other_workspace["api_key"]).user_identities.create(
        user_identity_key="secret_key_of_other_ws",
        email_address="hidden.person@other.test",
        phone_number="+442071838750",
        full_name="Hidden Person",
    )
    sent = theirs.user_identity_id if by == "user_identity_id" else theirs.user_identity_key
    with unchanged(fake_seam):
        response = raw_get(raw, via, {by: sent})
    assert_error(response, 404, "user_identity_not_found")
    text = response.text
    # What the caller sent may be echoed; nothing else of the identity may show.
    secrets = {
        "user_identity_id": theirs.user_identity_id,
        "user_identity_key": theirs.user_identity_key,
        "email_address": theirs.email_address,
        "phone_number": theirs.phone_number,
        "full_name": theirs.full_name,
        "workspace_id": other_workspace["workspace_id"],
    }
    for name, secret in secrets.items():
        if name == by:
            continue
        assert secret.lower() not in text.lower(), (name, text)


def test_sdk_identity_of_another_workspace_is_not_found(
    seam: Seam, fake_seam: FakeSeam, other_workspace: dict[str, Any]
) -> None:
    theirs = Seam(api_key=other_workspace["api_key"]).user_identities.create(user_identity_key="theirs")
    for kwargs in ({"user_identity_id": theirs.user_identity_id}, {"user_identity_key": "theirs"}):
        with unchanged(fake_seam), pytest.raises(SeamHttpApiError) as caught:
            seam.user_identities.get(**kwargs)
        assert caught.value.status_code == 404
        assert caught.value.code == "user_identity_not_found"


# Current errors and warnings ------------------------------------------------


@pytest.fixture
def linked(raw: Raw, fake_seam: FakeSeam) -> tuple[dict[str, Any], dict[str, Any]]:
    """An identity linked to a new ACS user on one system: (identity as created, its ACS system)."""
    system = fake_seam.add_acs_system("Lobby")
    identity = create_identity(
        raw,
        user_identity_key="linked",
        email_address="linked@example.test",
        full_name="Linked Person",
        acs_system_ids=[system["acs_system_id"]],
    )
    return identity, system


def _get_by_id(raw: Raw, via: str, user_identity_id: str) -> dict[str, Any]:
    return ok_identity(raw_get(raw, via, {"user_identity_id": user_identity_id}), method_of(via))


def _without_derived(identity: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in identity.items() if k not in ("errors", "warnings")}


@pytest.mark.parametrize("via", VIAS)
def test_get_reflects_simulated_acs_user_error(
    raw: Raw, fake_seam: FakeSeam, linked: tuple[dict[str, Any], dict[str, Any]], via: str
) -> None:
    identity, system = linked
    assert identity["errors"] == []
    (acs_user_id,) = identity["acs_user_ids"]
    assert _get_by_id(raw, via, identity["user_identity_id"]) == identity

    fake_seam.simulate_acs_user_error(
        acs_user_id, error_code="failed_to_create_on_acs_system", message="boom"
    )
    fetched = _get_by_id(raw, via, identity["user_identity_id"])
    assert _without_derived(fetched) == _without_derived(identity)
    assert fetched["warnings"] == identity["warnings"]
    (error,) = fetched["errors"]
    assert error["error_code"] == "issue_with_acs_user"
    assert error["acs_user_id"] == acs_user_id
    assert error["acs_system_id"] == system["acs_system_id"]
    assert isinstance(error["message"], str) and error["message"]


@pytest.mark.parametrize("via", VIAS)
def test_get_reflects_being_deleted(
    raw: Raw, fake_seam: FakeSeam, linked: tuple[dict[str, Any], dict[str, Any]], via: str
) -> None:
    identity, _ = linked
    assert identity["warnings"] == []
    fake_seam.simulate_user_identity_being_deleted(identity["user_identity_id"])
    fetched = _get_by_id(raw, via, identity["user_identity_id"])
    assert _without_derived(fetched) == _without_derived(identity)
    assert fetched["errors"] == []
    assert [w["warning_code"] for w in fetched["warnings"]] == ["being_deleted"]


def test_get_reflects_profile_mismatch_of_matched_acs_user(raw: Raw, fake_seam: FakeSeam) -> None:
    system = fake_seam.add_acs_system("Garage")
    acs_user = fake_seam.add_acs_user(system["acs_system_id"], "J. Smith", email_address="smith@example.test")
    identity = create_identity(
        raw,
        email_address="SMITH@example.test",
        full_name="John Smith",
        acs_system_ids=[system["acs_system_id"]],
    )
    assert identity["acs_user_ids"] == [acs_user["acs_user_id"]]
    fetched = _get_by_id(raw, "get_query", identity["user_identity_id"])
    assert fetched == identity
    (warning,) = fetched["warnings"]
    assert warning["warning_code"] == "acs_user_profile_does_not_match_user_identity"
    assert "full_name" in warning["message"]
    assert "email_address" not in warning["message"]


def test_sdk_get_reflects_errors_and_warnings_together(
    seam: Seam, fake_seam: FakeSeam, linked: tuple[dict[str, Any], dict[str, Any]]
) -> None:
    identity, _ = linked
    (acs_user_id,) = identity["acs_user_ids"]
    fake_seam.simulate_acs_user_error(acs_user_id)
    fake_seam.simulate_user_identity_being_deleted(identity["user_identity_id"])
    fetched = seam.user_identities.get(user_identity_key=identity["user_identity_key"])
    assert [e.error_code for e in fetched.errors] == ["issue_with_acs_user"]
    assert [e.acs_user_id for e in fetched.errors] == [acs_user_id]
    assert [w.warning_code for w in fetched.warnings] == ["being_deleted"]
    assert fetched.acs_user_ids == identity["acs_user_ids"]


# AsyncSeam ------------------------------------------------------------------


def _run(make: Callable[[], Any]) -> Any:
    async def run() -> Any:
        return await make()

    return asyncio.run(run())


def test_async_get_by_id_and_key(async_seam: AsyncSeam, jane: dict[str, Any]) -> None:
    async def run() -> tuple[Any, Any]:
        by_id = await async_seam.user_identities.get(user_identity_id=jane["user_identity_id"])
        by_key = await async_seam.user_identities.get(user_identity_key=jane["user_identity_key"])
        return by_id, by_key

    by_id, by_key = asyncio.run(run())
    for fetched in (by_id, by_key):
        assert fetched.user_identity_id == jane["user_identity_id"]
        assert fetched.user_identity_key == jane["user_identity_key"]
        assert fetched.email_address == jane["email_address"]
        assert fetched.created_at == jane["created_at"]


def test_async_get_unknown_is_not_found(async_seam: AsyncSeam, fake_seam: FakeSeam) -> None:
    with unchanged(fake_seam), pytest.raises(SeamHttpApiError) as caught:
        _run(lambda: async_seam.user_identities.get(user_identity_id=str(uuid.uuid4())))
    assert caught.value.status_code == 404
    assert caught.value.code == "user_identity_not_found"


def test_async_get_non_uuid_is_invalid_input(async_seam: AsyncSeam, fake_seam: FakeSeam) -> None:
    with unchanged(fake_seam), pytest.raises(SeamHttpInvalidInputError) as caught:
        _run(lambda: async_seam.user_identities.get(user_identity_id="nope"))
    assert caught.value.code == "invalid_input"
    assert caught.value.get_validation_error_messages("user_identity_id")


def test_an_id_with_a_trailing_newline_is_invalid_input(raw: Raw, seam: Seam) -> None:
    identity = seam.user_identities.create(full_name="Ada")
    response = raw.post("/user_identities/get", json={"user_identity_id": identity.user_identity_id + "\n"})
    error = assert_error(response, 400, "invalid_input")
    assert error["validation_errors"]["user_identity_id"]["_errors"]
